import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `rollbook export census` for autumn 2025: the census age rule (4 to 15 on 31 August 2025), a pupil
/// re-admitted within the term (census and returns), and the warnings for unmarked periods.
struct ExportCensusAgeTests {
    static let reception = "Y938202500001"   // born 2021-05-10: four on 31 August 2025
    static let sixteen = "M938202500002"     // born 2009-08-31: sixteen on 31 August 2025
    static let fifteen = "B938202500003"     // born 2009-09-01: fifteen on 31 August 2025, sixteen the next day
    static let nursery = "Q938202500004"     // born 2022-01-15: three on 31 August 2025
    static let readmitted = "E938202500005"  // on roll 1-12 September and 6-17 October 2025

    /// Autumn 1 2025 (1 September-24 October), every session marked; the reception pupil has two I, an M
    /// and a G; the re-admitted pupil an O in the first spell and an I in the second.
    func makeLedger() throws -> TestLedger {
        let t = try TestLedger()
        t.now = "2026-01-20T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Census School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-01", "--to", "2025-10-24"])
        try t.ok(["pupils", "import", try t.file("pupils.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            \(Self.reception),Ava,Reid,2021-05-10,R,RA,2025-09-01
            \(Self.sixteen),Ben,Cole,2009-08-31,12,12A,2025-09-01
            \(Self.fifteen),Cara,Dunn,2009-09-01,11,11A,2025-09-01
            \(Self.nursery),Dev,Earl,2022-01-15,N2,N,2025-09-01
            \(Self.readmitted),Eli,Ford,2015-02-02,5,5A,2025-09-01

            """)])
        let term = TestLedger.weekdays("2025-09-01", "2025-10-24")
        let reception = ["2025-09-10 AM": "I", "2025-09-10 PM": "I", "2025-09-15 AM": "M", "2025-09-16 AM": "G"]
        try t.markEverySession(days: term, upns: [Self.reception, Self.sixteen, Self.fifteen, Self.nursery]) { upn, day, session in
            upn == Self.reception ? reception["\(day) \(session)"] : nil
        }
        try t.markEverySession(days: TestLedger.weekdays("2025-09-01", "2025-09-12"), upns: [Self.readmitted]) { _, day, session in
            day == "2025-09-02" && session == "AM" ? "O" : nil
        }
        try t.ok(["pupils", "leave", "--upn", Self.readmitted, "--on", "2025-09-15", "--ground", "moved away"])
        try t.ok(["pupils", "import", try t.file("again.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            \(Self.readmitted),Eli,Ford,2015-02-02,5,5A,2025-10-06

            """)])
        try t.markEverySession(days: TestLedger.weekdays("2025-10-06", "2025-10-17"), upns: [Self.readmitted]) { _, day, session in
            day == "2025-10-07" && session == "PM" ? "I" : nil
        }
        try t.ok(["pupils", "leave", "--upn", Self.readmitted, "--on", "2025-10-20", "--ground", "moved abroad"])
        return t
    }

    /// Each pupil's TermlyAttendance figures and reasons.
    func parse(_ xml: String) throws -> [String: (possible: Int, authorised: Int, unauthorised: Int, reasons: [String: Int])] {
        let root = try #require(try XMLDocument(data: Data(xml.utf8), options: []).rootElement())
        var out: [String: (Int, Int, Int, [String: Int])] = [:]
        for pupil in root.elements(forName: "Pupils").first?.elements(forName: "Pupil") ?? [] {
            let upn = try #require(pupil.elements(forName: "UPN").first?.stringValue)
            let termly = try #require(pupil.elements(forName: "Attendance").first?.elements(forName: "TermlyAttendance").first)
            func number(_ name: String) -> Int { termly.elements(forName: name).first.flatMap { Int($0.stringValue ?? "") } ?? 0 }
            var reasons: [String: Int] = [:]
            for detail in termly.elements(forName: "SessionDetails").first?.elements(forName: "SessionDetail") ?? [] {
                let reason = try #require(detail.elements(forName: "AttendanceReason").first?.stringValue)
                let sessions: Int = try #require(detail.elements(forName: "AbsenceSessions").first.flatMap { Int($0.stringValue ?? "") })
                reasons[reason] = sessions
            }
            out[upn] = (number("SessionsPossible"), number("SessionsAuthorised"), number("SessionsUnauthorised"), reasons)
        }
        return out
    }

    @Test func receptionIsInSixteenIsOutAndBothSpellsOfAReAdmittedPupilCount() throws {
        let t = try makeLedger()
        let r = try t.run("rollbook", ["export", "census", "--period", "autumn-2025"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"), "every school day of the period is marked: \(r.stderr)")
        let pupils = try parse(r.stdout)
        #expect(Set(pupils.keys) == [Self.reception, Self.fifteen, Self.readmitted])

        let sessions = 2 * TestLedger.weekdays("2025-09-01", "2025-10-24").count
        let reception = try #require(pupils[Self.reception])
        #expect(reception.possible == sessions)
        #expect(reception.authorised == 3 && reception.unauthorised == 1)
        #expect(reception.reasons == ["I": 2, "M": 1, "G": 1])
        #expect(pupils[Self.fifteen]?.possible == sessions, "fifteen on 31 August, whatever the next day")

        let readmitted = try #require(pupils[Self.readmitted])
        #expect(readmitted.possible == 40, "1-12 September and 6-17 October: 20 school days")
        #expect(readmitted.authorised == 1 && readmitted.unauthorised == 1)
        #expect(readmitted.reasons == ["O": 1, "I": 1], "a code from each spell")

        let csv = try t.ok(["export", "census", "--period", "autumn-2025", "--format", "csv"])
        #expect(!csv.contains(Self.sixteen) && !csv.contains(Self.nursery))
        #expect(csv.contains("\(Self.reception),\(sessions),3,1,"))
    }

    @Test func theReturnsGiveADeletionAndAnAdmissionForEachSpell() throws {
        let t = try makeLedger()
        let r = try t.run("rollbook", ["export", "returns", "--from", "2025-09-01", "--to", "2025-10-24", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let returns = try #require(object["returns"] as? [[String: Any]])
        let mine = returns.filter { $0["upn"] as? String == Self.readmitted }
            .map { "\($0["kind"] as? String ?? "") \($0["from"] as? String ?? "") \($0["ground"] as? String ?? "-")" }
        #expect(mine.sorted() == ["admission 2025-09-01 -", "admission 2025-10-06 -",
                                  "deletion 2025-09-15 moved away", "deletion 2025-10-20 moved abroad"])
        #expect((object["warnings"] as? [String]) == [], "a fully marked window has no warnings")
    }

    @Test func anExportOfAnUnmarkedPeriodOrOfNoTermWarns() throws {
        let t = try makeLedger()
        try t.ok(["calendar", "term", "--name", "Spring 1", "--from", "2026-01-05", "--to", "2026-02-13"])
        let before = try t.snapshot()

        // Spring 2026: a term, but not one mark.
        let census = try t.run("rollbook", ["export", "census", "--period", "spring-2026"])
        #expect(census.status == 0)
        #expect(census.stderr.hasPrefix("warning:") && census.unwrappedErrors.contains("no mark"), "\(census.stderr)")
        #expect(census.unwrappedErrors.contains("from 2026-01-05"), "names the first unmarked day: \(census.stderr)")
        for line in census.stderr.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
        let csv = try t.run("rollbook", ["export", "census", "--period", "spring-2026", "--format", "csv"])
        #expect(csv.unwrappedErrors.contains("no mark") && !csv.stdout.contains("warning"), "CSV: standard error only")

        let returns = try t.run("rollbook", ["export", "returns", "--from", "2026-01-05", "--to", "2026-01-16", "--format", "json"])
        #expect(returns.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(returns.stdout.utf8)) as? [String: Any])
        let warnings = try #require(object["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings.first?.contains("10 of the 10 school day(s)") == true, "\(warnings)")
        #expect(returns.unwrappedErrors.contains(warnings.first ?? "?"))

        // Summer 2 2026: no term at all.
        let empty = try t.run("rollbook", ["export", "census", "--period", "summer2-2026"])
        #expect(empty.status == 0)
        #expect(empty.unwrappedErrors.contains("No term of the school calendar falls in summer2-2026"), "\(empty.stderr)")
        #expect(try t.snapshot() == before, "a warning writes nothing")
    }
}
