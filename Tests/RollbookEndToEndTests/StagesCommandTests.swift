import Foundation
import RollbookTestSupport
import Testing

/// `rollbook stages`: what it printed on a day is what `stages --on` that day `--as-of` that day prints later.
struct StagesCommandTests {
    /// School days of the standard school's first three weeks (the term starts Wed 3 Sep 2025).
    static let days = ["2025-09-03", "2025-09-04", "2025-09-05", "2025-09-08", "2025-09-09", "2025-09-10", "2025-09-11", "2025-09-12",
                       "2025-09-15", "2025-09-16", "2025-09-17", "2025-09-18", "2025-09-19"]
    static let upns = (1...6).map { TestUPN.number($0) }

    /// One day's register for every pupil on roll: mostly present, with some absence that moves stages.
    func marks(_ day: String, index: Int) -> String {
        var rows = ["upn,date,session,code,minutes_late"]
        for (p, upn) in StagesCommandTests.upns.enumerated() {
            if upn.hasSuffix("6") && day < "2025-09-10" { continue }  // admitted on 10 Sep
            for session in ["AM", "PM"] {
                var code = session == "AM" ? "/" : "\\"
                if p == 0 && index % 3 == 0 { code = "I" }            // ill every third day
                if p == 1 && (4...6).contains(index) { code = "N" }    // three days unexplained
                if p == 3 && index >= 9 { code = "O" }                 // stops attending
                rows.append("\(upn),\(day),\(session),\(code),")
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    @Test func stagesOnAPastDayEqualsWhatStagesPrintedThatDay() throws {
        let t = try TestLedger()
        try t.standardSchool()
        var printed: [String: String] = [:]
        for (i, day) in StagesCommandTests.days.enumerated() {
            t.now = "\(day)T16:00:00.000Z"
            try t.ok(["marks", "import", try t.file("marks-\(day).csv", marks(day, index: i))])
            if day == "2025-09-11" {
                // The N codes of 9-10 Sep are resolved: illness, and one left as O.
                try t.ok(["amend", "--upn", "M123456789002", "--date", "2025-09-09", "--session", "AM", "--code", "I", "--reason", "parent phoned"])
                try t.ok(["amend", "--upn", "M123456789002", "--date", "2025-09-10", "--session", "PM", "--code", "O", "--reason", "no reason given"])
            }
            if day == "2025-09-16" {
                try t.ok(["intervene", "--upn", "Q123456789004", "--action", "meeting", "--date", day])
            }
            t.now = "\(day)T17:30:00.000Z"
            printed[day] = try t.ok(["stages", "--format", "json"])
            #expect(try t.ok(["stages", "--on", day, "--format", "json"]) == printed[day])
        }
        // Later: more history is amended, and new marks arrive; the past does not change.
        t.now = "2025-09-22T16:00:00.000Z"
        try t.ok(["calendar", "term", "--name", "Autumn 2", "--from", "2025-11-03", "--to", "2025-12-19"])
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/", "--reason", "was present"])
        try t.ok(["marks", "import", try t.file("late.csv", marks("2025-09-22", index: 0))])
        for day in StagesCommandTests.days {
            #expect(try t.ok(["stages", "--on", day, "--as-of", day, "--format", "json"]) == printed[day], "stages --on \(day) --as-of \(day)")
        }
        // With everything the ledger now knows, 3 Sep was a present morning for pupil 1.
        #expect(try t.ok(["stages", "--on", "2025-09-03", "--format", "json"]) != printed["2025-09-03"])
        // And the stages themselves. Pupil 1 is ill every third day: severe on 3 and 4 Sep (100%, then 50%
        // absence), persistent on 5 Sep, severe again on 8 Sep (4 of 8), persistent since 9 Sep. Pupil 4 stops
        // attending on 16 Sep: 2 of 20 sessions, exactly 10%, so persistent since 16 Sep; the meeting recorded
        // that day is not due again.
        let last = try #require(try JSONSerialization.jsonObject(with: Data(printed["2025-09-19"]!.utf8)) as? [String: Any])
        let pupils = try #require(last["pupils"] as? [[String: Any]])
        let byUPN = Dictionary(uniqueKeysWithValues: pupils.map { ($0["upn"] as! String, $0) })
        #expect(byUPN["Y123456789001"]?["stage"] as? String == "persistent")
        #expect(byUPN["Y123456789001"]?["since"] as? String == "2025-09-09")
        #expect(byUPN["Q123456789004"]?["stage"] as? String == "persistent")
        #expect(byUPN["Q123456789004"]?["since"] as? String == "2025-09-16")
        #expect(byUPN["Q123456789004"]?["actions_due"] as? [String] == ["improvement-plan"])
        #expect(byUPN["E123456789005"]?["stage"] as? String == "none")
        #expect(Set(pupils.first!.keys).isSuperset(of: ["upn", "stage", "since", "flags", "reason", "actions_due"]))
    }

    @Test func anotherPolicyAndAPolicyFile() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-05T16:00:00.000Z"
        for (i, day) in StagesCommandTests.days.prefix(3).enumerated() {
            try t.ok(["marks", "import", try t.file("m\(i).csv", marks(day, index: i))])
        }
        // All three days were entered on 5 Sep; on the school's calendar the absence began on 3 Sep: since 3 Sep.
        let wimborne = try t.ok(["stages", "--policy", "wimborne", "--format", "csv"])
        #expect(wimborne.contains("Y123456789001,7A,below-90,2025-09-03,,"))
        let file = try t.file("mine.json", """
            {"format": "rollbook-policy/1", "id": "mine", "name": "Two bands", "source": "a test", "measure": "attendance_perc",
             "stages": [{"id": "ok", "name": "OK", "band": {"at_least": 80}},
                        {"id": "low", "name": "Low", "band": {"below": 80},
                         "actions": [{"action": "letter", "due": "on-entry", "text": "Write.", "quote": "We write."}]}]}
            """)
        let mine = try t.ok(["stages", "--policy", file, "--format", "csv"])
        #expect(mine.contains("Y123456789001,7A,low,2025-09-03,,"))
        #expect(mine.contains(",letter\n"))
        let bad = try t.run("rollbook", ["stages", "--policy", "nonsense"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("neither a preset"))
    }
}

struct PolicyFileInitTests {
    @Test func initRefusesAnUnusablePolicyFileAndUsesAGoodOne() throws {
        let t = try TestLedger()
        let bad = try t.file("bad.json", "{\"format\": \"rollbook-policy/1\", \"id\": \"x\"}")
        let refused = try t.run("rollbook", ["init", "--urn", "123456", "--name", "S", "--la", "938", "--estab", "2001", "--policy", bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("name: is missing"))
        #expect(!FileManager.default.fileExists(atPath: t.ledger + "/checkpoint"))
        let good = try t.file("good.json", PresetPoliciesText.primaryBands)
        try t.ok(["init", "--urn", "123456", "--name", "S", "--la", "938", "--estab", "2001", "--policy", good])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-01", "--to", "2025-10-24"])
        try t.ok(["pupils", "import", try t.file("p.csv", "upn,forename,surname,dob,year_group,group,admitted\nP000000000001,A,B,2018-01-01,2,2A,2025-09-01\n")])
        #expect(try t.ok(["stages", "--format", "csv"]).contains("P000000000001,2A,excellent,2025-09-01,,"))
    }

    /// The ledger keeps its own copy of its policy file: named by a relative path, then moved away, it still works.
    @Test func aLedgerKeepsItsPolicyFileWhenTheFileIsGone() throws {
        let t = try TestLedger()
        let good = try t.file("good.json", PresetPoliciesText.primaryBands)
        try t.ok(["init", "--urn", "123456", "--name", "S", "--la", "938", "--estab", "2001", "--policy", "good.json"])
        try FileManager.default.removeItem(atPath: good)
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-01", "--to", "2025-10-24"])
        try t.ok(["pupils", "import", try t.file("p.csv", "upn,forename,surname,dob,year_group,group,admitted\nP000000000001,A,B,2018-01-01,2,2A,2025-09-01\n")])
        #expect(try t.ok(["stages", "--format", "csv"]).contains("P000000000001,2A,excellent,2025-09-01,,"))
        #expect(try t.ok(["worklist"]).contains("policy primary-bands"))
        let segment = try String(contentsOfFile: t.ledger + "/segments/000001.jsonl", encoding: .utf8)
        #expect(segment.split(separator: "\n").first?.contains(#""policy_document":"#) == true)
    }
}

/// The shipped preset files, read from events/policies.
enum PresetPoliciesText {
    static var primaryBands: String {
        (try? String(contentsOf: TestLedger.packageRoot.appendingPathComponent("events/policies/primary-bands.json"), encoding: .utf8)) ?? ""
    }
}
