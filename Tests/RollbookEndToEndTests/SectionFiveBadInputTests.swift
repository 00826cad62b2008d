import Foundation
import Testing

/// PRODUCT.md section 5's list of bad input, driven through `rollbook` like a user: each is refused with a
/// message naming the line or field (never a pupil's name or date of birth), a non-zero exit, and the
/// ledger left byte-for-byte unchanged.
struct SectionFiveBadInputTests {
    /// What a refusal must say (a fragment naming the field or line) and how it exits.
    struct Case: CustomStringConvertible {
        var arguments: [String]
        var names: String
        var status: Int32 = 1
        var description: String { arguments.joined(separator: " ") }
    }

    static func mark(upn: String = "Y123456789001", date: String = "2025-09-04", session: String = "AM", code: String,
                     _ extra: [String] = []) -> [String] {
        ["mark", "--upn", upn, "--date", date, "--session", session, "--code", code] + extra
    }

    static let commandLineCases: [Case] = [
        Case(arguments: mark(code: "ZZ"), names: "--code", status: 64),  // an unknown code
        Case(arguments: mark(code: "H"), names: "--code"),  // retired on 19 Aug 2024
        Case(arguments: mark(code: "Y"), names: "--code"),  // split into Y1-Y7
        Case(arguments: mark(code: "\\"), names: "--code"),  // \ in the morning
        Case(arguments: mark(session: "PM", code: "/"), names: "--code"),  // / in the afternoon
        Case(arguments: mark(code: "L"), names: "--minutes-late"),
        Case(arguments: mark(code: "U"), names: "--minutes-late"),
        Case(arguments: mark(date: "2025-13-01", code: "/"), names: "--date", status: 64),
        Case(arguments: mark(date: "2025-02-30", code: "/"), names: "--date", status: 64),
        Case(arguments: mark(date: "2025-09-06", code: "/"), names: "--date"),  // a Saturday
        Case(arguments: mark(date: "2025-11-03", code: "/"), names: "--date"),  // outside every term
        Case(arguments: mark(session: "XM", code: "/"), names: "--session", status: 64),
        Case(arguments: mark(code: "/", ["--bogus"]), names: "--bogus", status: 64),
        Case(arguments: ["bogus"], names: "bogus", status: 64),
        Case(arguments: mark(upn: "F999999999999", code: "/"), names: "--upn"),
        Case(arguments: mark(upn: "U123456789006", code: "/"), names: "--date"),  // admitted on 10 Sep
        Case(arguments: mark(code: "N"), names: "amend"),  // a duplicate: use amend
        Case(arguments: ["amend", "--upn", "Y123456789001", "--date", "2025-09-04", "--session", "PM", "--code", "I", "--reason", "ill"],
             names: "--date"),  // no mark to amend
        Case(arguments: ["amend", "--upn", "Y123456789001", "--date", "2025-09-04", "--session", "AM", "--code", "/", "--reason", "x"],
             names: "--code"),  // the same code
        Case(arguments: ["amend", "--upn", "Y123456789001", "--date", "2025-09-04", "--session", "AM", "--code", "I"],
             names: "--reason", status: 64),
        Case(arguments: ["amend", "--upn", "Y123456789001", "--date", "2025-09-04", "--session", "AM", "--code", "I", "--reason", " "],
             names: "--reason", status: 64),
    ]

    static let csvCases: [(file: String, contents: String, names: String)] = [
        ("marks", "upn,date,session\nY123456789001,2025-09-05,AM\n", "\"code\""),  // a missing column
        ("marks", "upn,date,session,code\nY123456789001,2025-09-05,AM,/\nM123456789002,2025-09-05,AM,XX\n", "line 3"),
        ("marks", "upn,date,session,code\nY123456789001,2025-09-05,AM,/\nM123456789002,2025-09-05,AM,L\n", "line 3"),
        ("marks", "upn,date,session,code\nY123456789001,2025-09-05,AM,/\nY123456789001,2025-09-04,AM,/\n", "line 3"),
        ("marks", "upn,date,session,code\nY123456789001,2025-09-05,AM,/,extra\n", "line 2"),
        ("pupils", "upn,forename,surname,dob,year_group,group\nL123456789009,Zara,Quill,2014-04-04,7,7A\n", "\"admitted\""),
        ("pupils", "upn,forename,surname,dob,year_group,group,admitted\nL123456789009,Zara,Quill,2014-02-30,7,7A,2025-09-03\n", "line 2"),
        // The columns shifted: a name where the UPN belongs is not repeated back.
        ("pupils", "upn,forename,surname,dob,year_group,group,admitted\nZara,Quill,L123456789009,2014-04-04,7,7A,2025-09-03\n", "line 2"),
        ("pupils", "upn,forename,surname,dob,year_group,group,admitted,sen\nL123456789009,Zara,Quill,2014-04-04,7,7A,2025-09-03,maybe\n", "\"sen\""),
    ]

    /// Names and dates of birth that must never appear in an error.
    static let private_ = ["Amelia", "Khan", "Noah", "Smith", "Oscar", "Wilson", "2014-03-02", "2014-02-14", "Zara", "Quill", "2014-04-04"]

    @Test func everyBadInputIsRefusedNamingTheFieldAndLeavesTheLedgerUnchanged() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-04T09:05:00.000Z"
        try t.ok(SectionFiveBadInputTests.mark(code: "/"))
        let before = try t.snapshot()
        t.now = "2025-09-05T12:00:00.000Z"  // the files below mark Friday's registers, which have opened
        func check(_ r: TestLedger.Result, status: Int32, names: String, _ what: String) throws {
            #expect(r.status == status, "\(what): exit \(r.status): \(r.stderr)")
            #expect(r.stderr.contains(names), "\(what) should name \(names): \(r.stderr)")
            #expect(r.stdout.isEmpty || status == 64, "\(what) printed \(r.stdout)")
            for word in SectionFiveBadInputTests.private_ { #expect(!r.stderr.contains(word), "\(what) printed \(word)") }
            if status == 64 { #expect(r.stderr.contains("Usage: rollbook"), "\(what): a usage error shows the usage") }
            #expect(try t.snapshot() == before, "\(what) changed the ledger")
        }
        for c in SectionFiveBadInputTests.commandLineCases {
            try check(try t.run("rollbook", c.arguments), status: c.status, names: c.names == "bogus" ? "bogus" : c.names, c.description)
        }
        for (i, c) in SectionFiveBadInputTests.csvCases.enumerated() {
            let file = try t.file("bad\(i).csv", c.contents)
            try check(try t.run("rollbook", [c.file, "import", file]), status: 1, names: c.names, "\(c.file) import \(c.contents)")
        }
        // An identity is needed for every write.
        let anonymous = try t.run("rollbook", SectionFiveBadInputTests.mark(date: "2025-09-05", code: "/"), identity: false)
        #expect(anonymous.status == 64 && anonymous.stderr.contains("--author"))
        #expect(try t.snapshot() == before)
    }

    @Test func everyCommandHasHelpAndRefusesAnUnknownFlagWithItsUsage() throws {
        let t = try TestLedger()
        let commands = ["init", "calendar term", "calendar closure", "pupils import", "pupils leave", "mark", "marks import", "amend",
                        "intervene", "register", "stats", "stages", "worklist", "export census", "export returns", "export ctf",
                        "retention", "retention dispose", "verify", "digest"]
        for command in commands {
            let words = command.split(separator: " ").map(String.init)
            let help = try t.run("rollbook", words + ["--help"])
            #expect(help.status == 0, "\(command) --help")
            #expect(help.stdout.contains("Usage: rollbook \(command)"), "\(command) --help: \(help.stdout)")
            let unknown = try t.run("rollbook", words + ["--no-such-flag"])
            #expect(unknown.status == 64, "\(command) --no-such-flag exits \(unknown.status)")
            #expect(unknown.stderr.contains("Usage: rollbook \(command)"), "\(command): \(unknown.stderr)")
        }
        for command in ["verify", "register", "amendments", "diff", "history", "anomalies", "prove", "consistency"] {
            let help = try t.run("rollbook-replay", [command, "--help"])
            #expect(help.status == 0 && help.stdout.contains("Usage: rollbook-replay \(command)"), "rollbook-replay \(command) --help")
        }
    }
}

/// Reading commands refuse an unknown group or pupil without talking about writing, and leaving a pupil
/// who already has later marks says how many no longer count.
struct ReadRefusalTests {
    @Test func readsDoNotSayNothingWasWrittenAndLeaveCountsLaterMarks() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-05T16:00:00.000Z"
        for date in ["2025-09-04", "2025-09-05"] {
            try t.ok(SectionFiveBadInputTests.mark(upn: "M123456789002", date: date, code: "/"))
        }
        let group = try t.run("rollbook", ["register", "--date", "2025-09-04", "--group", "9Z"])
        #expect(group.status == 1 && group.stderr.contains("--group") && !group.stderr.contains("Nothing was written"))
        let ctf = try t.run("rollbook", ["export", "ctf", "--upn", "F999999999999"])
        #expect(ctf.status == 1 && ctf.stderr.contains("--upn") && !ctf.stderr.contains("Nothing was written"), "\(ctf.stderr)")
        let leave = try t.run("rollbook", ["pupils", "leave", "--upn", "M123456789002", "--on", "2025-09-04", "--ground", "moved away"])
        #expect(leave.status == 0)
        #expect(leave.stderr.contains("2 mark(s) recorded on or after 2025-09-04"), "\(leave.stderr)")
    }
}

/// `--format text|csv|json` on both verifiers, as section 5 says of every output.
struct VerifyFormatTests {
    @Test func verifyWritesCSVToo() throws {
        let t = try TestLedger()
        try t.standardSchool()
        for tool in ["rollbook", "rollbook-replay"] {
            let r = try t.run(tool, ["verify", "--ledger", t.ledger, "--format", "csv"])
            #expect(r.status == 0, "\(tool): \(r.stderr)")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.first == "ok,label,count,head,digest_checked,first_bad_seq,segment,line,message")
            #expect(lines.dropFirst().first?.hasPrefix("true,rollbook/123456,8,") == true, "\(tool): \(r.stdout)")
        }
    }
}

/// A script may pass `--author`/`--position` to every command; reading commands accept and ignore them.
struct IdentityOnReadsTests {
    @Test func readingCommandsAcceptAnIdentity() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let identity = ["--author", "Sam Patel", "--position", "Attendance Officer"]
        for command in [["register", "--date", "2025-09-03"], ["stats"], ["stages"], ["worklist"], ["verify"], ["digest"], ["retention"]] {
            let r = try t.run("rollbook", command + identity, identity: false)
            #expect(r.status == 0, "\(command.joined(separator: " ")): \(r.stderr)")
        }
        #expect(try t.run("rollbook", ["stats", "--author"], identity: false).status == 64, "an option still needs its value")
    }
}
