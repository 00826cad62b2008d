import Foundation
import Testing

/// `rollbook marks import` of history migrated from another system (`recorded_at`) holding legacy codes
/// after their retirement: accepted with a warning naming the lines, and classified as DfE's statistics
/// do; the same rows entered now are refused.
struct MarksImportMigratedHistoryTests {
    static let upn = "Y938202500001"

    func makeLedger() throws -> TestLedger {
        let t = try TestLedger()
        t.now = "2025-01-10T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Spring 2020", "--from", "2020-01-06", "--to", "2020-02-14"])
        try t.ok(["calendar", "term", "--name", "Autumn 2024", "--from", "2024-09-02", "--to", "2024-10-25"])
        try t.ok(["pupils", "import", try t.file("p.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            \(Self.upn),Amelia,Khan,2012-05-05,3,3A,2019-09-02

            """)])
        return t
    }

    /// Rows 2, 4, 5 and 6 hold F after 1 September 2013 and H, H, J after 19 August 2024.
    static func rows(recorded: Bool) -> String {
        let rows = [("2020-01-06", "AM", "F", "2020-01-06T09:00:00Z"), ("2020-01-06", "PM", "\\", "2020-01-06T14:00:00Z"),
                    ("2024-09-10", "AM", "H", "2024-09-10T09:00:00Z"), ("2024-09-10", "PM", "H", "2024-09-10T14:00:00Z"),
                    ("2024-09-11", "AM", "J", "2024-09-11T09:00:00Z"), ("2024-09-11", "PM", "\\", "2024-09-11T14:00:00Z")]
        let header = recorded ? "upn,date,session,code,recorded_at" : "upn,date,session,code"
        return ([header] + rows.map { "\(upn),\($0.0),\($0.1),\($0.2)" + (recorded ? ",\($0.3)" : "") })
            .joined(separator: "\n") + "\n"
    }

    func figures(_ t: TestLedger, from: String, to: String) throws -> [String: Any] {
        let json = try t.ok(["stats", "--from", from, "--to", to, "--upn", Self.upn, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(object["total"] as? [String: Any])
    }

    @Test func retiredCodesInMigratedHistoryAreAcceptedWithAWarningAndClassifiedAsDfEDoes() throws {
        let t = try makeLedger()
        let r = try t.run("rollbook", ["marks", "import", try t.file("migrated.csv", Self.rows(recorded: true))])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning:"), "\(r.stderr)")
        #expect(r.stderr.contains("line(s) 2, 4-6."), "names the lines: \(r.stderr)")
        #expect(r.stderr.contains("(F, H, J)") || (r.stderr.contains("F") && r.stderr.contains("H") && r.stderr.contains("J")))
        #expect(!r.stderr.contains("Amelia") && !r.stderr.contains("Khan"), "never a pupil's name")
        for line in r.stderr.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }

        // F counts as H: authorised absence.
        let spring2020 = try figures(t, from: "2020-01-06", to: "2020-01-06")
        #expect(spring2020["authorised_absence"] as? Int == 1)
        #expect(spring2020["possible_sessions"] as? Int == 2)
        // H after 19 August 2024 is authorised absence; J is approved educational activity.
        let autumn2024 = try figures(t, from: "2024-09-10", to: "2024-09-11")
        #expect(autumn2024["authorised_absence"] as? Int == 2)
        #expect(autumn2024["approved_educational_activity"] as? Int == 1)
        #expect(autumn2024["overall_attendance"] as? Int == 2, "J and the present PM")
        #expect(autumn2024["unauthorised_absence"] as? Int == 0)
        #expect(autumn2024["possible_sessions"] as? Int == 4)
    }

    @Test func theSameCodesEnteredNowAreRefused() throws {
        let t = try makeLedger()
        let before = try t.snapshot()
        let r = try t.run("rollbook", ["marks", "import", try t.file("now.csv", Self.rows(recorded: false))])
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 2") && r.stderr.contains("retired"), "\(r.stderr)")
        #expect(try t.snapshot() == before, "the log is unchanged")
        let mark = try t.run("rollbook", ["mark", "--upn", Self.upn, "--date", "2024-09-12", "--session", "AM", "--code", "H"])
        #expect(mark.status == 1 && mark.stderr.contains("retired"), "\(mark.stderr)")
        #expect(try t.snapshot() == before)
    }

    @Test func a2024CodeBeforeItsIntroductionIsRefusedEvenInMigratedHistory() throws {
        let t = try makeLedger()
        let before = try t.snapshot()
        let csv = "upn,date,session,code,recorded_at\n\(Self.upn),2020-01-07,AM,C1,2020-01-07T09:00:00Z\n"
        let r = try t.run("rollbook", ["marks", "import", try t.file("c1.csv", csv)])
        #expect(r.status == 1 && r.stderr.contains("line 2") && r.stderr.contains("introduced"), "\(r.stderr)")
        #expect(try t.snapshot() == before)
    }
}
