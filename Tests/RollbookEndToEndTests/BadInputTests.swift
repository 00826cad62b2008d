import Foundation
import Testing

/// Every writing command refuses bad input with a message naming the field or line (never a pupil's
/// name or date of birth), exit 64 for a malformed command line or 1 for bad input, and the ledger's
/// files byte-for-byte unchanged. One test case per input.
@Suite("Bad input")
struct BadInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var status: Int32
        /// Text the message must contain (the field, option or line it names).
        var names: String
        var files: [String: String] = [:]
        var identity = true
        var description: String { name }
    }

    static let marksHeader = "upn,date,session,code\n"
    static let pupilsHeader = "upn,forename,surname,dob,year_group,group,admitted\n"
    static func mark(upn: String = "Y123456789001", date: String = "2025-09-04", session: String = "AM", code: String = "/",
                     extra: [String] = []) -> [String] {
        ["mark", "--upn", upn, "--date", date, "--session", session, "--code", code] + extra
    }

    static let cases: [Case] = [
        // Codes.
        Case(name: "unknown code", arguments: mark(code: "ZZ"), status: 64, names: "--code \"ZZ\" is not an attendance code"),
        Case(name: "C1 before 19 August 2024", arguments: mark(upn: "H123456789007", date: "2024-07-01", code: "C1"), status: 1, names: "--code"),
        Case(name: "H after 19 August 2024", arguments: mark(code: "H"), status: 1, names: "--code"),
        Case(name: "\\ in the morning", arguments: mark(code: "\\"), status: 1, names: "--code"),
        Case(name: "/ in the afternoon", arguments: mark(session: "PM"), status: 1, names: "--code"),
        Case(name: "L without minutes", arguments: mark(code: "L"), status: 1, names: "--minutes-late"),
        Case(name: "U without minutes", arguments: mark(code: "U"), status: 1, names: "--minutes-late"),
        Case(name: "minutes with a code that is not late", arguments: mark(extra: ["--minutes-late", "5"]), status: 1, names: "--minutes-late"),
        // Dates and sessions.
        Case(name: "malformed date", arguments: mark(date: "2025-9-4"), status: 64, names: "--date must be a real date"),
        Case(name: "impossible date 2025-02-29", arguments: mark(date: "2025-02-29"), status: 64, names: "--date must be a real date"),
        Case(name: "weekend", arguments: mark(date: "2025-09-06"), status: 1, names: "--date: 2025-09-06 is a Saturday"),
        Case(name: "date outside every term", arguments: mark(date: "2025-10-28"), status: 1, names: "--date: 2025-10-28 is not in any term"),
        Case(name: "session not AM or PM", arguments: mark(session: "EVE"), status: 64, names: "--session must be AM or PM"),
        // Command line.
        Case(name: "unknown flag", arguments: mark(extra: ["--colour", "red"]), status: 64, names: "unknown option --colour"),
        Case(name: "unknown command", arguments: ["frobnicate"], status: 64, names: "unknown command 'frobnicate'"),
        Case(name: "unknown subcommand", arguments: ["marks", "delete"], status: 64, names: "unknown command 'marks delete'"),
        Case(name: "missing required option", arguments: ["mark", "--upn", "Y123456789001", "--date", "2025-09-04", "--code", "/"],
             status: 64, names: "missing required option --session"),
        // UPNs and the roll.
        Case(name: "unknown UPN", arguments: mark(upn: "F999999999999"), status: 1, names: "--upn"),
        Case(name: "malformed UPN", arguments: mark(upn: "12345"), status: 64, names: "--upn must be a UPN"),
        Case(name: "UPN with a wrong check letter", arguments: mark(upn: "A" + "123456789001"), status: 64, names: "--upn: the UPN's check letter is wrong"),
        Case(name: "pupil not on roll that day", arguments: mark(upn: "U123456789006", date: "2025-09-04"), status: 1, names: "--date"),
        // Duplicates and amendments.
        Case(name: "duplicate mark", arguments: mark(date: "2025-09-03"), status: 1, names: "use `rollbook amend`"),
        Case(name: "amendment of a missing mark",
             arguments: ["amend", "--upn", "Y123456789001", "--date", "2025-09-04", "--session", "AM", "--code", "M", "--reason", "dentist"],
             status: 1, names: "--date/--session"),
        Case(name: "amendment to the same code",
             arguments: ["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/", "--reason", "typo"],
             status: 1, names: "--code"),
        Case(name: "amendment without a reason",
             arguments: ["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "M"],
             status: 64, names: "--reason"),
        // CSV shape.
        Case(name: "marks CSV with a missing column", arguments: ["marks", "import", "marks.csv"], status: 1, names: "line 1",
             files: ["marks.csv": "upn,date,session\nY123456789001,2025-09-04,AM\n"]),
        Case(name: "marks CSV with a bad row in the middle", arguments: ["marks", "import", "marks.csv"], status: 1,
             names: "line 4, column \"code\"",
             files: ["marks.csv": marksHeader + "Y123456789001,2025-09-04,AM,/\nM123456789002,2025-09-04,AM,/\nB123456789003,2025-09-04,AM,QQ\n"
                     + "Q123456789004,2025-09-04,AM,/\nE123456789005,2025-09-04,AM,/\n"]),
        Case(name: "marks CSV repeating a session", arguments: ["marks", "import", "marks.csv"], status: 1, names: "line 3",
             files: ["marks.csv": marksHeader + "Y123456789001,2025-09-04,AM,/\nY123456789001,2025-09-04,AM,L\n"]),
        Case(name: "marks CSV with a ragged row", arguments: ["marks", "import", "marks.csv"], status: 1, names: "line 3",
             files: ["marks.csv": marksHeader + "Y123456789001,2025-09-04,AM,/\nM123456789002,2025-09-04,AM\n"]),
        Case(name: "marks CSV that does not exist", arguments: ["marks", "import", "missing.csv"], status: 1, names: "missing.csv"),
        Case(name: "pupils CSV with a missing column", arguments: ["pupils", "import", "pupils.csv"], status: 1, names: "line 1",
             files: ["pupils.csv": "upn,forename,surname,dob,year_group,group\nX123456789010,Freya,Lloyd,2014-04-04,7,7A\n"]),
        Case(name: "pupils CSV with an impossible date of birth in the middle", arguments: ["pupils", "import", "pupils.csv"], status: 1,
             names: "line 3, column \"dob\"",
             files: ["pupils.csv": pupilsHeader + "X123456789010,Freya,Lloyd,2014-04-04,7,7A,2025-09-03\n"
                     + "L123456789011,Ffion,Pryce,2014-02-30,7,7A,2025-09-03\nA123456789012,Rhys,Evans,2014-06-06,7,7A,2025-09-03\n"]),
        Case(name: "pupils CSV admitting a pupil already on roll", arguments: ["pupils", "import", "pupils.csv"], status: 1,
             names: "line 2, column \"upn\"", files: ["pupils.csv": pupilsHeader + "Y123456789001,Amelia,Khan,2014-03-02,7,7A,2025-09-03\n"]),
        // Missing identity.
        Case(name: "no --author", arguments: mark(), status: 64, names: "--author", identity: false),
        Case(name: "--author without --position", arguments: mark(extra: ["--author", "Sam Patel"]), status: 64, names: "--position",
             identity: false),
        // The other writing commands.
        Case(name: "init over an existing ledger", arguments: ["init", "--urn", "123456", "--name", "Again", "--la", "938", "--estab", "2001"],
             status: 1, names: "already exists"),
        Case(name: "init with a malformed URN", arguments: ["init", "--urn", "12A456", "--name", "X", "--la", "938", "--estab", "2001"],
             status: 64, names: "--urn"),
        Case(name: "term overlapping another", arguments: ["calendar", "term", "--name", "Clash", "--from", "2025-10-01", "--to", "2025-10-10"],
             status: 1, names: "--from/--to"),
        Case(name: "term ending before it starts", arguments: ["calendar", "term", "--name", "Back", "--from", "2025-12-10", "--to", "2025-12-01"],
             status: 64, names: "--from must not be after --to"),
        Case(name: "closure with a code that is not a closure", arguments: ["calendar", "closure", "--from", "2025-09-04", "--to", "2025-09-04",
                                                                            "--code", "N", "--reason", "snow"], status: 64, names: "--code"),
        Case(name: "closure on a weekend only", arguments: ["calendar", "closure", "--from", "2025-09-06", "--to", "2025-09-07",
                                                             "--code", "Y1", "--reason", "snow"], status: 1, names: "--from/--to"),
        Case(name: "leave for an unknown UPN", arguments: ["pupils", "leave", "--upn", "F999999999999", "--on", "2025-09-20", "--ground", "moved"],
             status: 1, names: "--upn"),
        Case(name: "leave before admission", arguments: ["pupils", "leave", "--upn", "U123456789006", "--on", "2025-09-05", "--ground", "moved"],
             status: 1, names: "--on"),
        Case(name: "intervention with an unknown action", arguments: ["intervene", "--upn", "Y123456789001", "--action", "shout", "--date", "2025-09-03"],
             status: 64, names: "--action"),
        Case(name: "intervention before admission", arguments: ["intervene", "--upn", "U123456789006", "--action", "letter", "--date", "2025-09-01"],
             status: 1, names: "--date"),
    ]

    /// The standard school plus a 2024 summer term, a pupil on roll then, and one mark to duplicate or amend.
    static func school() throws -> TestLedger {
        let t = try TestLedger()
        try t.standardSchool()
        try t.ok(["calendar", "term", "--name", "Summer 2 2024", "--from", "2024-06-03", "--to", "2024-07-19"])
        try t.ok(["pupils", "import", try t.file("old.csv", pupilsHeader + "H123456789007,Harriet,Quinn,2012-12-12,8,8A,2024-06-03\n")])
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        return t
    }

    @Test("refused with a message naming the field or line, the right exit, no personal data, files unchanged", arguments: cases)
    func refused(_ c: Case) throws {
        let t = try Self.school()
        t.now = "2025-09-10T08:00:00.000Z"
        for (name, contents) in c.files { _ = try t.file(name, contents) }
        let before = try t.snapshot()
        let r = try t.run("rollbook", c.arguments, identity: c.identity)
        #expect(r.status == c.status, "\(r.stderr)")
        #expect(r.stderr.contains(c.names), "the message names \(c.names): \(r.stderr)")
        #expect(r.stdout.isEmpty || c.status == 64 && !r.stdout.contains("Recorded"))
        t.expectNoPersonalData(r, c.name)
        for extra in ["Harriet", "Quinn", "2012-12-12", "Freya", "Lloyd", "Ffion", "Pryce", "2014-02-30", "Rhys", "Evans"] {
            #expect(!r.stderr.contains(extra), "printed \(extra)")
        }
        #expect(try t.snapshot() == before, "the ledger's files are byte-for-byte unchanged")
    }
}
