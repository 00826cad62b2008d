import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `rollbook export ctf`: a whole CTF 25 file, read back with FoundationXML the way a receiving school's
/// system reads it: the envelope by name, the attendance marks by position.
struct ExportCTFTests {
    static let upn = "Y938202500001"
    static let readmitted = "M938202500002"

    /// The codes recorded for the leaver, by "date session"; every other marked session is present.
    static let special: [String: (code: String, minutes: String)] = [
        "2025-09-02 AM": ("I", ""), "2025-09-02 PM": ("M", ""),
        "2025-09-03 AM": ("C1", ""), "2025-09-03 PM": ("J1", ""),
        "2025-09-04 AM": ("Y2", ""), "2025-09-05 PM": ("C2", ""),
        "2025-09-08 AM": ("L", "10"), "2025-09-08 PM": ("U", "25"),
        "2025-09-10 AM": ("G", ""), "2025-09-10 PM": ("O", ""),
        "2025-10-24 PM": ("Y7", ""), "2025-11-03 AM": ("N", ""),
    ]
    /// The session left unmarked.
    static let unmarked = "2025-11-05 PM"
    /// The day of the planned closure.
    static let closed = "2025-09-19"

    /// Autumn 1 (1 Sep-24 Oct) and Autumn 2 (3 Nov-19 Dec) 2025, half term between, an INSET closure on
    /// 19 September; the pupil is admitted on 1 September and leaves on 14 November.
    func makeLedger() throws -> TestLedger {
        let t = try TestLedger()
        t.now = "2025-11-20T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "St Mary & St John <Primary> \"Q\" School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-01", "--to", "2025-10-24"])
        try t.ok(["calendar", "term", "--name", "Autumn 2", "--from", "2025-11-03", "--to", "2025-12-19"])
        try t.ok(["calendar", "closure", "--from", Self.closed, "--to", Self.closed, "--code", "#", "--reason", "INSET day"])
        try t.ok(["pupils", "import", try t.file("pupils.csv", """
            upn,forename,surname,dob,year_group,group,admitted,sex
            \(Self.upn),Amelia,O'Neil,2014-03-02,6,6A,2025-09-01,F

            """)])
        var rows = ["upn,date,session,code,minutes_late"]
        for day in TestLedger.weekdays("2025-09-01", "2025-11-13") + [] where day != Self.closed {
            guard day < "2025-10-25" || day > "2025-11-02" else { continue }  // half term
            for session in ["AM", "PM"] where "\(day) \(session)" != Self.unmarked {
                let mark = Self.special["\(day) \(session)"] ?? (session == "AM" ? "/" : "\\", "")
                rows.append("\(Self.upn),\(day),\(session),\(mark.code),\(mark.minutes)")
            }
        }
        try t.ok(["marks", "import", try t.file("marks.csv", rows.joined(separator: "\n") + "\n")])
        try t.ok(["pupils", "leave", "--upn", Self.upn, "--on", "2025-11-14", "--ground", "moved to another school"])
        return t
    }

    static func element(_ parent: XMLElement?, _ path: String) -> XMLElement? {
        var current = parent
        for name in path.split(separator: "/") { current = current?.elements(forName: String(name)).first }
        return current
    }

    static func text(_ parent: XMLElement?, _ path: String) -> String? { element(parent, path)?.stringValue }

    /// The character a receiving system should find for each session from `start` to `end`.
    static func expected(from start: String, to end: String) -> [(session: String, character: Character)] {
        let schoolDays = Set(TestLedger.weekdays("2025-09-01", "2025-10-24") + TestLedger.weekdays("2025-11-03", "2025-12-19"))
        let oneCharacter = ["C1": "C", "C2": "C", "J1": "C", "Y2": "Q", "Y7": "Q"]
        var out: [(String, Character)] = []
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        var day = ISO8601DateFormatter().date(from: start + "T12:00:00Z")!
        let last = ISO8601DateFormatter().date(from: end + "T12:00:00Z")!
        while day <= last {
            let p = c.dateComponents([.year, .month, .day], from: day)
            let text = String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
            for session in ["AM", "PM"] {
                let key = "\(text) \(session)"
                let character: String
                if !schoolDays.contains(text) || text == closed {
                    character = "#"
                } else if key == unmarked {
                    character = "-"
                } else if let code = special[key]?.code {
                    character = oneCharacter[code] ?? code
                } else {
                    character = session == "AM" ? "/" : "\\"
                }
                out.append((key, Character(character)))
            }
            day = day.addingTimeInterval(86_400)
        }
        return out
    }

    @Test func theWholeFileHasTheEnvelopeAndOneCharacterPerSession() throws {
        let t = try makeLedger()
        let r = try t.run("rollbook", ["export", "ctf", "--upn", Self.upn, "--dest-la", "373", "--dest-estab", "4021"])
        #expect(r.status == 0, "\(r.stderr)")
        let document = try XMLDocument(data: Data(r.stdout.utf8), options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "CTfile")
        #expect(r.stdout.contains("St Mary &amp; St John &lt;Primary&gt; &quot;Q&quot; School"), "markup in a name is escaped")
        #expect(r.stdout.contains("<Surname>O&apos;Neil</Surname>"))

        let header = try #require(Self.element(root, "Header"))
        #expect(Self.text(header, "DocumentName") == "Common Transfer File")
        #expect(Self.text(header, "CTFversion") == "25.0")
        #expect(Self.text(header, "DateTime") == "2025-11-20T08:00:00")
        #expect(Self.text(header, "DocumentQualifier") == "partial")
        #expect(Self.text(header, "SupplierID")?.isEmpty == false)
        #expect(Self.text(header, "SourceSchool/LEA") == "938")
        #expect(Self.text(header, "SourceSchool/Estab") == "2001")
        #expect(Self.text(header, "SourceSchool/SchoolName") == "St Mary & St John <Primary> \"Q\" School")
        #expect(Self.text(header, "SourceSchool/AcademicYear") == "2025")
        #expect(Self.text(header, "DestSchool/LEA") == "373")
        #expect(Self.text(header, "DestSchool/Estab") == "4021")
        #expect(header.elements(forName: "DestSchool").count == 1)

        let pupils = try #require(Self.element(root, "CTFpupilData")).elements(forName: "Pupil")
        #expect(pupils.count == 1)
        let pupil = try #require(pupils.first)
        #expect(Self.text(pupil, "UPN") == Self.upn)
        #expect(Self.text(pupil, "Surname") == "O'Neil")
        #expect(Self.text(pupil, "Forename") == "Amelia")
        #expect(Self.text(pupil, "DOB") == "2014-03-02")
        #expect(Self.text(pupil, "Sex") == "F", "held, so written")

        let years = try #require(Self.element(pupil, "Attendance")).elements(forName: "YearData")
        #expect(years.count == 1)
        let year = try #require(years.first)
        #expect(Self.text(year, "Year") == "2025")
        #expect(Self.text(year, "LEA") == "938" && Self.text(year, "Estab") == "2001")
        let start = try #require(Self.text(year, "AttendSessions/AttendanceStartDate"))
        #expect(start == "2025-09-01")
        let marks = try #require(Self.text(year, "AttendSessions/AttendanceMarks"))
        #expect(!marks.contains(","), "no separator")

        // Read by position, as a receiving system does: the last day on roll is 13 November.
        let expected = Self.expected(from: start, to: "2025-11-13")
        #expect(marks.count == expected.count, "two characters per calendar day from the start date")
        for (i, character) in marks.enumerated() where i < expected.count {
            #expect(character == expected[i].character, "\(expected[i].session) at position \(i)")
        }
        // Spot checks of what the loop covers, so a failure says what moved.
        let index = { (key: String) in expected.firstIndex { $0.session == key }! }
        let characters = Array(marks)
        #expect(characters[index("2025-09-03 AM")] == "C" && characters[index("2025-09-04 AM")] == "Q")
        #expect(characters[index("2025-09-06 AM")] == "#" && characters[index("2025-09-07 PM")] == "#", "a weekend")
        #expect(characters[index("2025-09-19 AM")] == "#" && characters[index("2025-09-19 PM")] == "#", "the closure")
        #expect(characters[index("2025-10-29 AM")] == "#", "half term")
        #expect(characters[index("2025-09-08 PM")] == "U" && characters[index("2025-11-03 AM")] == "N")
        #expect(characters[index(Self.unmarked)] == "-")

        // Figures: sessions on roll less the closure (not possible), Y2 and Y7 (not possible), the unmarked one.
        let days = TestLedger.weekdays("2025-09-01", "2025-10-24").count + TestLedger.weekdays("2025-11-03", "2025-11-13").count
        let possible = 2 * (days - 1) - 2 - 1
        #expect(Self.text(year, "SessionsPossible") == String(possible))
        #expect(Self.text(year, "SessionsAuthorised") == "5", "I, M, C1, J1, C2")
        #expect(Self.text(year, "SessionsUnauthorised") == "4", "U, G, O, N")
        #expect(Self.text(year, "SessionsAttended") == String(possible - 9))

        // The unmarked session is reported, not passed over.
        #expect(r.stderr.hasPrefix("warning:") && r.unwrappedErrors.contains("(1 session(s), on 2025-11-05)"), "\(r.stderr)")
    }

    @Test func aPupilReAdmittedInALaterYearHasOneYearDataPerYearOnRoll() throws {
        let t = try TestLedger()
        t.now = "2025-10-01T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Summer 2025", "--from", "2025-06-02", "--to", "2025-07-18"])
        try t.ok(["calendar", "term", "--name", "Autumn 2025", "--from", "2025-09-01", "--to", "2025-12-19"])
        try t.ok(["pupils", "import", try t.file("p1.csv", "upn,forename,surname,dob,year_group,group,admitted\n\(Self.readmitted),Noah,Smith,2015-01-10,5,5A,2025-06-02\n")])
        try t.markEverySession(days: TestLedger.weekdays("2025-06-02", "2025-06-13"), upns: [Self.readmitted]) { _, _, _ in nil }
        try t.ok(["pupils", "leave", "--upn", Self.readmitted, "--on", "2025-06-16", "--ground", "moved abroad"])
        try t.ok(["pupils", "import", try t.file("p2.csv", "upn,forename,surname,dob,year_group,group,admitted\n\(Self.readmitted),Noah,Smith,2015-01-10,6,6A,2025-09-08\n")])
        try t.markEverySession(days: TestLedger.weekdays("2025-09-08", "2025-09-30"), upns: [Self.readmitted]) { _, _, _ in nil }
        let xml = try t.ok(["export", "ctf", "--upn", Self.readmitted])
        let root = try #require(try XMLDocument(data: Data(xml.utf8), options: []).rootElement())
        let years = try #require(Self.element(root, "CTFpupilData/Pupil/Attendance")).elements(forName: "YearData")
        #expect(years.map { Self.text($0, "Year") } == ["2024", "2025"], "the first spell's year is kept")
        #expect(Self.text(years.first, "SessionsPossible") == "20", "2-13 June 2025")
        #expect(Self.text(years.first, "AttendSessions/AttendanceStartDate") == "2025-06-02")
        #expect(Self.text(years.last, "SessionsPossible") == "34", "8-30 September 2025")
        #expect(Self.text(years.last, "AttendSessions/AttendanceStartDate") == "2025-09-08")
        #expect(Self.text(root, "Header/DestSchool") == nil, "no destination given, none written")
        #expect(Self.element(root, "CTFpupilData/Pupil/Sex") == nil, "no sex held, none written")
    }

    /// Characters XML 1.0 forbids (control characters, and the noncharacters U+FFFE and U+FFFF) are
    /// refused where they would enter the ledger, so no export can ever carry one.
    @Test func aCharacterXMLForbidsNeverReachesTheFile() throws {
        let t = try TestLedger()
        t.now = "2025-09-10T08:00:00.000Z"
        let refused = try t.run("rollbook", ["init", "--urn", "123456", "--name", "Bad\u{FFFF}School", "--la", "938", "--estab", "2001"])
        #expect(refused.status == 1 && refused.stderr.contains("--name"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: t.ledger + "/checkpoint"))
        try t.ok(["init", "--urn", "123456", "--name", "Good School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-01", "--to", "2025-10-24"])
        let before = try t.snapshot()
        let pupils = try t.run("rollbook", ["pupils", "import", try t.file("p.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            \(Self.upn),Am\u{FFFF}elia,Kh\u{FFFE}an,2014-03-02,6,6A,2025-09-01

            """)])
        #expect(pupils.status == 1 && pupils.stderr.contains("line 2, column \"forename\""), "\(pupils.stderr)")
        #expect(!pupils.stderr.contains("elia"), "the cell is not echoed")
        #expect(try t.snapshot() == before)
    }

    @Test func aHalfGivenDestinationIsAUsageError() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let r = try t.run("rollbook", ["export", "ctf", "--upn", "Y123456789001", "--dest-la", "373"])
        #expect(r.status == 64 && r.stderr.contains("--dest-estab"), "\(r.stderr)")
        let bad = try t.run("rollbook", ["export", "ctf", "--upn", "Y123456789001", "--dest-la", "37x", "--dest-estab", "4021"])
        #expect(bad.status == 64 && bad.stderr.contains("--dest-la"), "\(bad.stderr)")
    }

    @Test func anUnknownPupilIsRefused() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let r = try t.run("rollbook", ["export", "ctf", "--upn", "L123456789999"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("L123456789999"))
    }
}
