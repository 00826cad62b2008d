import Foundation
import Testing

/// `rollbook export returns`: the LA notifications of PRODUCT.md section 8.
struct ExportReturnsTests {
    static let run12 = "L123456789011", broken = "A123456789012", halfTerm = "P123456789013"
    static let halfTermShort = "D123456789014", sick = "T123456789015", leaver = "G123456789016"
    static let all = [run12, broken, halfTerm, halfTermShort, sick, leaver]

    struct Notification: Equatable, CustomStringConvertible {
        var kind: String, upn: String, from: String, to: String, ground: String?
        var description: String { "\(kind) \(upn) \(from)…\(to) \(ground ?? "-")" }
    }

    /// The 30 sessions of I for the sick pupil: Monday mornings and Wednesday afternoons from 8 September.
    static func sickSessions(_ days: [String]) -> [(String, String)] {
        var out: [(String, String)] = []
        for day in days where day >= "2025-09-08" {
            let weekday = Calendar(identifier: .gregorian).component(.weekday, from: ISO8601DateFormatter().date(from: day + "T12:00:00Z")!)
            if weekday == 2 { out.append((day, "AM")) }
            if weekday == 4 { out.append((day, "PM")) }
        }
        return Array(out.prefix(30))
    }

    func makeLedger() throws -> (TestLedger, sickTo: String) {
        let t = try TestLedger()
        t.now = "2026-03-31T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Returns School", "--la", "938", "--estab", "2001"])
        let terms = [("Autumn 1", "2025-09-03", "2025-10-24"), ("Autumn 2", "2025-11-03", "2025-12-19"), ("Spring", "2026-01-05", "2026-03-27")]
        for (name, from, to) in terms { try t.ok(["calendar", "term", "--name", name, "--from", from, "--to", to]) }
        var csv = "upn,forename,surname,dob,year_group,group,admitted\n"
        for (i, upn) in Self.all.enumerated() { csv += "\(upn),F\(i),S\(i),2014-03-02,7,7A,2025-09-03\n" }
        try t.ok(["pupils", "import", try t.file("pupils.csv", csv)])
        let days = terms.flatMap { TestLedger.weekdays($0.1, $0.2) }
        let sick = Set(Self.sickSessions(days).map { "\($0.0) \($0.1)" })
        try t.markEverySession(days: days, upns: Self.all) { upn, day, session in
            switch upn {
            case Self.run12:
                // 12 school days, 15-30 September, every session unauthorised (O, with an N day and a U).
                guard day >= "2025-09-15" && day <= "2025-09-30" else { return nil }
                if day == "2025-09-17" { return "N" }
                if day == "2025-09-18" && session == "AM" { return "U" }
                return day == "2025-09-25" ? "G" : "O"
            case Self.broken:
                // 15 September to 1 October, but present on the morning of 23 September.
                guard day >= "2025-09-15" && day <= "2025-10-01" else { return nil }
                return day == "2025-09-23" && session == "AM" ? nil : "O"
            case Self.halfTerm:
                // 20-24 October and 3-7 November: 10 school days either side of half term.
                return (day >= "2025-10-20" && day <= "2025-11-07") ? "O" : nil
            case Self.halfTermShort:
                return (day >= "2025-10-21" && day <= "2025-11-07") ? "O" : nil
            case Self.sick:
                return sick.contains("\(day) \(session)") ? "I" : nil
            default:
                return nil
            }
        }
        try t.ok(["pupils", "leave", "--upn", Self.leaver, "--on", "2025-12-01", "--ground", "moved to another school"])
        let sickTo = Self.sickSessions(days).last!.0
        return (t, sickTo)
    }

    func parse(_ json: String) throws -> [Notification] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let returns = try #require(object["returns"] as? [[String: Any]])
        return returns.map { r in
            Notification(kind: r["kind"] as! String, upn: r["upn"] as! String, from: r["from"] as! String, to: r["to"] as! String,
                         ground: r["ground"] as? String)
        }
    }

    @Test func notificationsFollowTheRules() throws {
        let (t, sickTo) = try makeLedger()
        let returns = try parse(try t.ok(["export", "returns", "--to", "2026-03-27", "--format", "json"]))
        let absence = returns.filter { $0.kind != "admission" }
        #expect(absence.contains(Notification(kind: "continuous-unauthorised-10", upn: Self.run12, from: "2025-09-15", to: "2025-09-30", ground: nil)),
                "a 12-day run is one notification")
        #expect(returns.filter { $0.upn == Self.run12 && $0.kind == "continuous-unauthorised-10" }.count == 1)
        #expect(!returns.contains { $0.upn == Self.broken && $0.kind == "continuous-unauthorised-10" }, "one present session breaks the run")
        #expect(absence.contains(Notification(kind: "continuous-unauthorised-10", upn: Self.halfTerm, from: "2025-10-20", to: "2025-11-07", ground: nil)),
                "the half-term holiday neither counts nor breaks the run")
        #expect(!returns.contains { $0.upn == Self.halfTermShort && $0.kind == "continuous-unauthorised-10" },
                "9 school days either side of half term are not 10, however many calendar days they span")
        #expect(returns.filter { $0.kind == "sickness-15" } == [
            Notification(kind: "sickness-15", upn: Self.sick, from: "2025-09-08", to: sickTo, ground: nil)],
                "30 scattered sessions of I are one sickness-15")
        #expect(returns.filter { $0.kind == "deletion" } == [
            Notification(kind: "deletion", upn: Self.leaver, from: "2025-12-01", to: "2025-12-01", ground: "moved to another school")])
        #expect(Set(returns.filter { $0.kind == "admission" }.map(\.upn)) == Set(Self.all))
        #expect(returns.count == 2 + 1 + 1 + 6, "two runs, one sickness, one deletion, six admissions")
    }

    @Test func markSentLeavesThemOutOfLaterExportsUnlessAll() throws {
        let (t, _) = try makeLedger()
        let first = try parse(try t.ok(["export", "returns", "--to", "2026-03-27", "--format", "json", "--mark-sent"]))
        #expect(first.count == 10)
        let events = try String(contentsOfFile: t.ledger + "/segments/000001.jsonl", encoding: .utf8)
        #expect(events.contains("\"type\":\"returns.sent\""))
        let second = try parse(try t.ok(["export", "returns", "--to", "2026-03-27", "--format", "json"]))
        #expect(second.isEmpty, "everything was already sent: \(second)")
        let again = try parse(try t.ok(["export", "returns", "--to", "2026-03-27", "--format", "json", "--all"]))
        #expect(again == first)
        // Marking again sends nothing new and appends nothing.
        let before = try t.snapshot()
        let r = try t.run("rollbook", ["export", "returns", "--to", "2026-03-27", "--format", "json", "--mark-sent"])
        #expect(r.status == 0)
        #expect(try t.snapshot() == before)
    }

    @Test func markSentNeedsAnAuthor() throws {
        let (t, _) = try makeLedger()
        let r = try t.run("rollbook", ["export", "returns", "--to", "2026-03-27", "--mark-sent"], identity: false)
        #expect(r.status == 64)
        #expect(r.stderr.contains("--author"))
    }

    @Test func csvHasTheSameColumns() throws {
        let (t, _) = try makeLedger()
        let csv = try t.ok(["export", "returns", "--from", "2025-12-01", "--to", "2025-12-19", "--format", "csv"])
        let lines = csv.split(separator: "\n")
        #expect(lines.first?.hasPrefix("kind,upn,from,to,ground") == true)
        #expect(lines.count == 2, "only the deletion falls in December: \(csv)")
        #expect(lines.last == "deletion,\(Self.leaver),2025-12-01,2025-12-01,moved to another school,false")
    }
}
