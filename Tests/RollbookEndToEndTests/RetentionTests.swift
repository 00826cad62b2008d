import Foundation
import Testing

/// `rollbook retention` and `rollbook retention dispose` (PRODUCT.md section 9).
struct RetentionTests {
    static let upns = ["Y123456789001", "M123456789002"]

    /// Migrated 2019 history (recorded_at in 2019) and this year's marks, in a ledger opened in 2025.
    func makeLedger() throws -> (TestLedger, migrated: Int) {
        let t = try TestLedger()
        t.now = "2025-09-01T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Retention School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 2019", "--from", "2019-09-02", "--to", "2019-12-20"])
        try t.ok(["calendar", "term", "--name", "Autumn 1 2025", "--from", "2025-09-03", "--to", "2025-10-24"])
        try t.ok(["pupils", "import", try t.file("p.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            Y123456789001,Amelia,Khan,2012-03-02,7,7A,2019-09-02
            M123456789002,Noah,Smith,2012-05-11,7,7A,2019-09-02

            """)])
        var rows = ["upn,date,session,code,recorded_at"]
        for day in TestLedger.weekdays("2019-09-02", "2019-09-13") {
            for upn in Self.upns {
                rows.append("\(upn),\(day),AM,\(day == "2019-09-05" ? "I" : "/"),\(day)T08:50:00Z")
                rows.append("\(upn),\(day),PM,\\,\(day)T13:50:00Z")
            }
        }
        try t.ok(["marks", "import", try t.file("history.csv", rows.joined(separator: "\n") + "\n")])
        t.now = "2025-09-10T16:00:00.000Z"
        try t.markEverySession(days: TestLedger.weekdays("2025-09-03", "2025-09-10"), upns: Self.upns) { _, day, session in
            day == "2025-09-04" && session == "AM" ? "M" : nil
        }
        t.now = "2026-03-02T09:00:00.000Z"
        return (t, rows.count - 1)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func segments(_ t: TestLedger) throws -> String {
        let dir = t.ledger + "/segments"
        return try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            .map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }.joined()
    }

    func python(_ arguments: [String]) throws -> TestLedger.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return TestLedger.Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }

    @Test func theViewListsExactlyTheMigrated2019EntriesAsDisposable() throws {
        let (t, migrated) = try makeLedger()
        let view = try json(try t.ok(["retention", "--format", "json"]))
        #expect(view["on"] as? String == "2026-03-02")
        #expect(view["disposable"] as? Int == migrated)
        let ranges = try #require(view["ranges"] as? [[String: Any]])
        let disposable = ranges.filter { $0["disposable"] as? Bool == true }
        #expect(disposable.reduce(0) { $0 + ($1["count"] as! Int) } == migrated)
        for r in disposable {
            #expect((r["made_from"] as! String).hasPrefix("2019-09-"))
            #expect((r["made_to"] as! String).hasPrefix("2019-09-"))
            #expect((r["dispose_after"] as! String).hasPrefix("2025-09-"))
        }
        for r in ranges where r["disposable"] as? Bool == false {
            #expect((r["made_from"] as! String) >= "2025-09-01", "everything else was made this school year")
        }
        #expect(view["entries"] as? Int == ranges.reduce(0) { $0 + ($1["count"] as! Int) })
        // Judged on a date in 2025 before the sixth anniversary, nothing is due yet.
        let earlier = try json(try t.ok(["retention", "--on", "2025-09-01", "--format", "json"]))
        #expect(earlier["disposable"] as? Int == 0)
    }

    @Test func disposalRemovesThe2019EntriesAndNothingElseAndTheLogStillVerifies() throws {
        let (t, migrated) = try makeLedger()
        let before = try t.snapshot()
        let dry = try t.ok(["retention", "dispose", "--before", "2020-01-01", "--dry-run"])
        #expect(dry.contains("\(migrated) entries in all"))
        #expect(dry.contains("Nothing was removed"))
        #expect(try t.snapshot() == before, "--dry-run changes nothing")

        let registerBefore = try t.ok(["register", "--date", "2025-09-04", "--format", "json"])
        // Exactly the command PRODUCT.md section 9 names: `retention dispose --before D` disposes.
        let done = try t.ok(["retention", "dispose", "--before", "2020-01-01"])
        #expect(try t.snapshot() != before)
        #expect(done.contains("Removed \(migrated) entries"))

        let text = try segments(t)
        #expect(!text.contains(#""date":"2019-"#), "no 2019 mark is left in the segments")
        #expect(!text.contains(#""recorded_at":"2019-"#))
        #expect(text.components(separatedBy: #""disposed":""#).count - 1 == migrated, "one stub per removed entry")
        #expect(text.components(separatedBy: #""type":"mark.recorded""#).count - 1 == 2 * 2 * 6, "this year's marks are all kept")
        #expect(text.contains(#""forename":"Amelia""#), "pupils on roll keep their details")
        #expect(text.contains(#""type":"retention.disposed""#))

        #expect(try t.ok(["verify"]).hasPrefix("ok:"))
        let py = try python([t.ledger])
        #expect(py.status == 0, "tools/verify_ledger.py: \(py.stdout)")
        #expect(try t.ok(["register", "--date", "2025-09-04", "--format", "json"]) == registerBefore, "this year's register is unchanged")

        // A query about a disposed session says so.
        let old = try json(try t.ok(["register", "--date", "2019-09-05", "--format", "json"]))
        #expect((old["marks"] as? [Any])?.isEmpty == true)
        #expect((old["missing"] as? [Any])?.isEmpty == true)
        #expect((old["disposed"] as? [Any])?.count == 4)
        #expect(old["disposed_before"] as? String == "2020-01-01")
        #expect(try t.ok(["register", "--date", "2019-09-05"]).contains("disposed"))
        let asOf = try json(try t.ok(["register", "--date", "2019-09-05", "--as-of", "2025-09-02T00:00:00Z", "--format", "json"]))
        #expect((asOf["disposed"] as? [Any])?.count == 4, "what was disposed of is gone from every view of the past too")
        let replayed = try t.run("rollbook-replay", ["register", "--ledger", t.ledger, "--date", "2019-09-05", "--format", "json"])
        #expect(replayed.status == 0)
        #expect(replayed.stdout.contains("\"disposed_before\": \"2020-01-01\""))

        let amend = try t.run("rollbook", ["amend", "--upn", "Y123456789001", "--date", "2019-09-05", "--session", "AM", "--code", "M", "--reason", "note"])
        #expect(amend.status == 1)
        #expect(amend.stderr.contains("disposed of"))
        let after = try json(try t.ok(["retention", "--format", "json"]))
        #expect(after["disposable"] as? Int == 0)
        // A second disposal finds nothing and writes nothing.
        let snapshot = try t.snapshot()
        #expect(try t.ok(["retention", "dispose", "--before", "2020-01-01", "--confirm"]).contains("nothing is due"))
        #expect(try t.snapshot() == snapshot)
        // The log can still be written to and verified.
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-11", "--session", "AM", "--code", "/"])
        #expect(try python([t.ledger]).status == 0)
        #expect(try t.ok(["verify"]).hasPrefix("ok:"))
    }

    /// A failure (a crash) after the disposal event is committed but before any stub is written leaves
    /// a log both verifiers accept; the view reports it and the next disposal finishes it.
    @Test func anInterruptedDisposalVerifiesAndIsFinishedByTheNext() throws {
        let (t, migrated) = try makeLedger()
        let failed = try t.run("rollbook", ["retention", "dispose", "--before", "2020-01-01", "--confirm"],
                               environment: ["ROLLBOOK_FAULT": "rename-rewritten-segment"])
        #expect(failed.status == 1)
        #expect(try segments(t).contains(#""type":"retention.disposed""#))
        #expect(try t.ok(["verify"]).hasPrefix("ok:"))
        #expect(try python([t.ledger]).status == 0)
        #expect(try t.ok(["retention"]).contains("\(migrated) entries covered by an earlier disposal are still in the log"))
        let finished = try t.ok(["retention", "dispose", "--before", "2020-01-01", "--confirm"])
        #expect(finished.contains("Removed \(migrated) entries"))
        #expect(try segments(t).components(separatedBy: #""type":"retention.disposed""#).count - 1 == 1, "no second disposal event")
        #expect(!(try segments(t)).contains(#""date":"2019-"#))
        #expect(try t.ok(["verify"]).hasPrefix("ok:"))
        #expect(try python([t.ledger]).status == 0)
    }

    @Test func disposalNeedsAnAuthorWithAPosition() throws {
        let (t, _) = try makeLedger()
        let r = try t.run("rollbook", ["retention", "dispose", "--before", "2020-01-01", "--confirm"], identity: false)
        #expect(r.status == 64)
        let both = try t.run("rollbook", ["retention", "dispose", "--before", "2020-01-01", "--confirm", "--dry-run"])
        #expect(both.status == 64)
    }

    /// A school opened in 2019 with the given pupils (of `Amelia Khan`, `Noah Smith`), every session of
    /// its first week marked present.
    static func school2019(pupils: [String]) throws -> TestLedger {
        let t = try TestLedger()
        t.now = "2019-09-01T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Old School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 2019", "--from", "2019-09-02", "--to", "2019-12-20"])
        let rows = ["Y123456789001": "Amelia,Khan,2012-03-02", "M123456789002": "Noah,Smith,2012-05-11"]
        let csv = "upn,forename,surname,dob,year_group,group,admitted\n"
            + pupils.map { "\($0),\(rows[$0] ?? "Ann,Other,2012-01-01"),3,3A,2019-09-02\n" }.joined()
        try t.ok(["pupils", "import", try t.file("p.csv", csv)])
        t.now = "2019-09-06T16:00:00.000Z"
        try t.markEverySession(days: TestLedger.weekdays("2019-09-02", "2019-09-06"), upns: pupils) { _, _, _ in nil }
        return t
    }

    /// A ledger kept since 2019: the school, the calendar and the details of a pupil still on roll are
    /// carried forward; a pupil who left in 2019 goes entirely.
    @Test func stateStillNeededIsCarriedForward() throws {
        let t = try Self.school2019(pupils: Self.upns)
        try t.ok(["pupils", "leave", "--upn", "M123456789002", "--on", "2019-10-01", "--ground", "moved away"])
        t.now = "2025-09-01T08:00:00.000Z"
        try t.ok(["calendar", "term", "--name", "Autumn 2025", "--from", "2025-09-03", "--to", "2025-10-24"])
        t.now = "2025-09-03T16:00:00.000Z"
        try t.markEverySession(days: ["2025-09-03"], upns: ["Y123456789001"]) { _, _, _ in nil }
        t.now = "2026-03-02T09:00:00.000Z"
        try t.ok(["retention", "dispose", "--before", "2020-01-01", "--confirm"])

        let text = try segments(t)
        #expect(text.contains(#""forename":"Amelia""#), "the pupil on roll keeps her admission")
        #expect(!text.contains(#""forename":"Noah""#), "the leaver's admission is disposed of")
        #expect(!text.contains("moved away"))
        #expect(text.contains(#""type":"ledger.opened""#) && text.contains("Autumn 2019"))
        let register = try t.ok(["register", "--date", "2025-09-03"])
        #expect(register.contains("Khan, Amelia"))
        #expect(!register.contains("Smith"))
        #expect(try t.ok(["verify"]).hasPrefix("ok:"))
        #expect(try python([t.ledger]).status == 0)
    }

    /// A session whose entries were disposed of cannot be marked again, by `mark` or `marks import`:
    /// the register of 2019 must not show a new code where the disposed mark was.
    @Test func aDisposedSessionCannotBeMarkedAgain() throws {
        let t = try Self.school2019(pupils: ["Y123456789001"])
        t.now = "2026-03-02T09:00:00.000Z"
        try t.ok(["retention", "dispose", "--before", "2020-01-01"])
        let before = try t.snapshot()

        let mark = try t.run("rollbook", ["mark", "--upn", "Y123456789001", "--date", "2019-09-03", "--session", "AM", "--code", "G"])
        #expect(mark.status == 1 && mark.stderr.contains("disposed of"), "\(mark.stderr)")
        let file = try t.file("again.csv", "upn,date,session,code\nY123456789001,2019-09-03,PM,G\n")
        let batch = try t.run("rollbook", ["marks", "import", file])
        #expect(batch.status == 1 && batch.stderr.contains("line 2") && batch.stderr.contains("disposed of"), "\(batch.stderr)")
        #expect(try t.snapshot() == before, "the ledger is byte-for-byte unchanged")
        let register = try t.ok(["register", "--date", "2019-09-03", "--format", "json"])
        #expect(!register.contains("\"G\""))
    }
}
