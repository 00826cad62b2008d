import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `rollbook export census` across 2024/25 and 2025/26, with terms that straddle Easter Sunday (20 April
/// 2025, 5 April 2026) and the spring bank holiday (26 May 2025, 25 May 2026).
struct ExportCensusTests {
    static let main = "Y123456789001"      // of compulsory school age throughout
    static let reception = "M123456789002" // five on 10 May 2025: compulsory school age from 31 August 2025
    static let leaver = "B123456789003"    // sixteen on 1 March 2025: compulsory school age ends 27 June 2025

    /// Every school-day session of every pupil is marked present unless `special` says otherwise.
    func makeLedger() throws -> TestLedger {
        let t = try TestLedger()
        t.now = "2026-07-01T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Census School", "--la", "938", "--estab", "2001"])
        let terms = [("Summer 2025", "2025-04-14", "2025-06-06"), ("Spring 2 2026", "2026-03-30", "2026-04-17"),
                     ("Summer 2 2026", "2026-05-18", "2026-05-29")]
        for (name, from, to) in terms { try t.ok(["calendar", "term", "--name", name, "--from", from, "--to", to]) }
        let pupils = try t.file("pupils.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            \(Self.main),Amelia,Khan,2014-03-02,5,5A,2025-04-14
            \(Self.reception),Noah,Smith,2020-05-10,R,RA,2025-04-14
            \(Self.leaver),Olivia,Jones,2009-03-01,11,11A,2025-04-14

            """)
        try t.ok(["pupils", "import", pupils])
        let special: [String: String] = [
            // 2024/25
            "2025-04-17 AM": "I", "2025-04-17 PM": "I", "2025-04-18 AM": "M",          // spring-2025 (before Easter Sunday)
            "2025-04-21 AM": "G", "2025-04-21 PM": "G", "2025-04-22 AM": "C1",         // summer1-2025 from Easter Monday
            "2025-05-23 AM": "O",                                                      // the Friday before the bank holiday
            "2025-05-26 AM": "U", "2025-05-26 PM": "N", "2025-05-27 AM": "I",          // summer2-2025 from the bank holiday
            // 2025/26
            "2026-04-02 AM": "Y2", "2026-04-03 AM": "I",                               // spring-2026 (Y2 is not possible)
            "2026-04-06 AM": "I", "2026-05-22 AM": "G",                                // summer1-2026
            "2026-05-25 AM": "J1",                                                     // summer2-2026
        ]
        var rows = ["upn,date,session,code,minutes_late"]
        for (_, from, to) in terms {
            var day = Self.date(from)
            while day <= Self.date(to) {
                let weekday = Calendar(identifier: .gregorian).component(.weekday, from: day)
                if weekday != 1 && weekday != 7 {
                    let text = Self.text(day)
                    for upn in [Self.main, Self.reception, Self.leaver] {
                        for session in ["AM", "PM"] {
                            let code = upn == Self.main ? special["\(text) \(session)"] : nil
                            let standing = code ?? (session == "AM" ? "/" : "\\")
                            rows.append("\(upn),\(text),\(session),\(standing),\(standing == "U" ? "25" : "")")
                        }
                    }
                }
                day = day.addingTimeInterval(86_400)
            }
        }
        try t.ok(["marks", "import", try t.file("marks.csv", rows.joined(separator: "\n") + "\n")])
        return t
    }

    static func date(_ s: String) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let p = s.split(separator: "-").map { Int($0)! }
        return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: 12))!
    }

    static func text(_ d: Date) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let p = c.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
    }

    /// One pupil's figures read back from the XML.
    struct Parsed: Equatable {
        var possible: Int
        var authorised: Int
        var unauthorised: Int
        var reasons: [String: Int]
    }

    func parse(_ xml: String) throws -> (period: String, pupils: [String: Parsed]) {
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        let root = try #require(document.rootElement())
        let period = try #require(root.elements(forName: "Header").first?.elements(forName: "Period").first?.stringValue)
        var out: [String: Parsed] = [:]
        for pupil in root.elements(forName: "Pupils").first?.elements(forName: "Pupil") ?? [] {
            let upn = try #require(pupil.elements(forName: "UPN").first?.stringValue)
            let termly = try #require(pupil.elements(forName: "Attendance").first?.elements(forName: "TermlyAttendance").first)
            func number(_ name: String) -> Int { termly.elements(forName: name).first.flatMap { Int($0.stringValue ?? "") } ?? 0 }
            var reasons: [String: Int] = [:]
            for detail in termly.elements(forName: "SessionDetails").first?.elements(forName: "SessionDetail") ?? [] {
                let reason = try #require(detail.elements(forName: "AttendanceReason").first?.stringValue)
                let sessions = try #require(detail.elements(forName: "AbsenceSessions").first.flatMap { Int($0.stringValue ?? "") })
                #expect(sessions > 0, "zero counts are omitted")
                reasons[reason] = sessions
            }
            #expect(termly.elements(forName: "SessionsPossible").count == 1)
            out[upn] = Parsed(possible: number("SessionsPossible"), authorised: number("SessionsAuthorised"),
                              unauthorised: number("SessionsUnauthorised"), reasons: reasons)
        }
        return (period, out)
    }

    @Test func eachSessionLandsInItsPeriodWithHandComputedCounts() throws {
        let t = try makeLedger()
        // Hand-computed: school days of each period inside the terms, two sessions each, all marked.
        // spring-2025: 14-18 Apr = 5 days, 10 sessions; I 2, M 1.
        // summer1-2025: 21 Apr-23 May = 25 days, 50 sessions; C1 1 (authorised), G 2 + O 1 (unauthorised).
        // summer2-2025: 26 May-6 Jun = 10 days, 20 sessions; I 1; U 1 + N 1.
        // spring-2026: 30 Mar-3 Apr = 5 days, 10 sessions less the Y2 (not possible) = 9; I 1.
        // summer1-2026: 6-17 Apr (10 days) + 18-22 May (5 days) = 30 sessions; I 1; G 1.
        // summer2-2026: 25-29 May = 5 days, 10 sessions; J1 1.
        let expected: [(String, Parsed)] = [
            ("autumn-2024", Parsed(possible: 0, authorised: 0, unauthorised: 0, reasons: [:])),
            ("spring-2025", Parsed(possible: 10, authorised: 3, unauthorised: 0, reasons: ["I": 2, "M": 1])),
            ("summer1-2025", Parsed(possible: 50, authorised: 1, unauthorised: 3, reasons: ["C1": 1, "G": 2, "O": 1])),
            ("summer2-2025", Parsed(possible: 20, authorised: 1, unauthorised: 2, reasons: ["I": 1, "U": 1, "N": 1])),
            ("spring-2026", Parsed(possible: 9, authorised: 1, unauthorised: 0, reasons: ["I": 1])),
            ("summer1-2026", Parsed(possible: 30, authorised: 1, unauthorised: 1, reasons: ["I": 1, "G": 1])),
            ("summer2-2026", Parsed(possible: 10, authorised: 1, unauthorised: 0, reasons: ["J1": 1])),
        ]
        for (period, figures) in expected {
            let (name, pupils) = try parse(try t.ok(["export", "census", "--period", period]))
            #expect(name == period)
            if period == "autumn-2024" {
                #expect(pupils.isEmpty, "nobody was on roll in autumn 2024")
                continue
            }
            #expect(pupils[Self.main] == figures, "\(period)")
        }
    }

    @Test func onlyPupilsOfCompulsorySchoolAgeAreIncluded() throws {
        let t = try makeLedger()
        let in2025 = try parse(try t.ok(["export", "census", "--period", "summer2-2025"])).pupils
        #expect(Set(in2025.keys) == [Self.main, Self.leaver], "the reception child is not yet of compulsory school age")
        #expect(in2025[Self.leaver]?.possible == 20, "the leaver is of compulsory school age until 27 June 2025")
        let in2026 = try parse(try t.ok(["export", "census", "--period", "spring-2026"])).pupils
        #expect(Set(in2026.keys) == [Self.main, Self.reception], "compulsory school age began on 31 August 2025; the leaver's ended")
        #expect(in2026[Self.reception] == Parsed(possible: 10, authorised: 0, unauthorised: 0, reasons: [:]))
    }

    @Test func csvHasTheFixedColumnsThenOneColumnPerAbsenceCode() throws {
        let t = try makeLedger()
        let csv = try t.ok(["export", "census", "--period", "summer1-2025", "--format", "csv"])
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first)
        #expect(Array(header.prefix(4)) == ["upn", "sessions_possible", "sessions_authorised", "sessions_unauthorised"])
        #expect(Array(header.dropFirst(4)) == ["C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E", "G", "N", "O", "U"])
        let row = try #require(lines.first { $0.first == Self.main })
        var values: [String: String] = [:]
        for (k, v) in zip(header, row) { values[k] = v }
        #expect(values["sessions_possible"] == "50")
        #expect(values["sessions_authorised"] == "1")
        #expect(values["sessions_unauthorised"] == "3")
        #expect(values["C1"] == "1" && values["G"] == "2" && values["O"] == "1" && values["I"] == "0")
    }

    @Test func aMalformedPeriodIsAUsageError() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let r = try t.run("rollbook", ["export", "census", "--period", "summer-2026"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--period"))
    }
}
