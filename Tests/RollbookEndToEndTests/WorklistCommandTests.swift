import Foundation
import RollbookTestSupport
import Testing

/// `rollbook worklist` on a prepared ledger: exactly the expected pupils, in the documented order.
///
/// The standard school (001 PP+FSM, 002 SEN, 003 EHCP, 004 and 005 no flags, 006 admitted 10 Sep), marked
/// day by day from 3 to 19 Sep 2025, everyone present except:
/// - 003: I all of 17 and 18 Sep, N all of 19 Sep (persistent from 18 Sep: 4 of 24; day 3 of absence);
/// - 002: N on the morning of 19 Sep;  001: N all of 19 Sep;
/// - 005: N on 17 Sep PM, no mark on 18 Sep PM, N on 19 Sep AM;
/// - 004: O all of 3 and 4 Sep, N on 9 Sep PM and 15 Sep AM (never resolved); a meeting recorded on 10 Sep;
///   persistent since 10 Sep (5 of 12), still persistent;
/// - 006: N on 10 Sep AM, never resolved (persistent at the end of the last school week, none from 17 Sep).
struct WorklistCommandTests {
    static let days = ["2025-09-03", "2025-09-04", "2025-09-05", "2025-09-08", "2025-09-09", "2025-09-10", "2025-09-11", "2025-09-12",
                       "2025-09-15", "2025-09-16", "2025-09-17", "2025-09-18", "2025-09-19"]
    static let special: [String: String] = [
        "3|2025-09-17|AM": "I", "3|2025-09-17|PM": "I", "3|2025-09-18|AM": "I", "3|2025-09-18|PM": "I",
        "3|2025-09-19|AM": "N", "3|2025-09-19|PM": "N", "2|2025-09-19|AM": "N", "1|2025-09-19|AM": "N", "1|2025-09-19|PM": "N",
        "5|2025-09-17|PM": "N", "5|2025-09-18|PM": "-", "5|2025-09-19|AM": "N",
        "4|2025-09-03|AM": "O", "4|2025-09-03|PM": "O", "4|2025-09-04|AM": "O", "4|2025-09-04|PM": "O",
        "4|2025-09-09|PM": "N", "4|2025-09-15|AM": "N", "6|2025-09-10|AM": "N",
    ]

    func ledger() throws -> TestLedger {
        let t = try TestLedger()
        try t.standardSchool()
        for day in WorklistCommandTests.days {
            t.now = "\(day)T16:00:00.000Z"
            var rows = ["upn,date,session,code"]
            for p in 1...6 where !(p == 6 && day < "2025-09-10") {
                for session in ["AM", "PM"] {
                    let code = WorklistCommandTests.special["\(p)|\(day)|\(session)"] ?? (session == "AM" ? "/" : "\\")
                    if code != "-" { rows.append("\(TestUPN.number(p)),\(day),\(session),\(code)") }
                }
            }
            try t.ok(["marks", "import", try t.file("marks-\(day).csv", rows.joined(separator: "\n") + "\n")])
            if day == "2025-09-10" { try t.ok(["intervene", "--upn", "Q123456789004", "--action", "meeting", "--date", day]) }
        }
        return t
    }

    @Test func listsExactlyTheExpectedPupilsInTheDocumentedOrder() throws {
        let t = try ledger()
        t.now = "2025-09-22T07:00:00.000Z"
        let out = try #require(try JSONSerialization.jsonObject(with: Data(t.ok(["worklist", "--on", "2025-09-19", "--format", "json"]).utf8)) as? [String: Any])
        func rows(_ key: String) -> [[String: Any]] { out[key] as? [[String: Any]] ?? [] }
        func upn(_ r: [String: Any]) -> String { String((r["upn"] as? String ?? "").suffix(1)) }
        // 1. Calls: EHCP (003), SEN (002), PP/FSM (001), then the rest (005).
        #expect(rows("calls").map(upn) == ["3", "2", "1", "5"])
        #expect(rows("calls").map { $0["day_of_absence"] as? Int } == [3, 1, 1, 1])
        #expect(rows("calls").map { $0["sessions"] as? [String] } == [["AM", "PM"], ["AM"], ["AM", "PM"], ["AM"]])
        // 2. N codes 3+ school days old: past the 5-day limit first (oldest first), then nearing it.
        #expect(rows("unexplained").map { "\(upn($0)) \($0["date"]!) \($0["session"]!) \($0["school_days_old"]!) \($0["overdue"]!)" } == [
            "4 2025-09-09 PM 8 1", "6 2025-09-10 AM 7 1", "4 2025-09-15 AM 4 0",
        ])
        #expect(rows("unexplained").last?["deadline"] as? String == "2025-09-22")
        // 3. Missing marks.
        #expect(rows("missing_marks").map { "\(upn($0)) \($0["date"]!) \($0["session"]!)" } == ["5 2025-09-18 PM"])
        // 4. Stage changes since the end of the last school week (Sun 14 Sep), most serious first.
        #expect(rows("stage_changes").map { "\(upn($0)) \($0["from"]!)->\($0["to"]!) \($0["since"]!)" } == [
            "3 none->persistent 2025-09-18", "6 persistent->none 2025-09-17",
        ])
        // 5. Actions due under the ledger's policy (dfe): the meeting with 004's parents is already recorded.
        #expect(rows("actions_due").map { "\(upn($0)) \($0["action"]!)" } == ["3 meeting", "3 improvement-plan", "4 improvement-plan"])
    }

    @Test func textShowsTheSectionsInOrderAndTodaysOpenRegisterIsNotMissing() throws {
        let t = try ledger()
        t.now = "2025-09-19T17:00:00.000Z"
        let text = try t.ok(["worklist"])
        let headings = ["1. Calls", "2. N codes", "3. Missing marks", "4. Stage changes", "5. Letters, meetings and calls"]
        let positions = headings.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == 5 && positions == positions.sorted())
        #expect(text.contains("Jones, Olivia"))
        // At 08:30 UK time (07:30 UTC in September) on 22 Sep nothing of that day is missing yet.
        t.now = "2025-09-22T07:30:00.000Z"
        let morning = try #require(try JSONSerialization.jsonObject(with: Data(t.ok(["worklist", "--format", "json"]).utf8)) as? [String: Any])
        #expect((morning["missing_marks"] as? [[String: Any]])?.count == 1)
        // After the morning register closes (09:00 UK, 08:00 UTC) every pupil's AM is missing too.
        t.now = "2025-09-22T08:05:00.000Z"
        let later = try #require(try JSONSerialization.jsonObject(with: Data(t.ok(["worklist", "--format", "json"]).utf8)) as? [String: Any])
        #expect((later["missing_marks"] as? [[String: Any]])?.count == 7)
    }
}
