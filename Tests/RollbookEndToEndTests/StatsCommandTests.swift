import Foundation
import Testing

/// `rollbook stats` against hand-computed figures, over Mon 8 – Fri 12 Sep 2025.
///
/// Wed 10 is a planned closure (#) and Fri 12 AM an unplanned one (Y4, recorded after the marks, so it
/// overrides the `/` already there). Hand-computed per pupil:
/// - P1 (on roll throughout): Mon / \ ; Tue L(5) U(20); Wed # #; Thu N→I (amended), \→V (amended);
///   Fri /→Y4, D. Possible 6 (Mon 2, Tue 2, Thu 2); present 3 (/ \ L); AEA 1 (V); attendance 4;
///   authorised 1 (I); unauthorised 1 (U); absence 2; late 2 (L, U); 66.67% / 33.33%; persistent, not severe.
/// - P2 (admitted Thu 11, mid-week): Thu / \ ; Fri Y4 (unmarked, closed), \ . Possible 3, present 3; 100%.
/// - P3 (leaves: not on roll from Wed 10): Mon G G; Tue X C. Possible 3 (X is not possible);
///   unauthorised 2, authorised 1; 0% attendance, severe.
/// - P4: Mon /→O (amended), \→D (amended, so no longer possible); Tue M B; Wed # #; Thu / \ ; Fri Y4 \ .
///   Possible 6; present 3; AEA 1 (B); attendance 4; authorised 1 (M); unauthorised 1 (O); 66.67%.
/// Total (sums of sessions): possible 18, present 9, AEA 2, attendance 11, authorised 3, unauthorised 4,
/// absence 7, late 2, 61.11% / 38.89%.
struct StatsCommandTests {
    func ledger() throws -> TestLedger {
        let t = try TestLedger()
        t.now = "2025-09-01T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-01", "--to", "2025-10-24"])
        try t.ok(["pupils", "import", try t.file("pupils.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            P000000000001,Ann,One,2014-01-01,7,7A,2025-09-01
            D000000000002,Ben,Two,2014-01-01,7,7A,2025-09-11
            T000000000003,Cat,Three,2014-01-01,7,7B,2025-09-01
            G000000000004,Dan,Four,2014-01-01,7,7B,2025-09-01

            """)])
        t.now = "2025-09-12T16:00:00.000Z"
        try t.ok(["calendar", "closure", "--from", "2025-09-10", "--to", "2025-09-10", "--code", "#", "--reason", "INSET day"])
        try t.ok(["marks", "import", try t.file("marks.csv", """
            upn,date,session,code,minutes_late
            P000000000001,2025-09-08,AM,/,
            P000000000001,2025-09-08,PM,\\,
            P000000000001,2025-09-09,AM,L,5
            P000000000001,2025-09-09,PM,U,20
            P000000000001,2025-09-11,AM,N,
            P000000000001,2025-09-11,PM,\\,
            P000000000001,2025-09-12,AM,/,
            P000000000001,2025-09-12,PM,D,
            D000000000002,2025-09-11,AM,/,
            D000000000002,2025-09-11,PM,\\,
            D000000000002,2025-09-12,PM,\\,
            T000000000003,2025-09-08,AM,G,
            T000000000003,2025-09-08,PM,G,
            T000000000003,2025-09-09,AM,X,
            T000000000003,2025-09-09,PM,C,
            G000000000004,2025-09-08,AM,/,
            G000000000004,2025-09-08,PM,\\,
            G000000000004,2025-09-09,AM,M,
            G000000000004,2025-09-09,PM,B,
            G000000000004,2025-09-11,AM,/,
            G000000000004,2025-09-11,PM,\\,
            G000000000004,2025-09-12,PM,\\,

            """)])
        try t.ok(["calendar", "closure", "--from", "2025-09-12", "--to", "2025-09-12", "--session", "AM", "--code", "Y4", "--reason", "snow"])
        try t.ok(["pupils", "leave", "--upn", "T000000000003", "--on", "2025-09-10", "--ground", "moved away"])
        for (upn, date, session, code) in [("P000000000001", "2025-09-11", "AM", "I"), ("P000000000001", "2025-09-11", "PM", "V"),
                                           ("G000000000004", "2025-09-08", "AM", "O"), ("G000000000004", "2025-09-08", "PM", "D")] {
            try t.ok(["amend", "--upn", upn, "--date", date, "--session", session, "--code", code, "--reason", "corrected"])
        }
        return t
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func handComputedFiguresPerPupilAndInTotal() throws {
        let t = try ledger()
        let out = try json(try t.ok(["stats", "--from", "2025-09-08", "--to", "2025-09-12", "--format", "json"]))
        let total = try #require(out["total"] as? [String: Any])
        // The test's pupils are numbered by the digits after the check letter.
        let listed = try #require(out["pupils"] as? [[String: Any]])
        let pupils = listed.sorted { ($0["upn"] as? String ?? "").dropFirst() < ($1["upn"] as? String ?? "").dropFirst() }
        #expect(pupils.map { $0["upn"] as? String } == ["P000000000001", "D000000000002", "T000000000003", "G000000000004"])
        let names = ["possible_sessions", "present_sessions", "approved_educational_activity", "overall_attendance", "authorised_absence",
                     "unauthorised_absence", "overall_absence", "late_sessions"]
        let expected: [[Int]] = [[6, 3, 1, 4, 1, 1, 2, 2], [3, 3, 0, 3, 0, 0, 0, 0], [3, 0, 0, 0, 1, 2, 3, 0], [6, 3, 1, 4, 1, 1, 2, 0]]
        for (row, want) in zip(pupils, expected) {
            #expect(names.map { row[$0] as? Int } == want, "\(row["upn"]!)")
        }
        #expect(names.map { total[$0] as? Int } == [18, 9, 2, 11, 3, 4, 7, 2])
        #expect(Set(total.keys) == Set(names + ["attendance_perc", "overall_absence_perc", "persistent_absence", "severe_absence", "by_code"]),
                "total has exactly the section 6 names")
        #expect(out["persistent_absentees"] as? Int == 3)
        #expect(out["severe_absentees"] as? Int == 1)
        // Percentages are unrounded, as DfE's own data files publish them.
        #expect(pupils.map { $0["attendance_perc"] as? Double } == [400.0 / 6, 100, 0, 400.0 / 6])
        #expect(pupils.map { $0["overall_absence_perc"] as? Double } == [200.0 / 6, 0, 100, 200.0 / 6])
        #expect(pupils.map { $0["persistent_absence"] as? Bool } == [true, false, true, true])
        #expect(pupils.map { $0["severe_absence"] as? Bool } == [false, false, true, false])
        // Foundation's JSON reader may round the last digit, so the written text is compared.
        let text = try t.ok(["stats", "--from", "2025-09-08", "--to", "2025-09-12", "--format", "json"])
        #expect(text.contains("\"attendance_perc\": \(1100.0 / 18),"))
        #expect(text.contains("\"overall_absence_perc\": \(700.0 / 18),"))
        #expect(pupils[0]["by_code"] as? [String: Int] == ["/": 1, "\\": 1, "L": 1, "U": 1, "#": 2, "I": 1, "V": 1, "Y4": 1, "D": 1])
        #expect(pupils[1]["by_code"] as? [String: Int] == ["/": 1, "\\": 2, "Y4": 1])
        #expect(pupils[2]["by_code"] as? [String: Int] == ["G": 2, "X": 1, "C": 1])
        #expect(pupils[3]["by_code"] as? [String: Int] == ["/": 1, "\\": 2, "O": 1, "D": 1, "M": 1, "B": 1, "#": 2, "Y4": 1])
    }

    @Test func asOfBeforeTheAmendmentsAndFilters() throws {
        let t = try ledger()
        // Before anything on 12 Sep was appended there were no marks; a group and a pupil filter.
        let early = try json(try t.ok(["stats", "--from", "2025-09-08", "--to", "2025-09-12", "--as-of", "2025-09-11", "--format", "json"]))
        #expect((early["total"] as? [String: Any])?["possible_sessions"] as? Int == 0)
        let group = try json(try t.ok(["stats", "--from", "2025-09-08", "--to", "2025-09-12", "--group", "7B", "--format", "json"]))
        #expect((group["pupils"] as? [[String: Any]])?.count == 2)
        #expect((group["total"] as? [String: Any])?["possible_sessions"] as? Int == 9)
        let one = try json(try t.ok(["stats", "--upn", "G000000000004", "--format", "json"]))  // default: academic year to date (today 12 Sep)
        #expect((one["total"] as? [String: Any])?["overall_attendance"] as? Int == 4)
        #expect(one["from"] as? String == "2025-08-01")
        #expect(one["to"] as? String == "2025-09-12")
        let csv = try t.ok(["stats", "--from", "2025-09-08", "--to", "2025-09-12", "--format", "csv"])
        #expect(csv.split(separator: "\n").first?.hasPrefix("upn,group,possible_sessions,present_sessions,") == true)
        #expect(csv.split(separator: "\n").last?.hasPrefix("total,,18,9,2,11,3,4,7,2,\(1100.0 / 18),\(700.0 / 18),") == true)
        let text = try t.ok(["stats", "--from", "2025-09-08", "--to", "2025-09-12"])
        #expect(text.contains("One, Ann"))
        let bad = try t.run("rollbook", ["stats", "--upn", "F999999999999"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("F999999999999"))
        #expect(try t.run("rollbook", ["stats", "--from", "2025-09-12", "--to", "2025-09-08"]).status == 64)
    }

    @Test func byCohortInJSONCSVAndText() throws {
        let t = try ledger()
        let range = ["--from", "2025-09-08", "--to", "2025-09-12"]
        // 7A: P1 (6 possible, 4 attended, persistent) and P2 (3, 3); 7B: P3 (3, 0, severe) and P4 (6, 4, persistent).
        let out = try json(try t.ok(["stats"] + range + ["--by", "group", "--format", "json"]))
        #expect(out["by"] as? String == "group")
        let cohorts = try #require(out["cohorts"] as? [[String: Any]])
        #expect(cohorts.map { $0["cohort"] as? String } == ["7A", "7B"])
        #expect(cohorts.map { $0["pupils"] as? Int } == [2, 2])
        #expect(cohorts.map { $0["possible_sessions"] as? Int } == [9, 9])
        #expect(cohorts.map { $0["overall_attendance"] as? Int } == [7, 4])
        #expect(cohorts.map { $0["persistent_absentees"] as? Int } == [1, 2])
        #expect(cohorts.map { $0["severe_absentees"] as? Int } == [0, 1])
        #expect(cohorts.map { $0["persistent_absence_perc"] as? Double } == [50, 100])
        #expect(cohorts.map { $0["severe_absence_perc"] as? Double } == [0, 50])
        let rates = cohorts.map { $0["attendance_perc"] as? Double ?? -1 }
        #expect(abs(rates[0] - 700.0 / 9) < 0.01 && abs(rates[1] - 400.0 / 9) < 0.01)
        #expect((out["total"] as? [String: Any])?["possible_sessions"] as? Int == 18, "total is unchanged by --by")
        #expect((out["pupils"] as? [[String: Any]])?.count == 4)

        let csv = try t.ok(["stats"] + range + ["--by", "pp", "--format", "csv"]).split(separator: "\n")
        #expect(csv.first?.hasPrefix("by,cohort,pupils,persistent_absentees,severe_absentees,persistent_absence_perc,") == true)
        #expect(csv.map { $0.split(separator: ",").prefix(3).joined(separator: ",") } == ["by,cohort,pupils", "pp,Y,0", "pp,N,4", "pp,total,4"])
        let text = try t.ok(["stats"] + range + ["--by", "year"])
        #expect(text.contains("year 7"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
        #expect(try t.run("rollbook", ["stats", "--by", "house"]).status == 64)
    }
}
