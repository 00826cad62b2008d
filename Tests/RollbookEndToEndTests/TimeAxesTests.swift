import Foundation
import Testing

/// The two time axes (PRODUCT.md section 3): the school's calendar (`--on`, `--date`, `--to`) and what the
/// ledger knew (`--as-of`), on one school month (September 2025) recorded three ways.
///
/// Eight pupils, admitted on 1 Sep (pupil 6 on 10 Sep); school day i is the i-th weekday of September
/// (0 = Mon 1 Sep … 21 = Tue 30 Sep). Everyone is present except:
/// - 1: I every third day;  2: N on days 4–6, amended on day 8 to I (day 4) and O (days 5–6);
/// - 3: O from day 8 (la-10-day on day 17, Wed 24 Sep); on day 18 its day-12 morning is amended to I;
/// - 4: I on days 0–14 (sickness-15);  5: G on days 5–9 (10 sessions: the leave flags);
/// - 6: N on days 19–21, never resolved;  7: M on days 2–3, standard letters dated days 10 and 12;
/// - 8: U (35 minutes) on days 1–2, L (3 minutes) on day 3; day 17's morning amended on day 18 to M.
struct TimeAxesTests {
    static let presets = ["dfe", "burton-pru", "wimborne", "primary-bands", "danesgate"]
    static let days = TestLedger.weekdays("2025-09-01", "2025-09-30")
    static let upns = (1...8).map { TimeAxesTests.upn(String(format: "938200125%03d", $0)) }

    /// A UPN with its DfE check letter (weights 2–13 on the 12 digits, sum mod 23).
    static func upn(_ digits: String) -> String {
        let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
        let sum = digits.enumerated().reduce(0) { $0 + ($1.offset + 2) * Int(String($1.element))! }
        return String(letters[sum % 23]) + digits
    }

    /// The code a pupil's session has once every amendment is made (nil: no mark, not on roll).
    static func code(_ p: Int, _ i: Int, _ session: String) -> String? {
        let present = session == "AM" ? "/" : "\\"
        switch p {
        case 1: return i % 3 == 0 ? "I" : present
        case 2: return i == 4 ? "I" : (5...6).contains(i) ? "O" : present
        case 3: return i == 12 && session == "AM" ? "I" : i >= 8 ? "O" : present
        case 4: return i <= 14 ? "I" : present
        case 5: return (5...9).contains(i) ? "G" : present
        case 6: return i < 7 ? nil : i >= 19 ? "N" : present
        case 7: return (2...3).contains(i) ? "M" : present
        case 8: return i == 17 && session == "AM" ? "M" : (1...2).contains(i) ? "U" : i == 3 ? "L" : present
        default: return present
        }
    }

    /// The code first entered on the day itself (before the amendments of days 8 and 18).
    static func firstCode(_ p: Int, _ i: Int, _ session: String) -> String? {
        if p == 2 && (4...6).contains(i) { return "N" }
        if p == 3 && i == 12 && session == "AM" { return "O" }
        if p == 8 && i == 17 && session == "AM" { return "/" }
        return code(p, i, session)
    }

    static func minutes(_ code: String) -> String { code == "U" ? "35" : code == "L" ? "3" : "" }

    /// The amendments made on a day (day-by-day ledger): upn, date, session, new code.
    static func amendments(on i: Int) -> [(Int, Int, String, String)] {
        switch i {
        case 8: return [(2, 4, "AM", "I"), (2, 4, "PM", "I"), (2, 5, "AM", "O"), (2, 5, "PM", "O"), (2, 6, "AM", "O"), (2, 6, "PM", "O")]
        case 18: return [(3, 12, "AM", "I"), (8, 17, "AM", "M")]
        default: return []
        }
    }

    /// Interventions: pupil, day index, action.
    static let interventions = [(7, 10, "standard-letter"), (7, 12, "standard-letter"), (3, 13, "meeting")]

    func school(_ t: TestLedger, admitAll: Bool) throws {
        try t.ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-01", "--to", "2025-10-24"])
        var rows = ["upn,forename,surname,dob,year_group,group,admitted"]
        for (n, upn) in TimeAxesTests.upns.enumerated() where admitAll || n + 1 != 6 {
            rows.append("\(upn),Pupil,Number\(n + 1),2014-03-02,7,\(n < 4 ? "7A" : "7B"),\(n + 1 == 6 ? "2025-09-10" : "2025-09-01")")
        }
        try t.ok(["pupils", "import", try t.file("pupils-\(UUID().uuidString).csv", rows.joined(separator: "\n") + "\n")])
    }

    /// What `stages`, `worklist` and `register` printed at the end of a day (UK evening).
    struct Printed { var stages: [String: String] = [:]; var worklist: String = ""; var register: String = "" }

    /// The month recorded day by day: each day's register at 16:00 UTC, amendments and interventions on
    /// their day. Prints `stages` for every preset, `worklist` and `register` at 17:30 on day `printDay`.
    func dayByDay(printDay: Int? = nil) throws -> (TestLedger, Printed) {
        let t = try TestLedger()
        t.now = "2025-08-28T09:00:00.000Z"
        try school(t, admitAll: false)
        var printed = Printed()
        for (i, day) in TimeAxesTests.days.enumerated() {
            if day == "2025-09-10" {
                t.now = "\(day)T07:00:00.000Z"
                try t.ok(["pupils", "import", try t.file("p6.csv", "upn,forename,surname,dob,year_group,group,admitted\n"
                    + "\(TimeAxesTests.upns[5]),Pupil,Number6,2014-03-02,7,7B,2025-09-10\n")])
            }
            t.now = "\(day)T16:00:00.000Z"
            var rows = ["upn,date,session,code,minutes_late"]
            for (n, upn) in TimeAxesTests.upns.enumerated() {
                for session in ["AM", "PM"] {
                    guard let c = TimeAxesTests.firstCode(n + 1, i, session) else { continue }
                    rows.append("\(upn),\(day),\(session),\(c),\(TimeAxesTests.minutes(c))")
                }
            }
            try t.ok(["marks", "import", try t.file("marks-\(day).csv", rows.joined(separator: "\n") + "\n")])
            t.now = "\(day)T16:30:00.000Z"
            for (p, d, session, c) in TimeAxesTests.amendments(on: i) {
                try t.ok(["amend", "--upn", TimeAxesTests.upns[p - 1], "--date", TimeAxesTests.days[d], "--session", session,
                          "--code", c, "--reason", "reason established"])
            }
            t.now = "\(day)T17:00:00.000Z"
            for (p, d, action) in TimeAxesTests.interventions where d == i {
                try t.ok(["intervene", "--upn", TimeAxesTests.upns[p - 1], "--action", action, "--date", day])
            }
            if i == printDay {
                t.now = "\(day)T17:30:00.000Z"
                for policy in TimeAxesTests.presets { printed.stages[policy] = try t.ok(["stages", "--policy", policy, "--format", "json"]) }
                printed.worklist = try t.ok(["worklist", "--format", "json"])
                printed.register = try t.ok(["register", "--date", day, "--format", "json"])
            }
        }
        return (t, printed)
    }

    /// The month back-filled on 1 October in one import of the marks as they finally stand, with or
    /// without `recorded_at` (the evening of each session's day).
    func backFilled(recordedAt: Bool) throws -> TestLedger {
        let t = try TestLedger()
        t.now = "2025-10-01T09:00:00.000Z"
        try school(t, admitAll: true)
        var rows = ["upn,date,session,code,minutes_late" + (recordedAt ? ",recorded_at" : "")]
        for (i, day) in TimeAxesTests.days.enumerated() {
            for (n, upn) in TimeAxesTests.upns.enumerated() {
                for session in ["AM", "PM"] {
                    guard let c = TimeAxesTests.code(n + 1, i, session) else { continue }
                    rows.append("\(upn),\(day),\(session),\(c),\(TimeAxesTests.minutes(c))" + (recordedAt ? ",\(day)T16:00:00Z" : ""))
                }
            }
        }
        try t.ok(["marks", "import", try t.file("history.csv", rows.joined(separator: "\n") + "\n")])
        for (p, d, action) in TimeAxesTests.interventions {
            try t.ok(["intervene", "--upn", TimeAxesTests.upns[p - 1], "--action", action, "--date", TimeAxesTests.days[d]])
        }
        return t
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func pupil(_ stages: String, _ n: Int) throws -> [String: Any]? {
        (try json(stages)["pupils"] as? [[String: Any]])?.first { $0["upn"] as? String == upns[n - 1] }
    }

    @Test func aMonthRecordedThreeWaysGivesTheSameStagesAndWorklist() throws {
        let (daily, _) = try dayByDay()
        let today = try backFilled(recordedAt: false)
        let migrated = try backFilled(recordedAt: true)
        for t in [daily, today, migrated] { t.now = "2025-10-01T12:00:00.000Z" }
        for d in [4, 9, 17, 21] {
            let day = TimeAxesTests.days[d]
            for policy in TimeAxesTests.presets {
                let stages = try daily.ok(["stages", "--on", day, "--policy", policy, "--format", "json"])
                #expect(try today.ok(["stages", "--on", day, "--policy", policy, "--format", "json"]) == stages, "\(policy) on \(day), back-filled")
                #expect(try migrated.ok(["stages", "--on", day, "--policy", policy, "--format", "json"]) == stages, "\(policy) on \(day), migrated")
                let worklist = try daily.ok(["worklist", "--on", day, "--policy", policy, "--format", "json"])
                #expect(try today.ok(["worklist", "--on", day, "--policy", policy, "--format", "json"]) == worklist, "\(policy) on \(day)")
                #expect(try migrated.ok(["worklist", "--on", day, "--policy", policy, "--format", "json"]) == worklist, "\(policy) on \(day)")
            }
        }
        // The answers are the calendar's, not the day of the import: on Wed 24 Sep (day 17) pupil 4 has been
        // ill 15 school days (sickness-15 since day 14) and pupil 5's ten G sessions raise the penalty flag.
        let dfe = try daily.ok(["stages", "--on", TimeAxesTests.days[17], "--format", "json"])
        let four = try #require(try TimeAxesTests.pupil(dfe, 4))
        #expect((four["flags"] as? [String])?.contains("sickness-15") == true)
        #expect(four["stage"] as? String == "severe")
        #expect(four["since"] as? String == "2025-09-01")
        #expect((try TimeAxesTests.pupil(dfe, 5)?["flags"] as? [String])?.contains("penalty-threshold") == true)
        let danesgate = try today.ok(["stages", "--on", TimeAxesTests.days[21], "--policy", "danesgate", "--format", "json"])
        #expect(try TimeAxesTests.pupil(danesgate, 6)?["flags"] as? [String] == ["safeguarding-day-3"])
        let wimborne = try migrated.ok(["stages", "--on", TimeAxesTests.days[21], "--policy", "wimborne", "--format", "json"])
        #expect(try TimeAxesTests.pupil(wimborne, 5)?["flags"] as? [String] == ["leave-penalty-referral"])
        // Migrated history is known from its recorded_at: as of the evening of 5 Sep the migrated ledger
        // shows that day's register; the ledger back-filled without recorded_at did not exist yet.
        let register = try migrated.ok(["register", "--date", "2025-09-05", "--as-of", "2025-09-05T18:00:00Z", "--format", "json"])
        #expect((try TimeAxesTests.json(register)["marks"] as? [[String: Any]])?.count == 14)
        let none = try today.run("rollbook", ["register", "--date", "2025-09-05", "--as-of", "2025-09-05T18:00:00Z"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("did not exist yet"))
        #expect(!none.stderr.contains("ledger.opened"))
    }

    @Test func asOfTheEndOfADayReproducesWhatWasPrintedThatDay() throws {
        let d = 17
        let day = TimeAxesTests.days[d]
        let (t, printed) = try dayByDay(printDay: d)
        t.now = "2025-10-01T12:00:00.000Z"
        for policy in TimeAxesTests.presets {
            let stages = try #require(printed.stages[policy])
            #expect(try t.ok(["stages", "--on", day, "--as-of", day, "--policy", policy, "--format", "json"]) == stages, "\(policy)")
        }
        #expect(try t.ok(["worklist", "--on", day, "--as-of", day, "--format", "json"]) == printed.worklist)
        func marks(_ register: String) throws -> NSArray? { try TimeAxesTests.json(register)["marks"] as? NSArray }
        #expect(try marks(t.ok(["register", "--date", day, "--as-of", day, "--format", "json"])) == marks(printed.register))
        #expect(try marks(printed.register)?.count == 16)
        // A bare --as-of date alone means that day too, and is the end of the day in UK time (BST in September):
        // 22:59:59.999Z.
        #expect(try t.ok(["stages", "--as-of", day, "--format", "json"]) == printed.stages["dfe"])
        #expect(try t.ok(["worklist", "--as-of", "\(day)T22:59:59.999Z", "--format", "json"]) == printed.worklist)
        // What was printed on the day: pupil 3 ten school days O, so la-10-day. The amendment made on day 18
        // (day 12's morning was illness) takes the flag away with everything the ledger now knows.
        #expect((try TimeAxesTests.pupil(printed.stages["dfe"]!, 3)?["flags"] as? [String])?.contains("la-10-day") == true)
        let now = try t.ok(["stages", "--on", day, "--format", "json"])
        #expect((try TimeAxesTests.pupil(now, 3)?["flags"] as? [String])?.contains("la-10-day") == false)
        #expect(try marks(t.ok(["register", "--date", day, "--format", "json"])) != marks(printed.register))
        // The exports take the knowledge axis too: the census as of that day counts only what was known.
        func possible(_ csv: String, _ n: Int) -> Int? {
            csv.split(separator: "\n").first { $0.hasPrefix(TimeAxesTests.upns[n - 1]) }.flatMap { Int($0.split(separator: ",")[1]) }
        }
        let census = try t.ok(["export", "census", "--period", "autumn-2025", "--format", "csv"])
        let censusThen = try t.ok(["export", "census", "--period", "autumn-2025", "--as-of", day, "--format", "csv"])
        #expect(possible(census, 1) == 44)
        #expect(possible(censusThen, 1) == 36)
        // Before the ledger existed: a sentence about the school, not about events.
        let early = try t.run("rollbook", ["stages", "--as-of", "2025-08-01"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("did not exist yet at 2025-08-01T22:59:59.999Z"))
    }

    @Test func aReadmittedPupilsStagesCountTheSamePossibleSessionsAsStats() throws {
        let t = try TestLedger()
        t.now = "2025-08-28T09:00:00.000Z"
        try school(t, admitAll: true)
        let upn = TimeAxesTests.upns[0]
        func mark(_ days: ArraySlice<String>) throws {
            var rows = ["upn,date,session,code"]
            for day in days { rows += ["\(upn),\(day),AM,/", "\(upn),\(day),PM,\(day == days.first ? "O" : "\\")"] }
            try t.ok(["marks", "import", try t.file("m-\(UUID().uuidString).csv", rows.joined(separator: "\n") + "\n")])
        }
        t.now = "2025-09-05T16:00:00.000Z"
        try mark(TimeAxesTests.days[0...4])
        t.now = "2025-09-08T08:00:00.000Z"
        try t.ok(["pupils", "leave", "--upn", upn, "--on", "2025-09-08", "--ground", "moved away"])
        t.now = "2025-09-10T07:00:00.000Z"
        try t.ok(["pupils", "import", try t.file("back.csv", "upn,forename,surname,dob,year_group,group,admitted\n"
            + "\(upn),Pupil,Number1,2014-03-02,7,7A,2025-09-10\n")])
        t.now = "2025-09-15T16:00:00.000Z"
        try mark(TimeAxesTests.days[7...10])
        let stats = try TimeAxesTests.json(t.ok(["stats", "--to", "2025-09-15", "--upn", upn, "--format", "json"]))
        let possible = try #require((stats["total"] as? [String: Any])?["possible_sessions"] as? Int)
        #expect(possible == 18)
        let stage = try #require(try TimeAxesTests.pupil(t.ok(["stages", "--on", "2025-09-15", "--format", "json"]), 1))
        let reason = try #require(stage["reason"] as? String)
        #expect(reason.contains("(2 of \(possible) possible sessions)"), "\(reason)")
        #expect(stage["stage"] as? String == "persistent")
        // The weeks off roll are not missing marks; the first spell's marks still count.
        let worklist = try TimeAxesTests.json(t.ok(["worklist", "--on", "2025-09-15", "--format", "json"]))
        #expect((worklist["missing_marks"] as? [[String: Any]])?.contains { $0["upn"] as? String == upn } == false)
    }

    @Test func theWorklistOnFirstAugustStillListsLastYearsUnresolvedNCodes() throws {
        let t = try TestLedger()
        t.now = "2026-05-28T09:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Summer 2", "--from", "2026-06-01", "--to", "2026-07-17"])
        let upn = TimeAxesTests.upns[0]
        try t.ok(["pupils", "import", try t.file("p.csv", "upn,forename,surname,dob,year_group,group,admitted\n"
            + "\(upn),Pupil,Number1,2014-03-02,7,7A,2026-06-01\n")])
        t.now = "2026-07-17T16:00:00.000Z"
        var rows = ["upn,date,session,code"]
        for day in TestLedger.weekdays("2026-06-01", "2026-07-17") {
            rows += ["\(upn),\(day),AM,\(day == "2026-07-08" ? "N" : "/")", "\(upn),\(day),PM,\(day == "2026-07-13" ? "N" : "\\")"]
        }
        try t.ok(["marks", "import", try t.file("m.csv", rows.joined(separator: "\n") + "\n")])
        t.now = "2026-08-03T09:00:00.000Z"
        func unexplained(_ on: String) throws -> [String] {
            let w = try TimeAxesTests.json(t.ok(["worklist", "--on", on, "--format", "json"]))
            return (w["unexplained"] as? [[String: Any]] ?? []).map { "\($0["date"]!) \($0["session"]!) \($0["overdue"]!)" }
        }
        #expect(try unexplained("2026-07-31") == ["2026-07-08 AM 1", "2026-07-13 PM 0"])
        #expect(try unexplained("2026-08-01") == ["2026-07-08 AM 1", "2026-07-13 PM 0"])
        #expect(try unexplained("2026-08-03") == ["2026-07-08 AM 1", "2026-07-13 PM 0"])
        let text = try t.ok(["worklist", "--on", "2026-08-01"])
        #expect(text.contains("N for 4 school days: resolve it"))
    }

    @Test func textOutputFitsOneHundredColumns() throws {
        let (t, _) = try dayByDay()
        t.now = "2025-10-01T12:00:00.000Z"
        let demo = TestLedger.packageRoot.appendingPathComponent("events/demo").path
        var outputs = [try t.ok(["stats", "--to", "2025-09-30"]), try t.ok(["worklist", "--on", "2025-09-30"]),
                       try t.run("rollbook", ["stats", "--to", "2025-09-19", "--ledger", demo]).stdout,
                       try t.run("rollbook", ["stages", "--on", "2025-09-19", "--ledger", demo]).stdout,
                       try t.run("rollbook", ["worklist", "--on", "2025-09-19", "--ledger", demo]).stdout]
        for policy in TimeAxesTests.presets { outputs.append(try t.ok(["stages", "--on", "2025-09-30", "--policy", policy])) }
        for output in outputs {
            #expect(output.count > 200)
            for line in output.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
        }
        // Missing marks are summarised per register in text and listed in full in JSON.
        t.now = "2025-10-02T16:00:00.000Z"
        let json = try TimeAxesTests.json(t.ok(["worklist", "--on", "2025-10-01", "--format", "json"]))
        #expect((json["missing_marks"] as? [[String: Any]])?.count == 16)
        let text = try t.ok(["worklist", "--on", "2025-10-01"])
        #expect(text.contains("3. Missing marks (past sessions with no mark): 16 in 4 registers"))
        #expect(text.contains("2025-10-01  AM       7A     4"))
        #expect(!text.contains("1 days"))
        // Asked about a later day, sessions after today are not missing yet: 1 Oct and today's (2 Oct, both
        // registers closed by 17:00 BST), not 3–10 Oct.
        let ahead = try TimeAxesTests.json(t.ok(["worklist", "--on", "2025-10-10", "--format", "json"]))
        let dates = (ahead["missing_marks"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
        #expect(dates.count == 32)
        #expect(Set(dates) == ["2025-10-01", "2025-10-02"])
    }

    @Test func extremeDatesAnswerWithoutCrashing() throws {
        let (t, _) = try dayByDay()
        t.now = "2025-10-01T12:00:00.000Z"
        for arguments in [["stages", "--on", "9999-08-01"], ["worklist", "--on", "9999-08-01"], ["stats", "--to", "0001-01-01"],
                          ["stats", "--as-of", "0001-01-01T00:00:00Z"], ["stages", "--on", "0001-01-01"],
                          ["stats", "--from", "0001-01-01", "--to", "9999-12-31"], ["worklist", "--on", "0001-01-01"]] {
            let r = try t.run("rollbook", arguments)
            #expect(r.status == 0 || r.status == 1 || r.status == 64, "\(arguments): \(r.status) \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"), "\(arguments)")
        }
    }
}
