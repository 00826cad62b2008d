import Foundation
import RollbookTestSupport
import Testing

/// `DIR/snapshot` through the built executables: reading commands give the same answers with it as
/// without it, a damaged or stale one changes nothing but speed, and the auditor's tools never use it.
struct SnapshotEndToEndTests {
    static let everyWrite = ["ROLLBOOK_SNAPSHOT_EVERY": "1"]

    /// A test directory holding a copy of the demo ledger.
    static func demo() throws -> TestLedger {
        let t = try TestLedger()
        try FileManager.default.copyItem(at: TestLedger.packageRoot.appendingPathComponent("events/demo"),
                                         to: URL(fileURLWithPath: t.ledger))
        t.now = "2025-09-24T09:00:00.000Z"
        return t
    }

    /// Every reading command's output (status, stdout, stderr), for each of `days`.
    static func outputs(_ t: TestLedger, days: [String]) throws -> [String] {
        var out: [String] = []
        var commands = days.map { ["register", "--date", $0, "--format", "json"] }
        commands += days.prefix(3).map { ["register", "--date", $0, "--as-of", "2025-09-10T12:00:00Z", "--format", "json"] }
        commands += [["stats", "--format", "json"], ["stats", "--from", "2025-09-08", "--to", "2025-09-19", "--format", "json"],
                     ["stats", "--as-of", "2025-09-15T00:00:00Z", "--format", "json"],
                     ["stages", "--on", "2025-09-24", "--format", "json"], ["worklist", "--on", "2025-09-24", "--format", "json"]]
        for command in commands {
            let r = try t.run("rollbook", command)
            out.append("\(command.joined(separator: " ")) -> \(r.status)\n\(r.stdout)\n\(r.stderr)")
        }
        return out
    }

    /// The outputs with the snapshot, then with it moved away; both must agree and the snapshot must be used.
    static func expectSameWithoutSnapshot(_ t: TestLedger, days: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = t.ledger + "/snapshot"
        #expect(FileManager.default.fileExists(atPath: path), sourceLocation: sourceLocation)
        let with = try outputs(t, days: days)
        try FileManager.default.moveItem(atPath: path, toPath: t.root.appendingPathComponent("kept").path)
        let without = try outputs(t, days: days)
        try FileManager.default.moveItem(atPath: t.root.appendingPathComponent("kept").path, toPath: path)
        for (a, b) in zip(with, without) { #expect(a == b, sourceLocation: sourceLocation) }
        #expect(with.count == without.count && with.contains { $0.contains("\"marks\"") }, sourceLocation: sourceLocation)
    }

    @Test func demoLedgerReadsTheSameWithAFreshOrStaleSnapshot() throws {
        let t = try SnapshotEndToEndTests.demo()
        let days = TestLedger.weekdays("2025-09-01", "2025-09-26")
        #expect(!FileManager.default.fileExists(atPath: t.ledger + "/snapshot"))
        // A write with the interval at 1 leaves a snapshot at the head: 0600, inside the ledger.
        try t.run("rollbook", ["mark", "--upn", "J009382001000", "--date", "2025-09-24", "--session", "AM", "--code", "/"],
                  environment: SnapshotEndToEndTests.everyWrite)
        let attributes = try FileManager.default.attributesOfItem(atPath: t.ledger + "/snapshot")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: t.ledger + "/snapshot.tmp"))
        try SnapshotEndToEndTests.expectSameWithoutSnapshot(t, days: days)

        // Later writes under the default interval leave it as it was: readers extend it by the tail.
        let before = try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/snapshot"))
        t.now = "2025-09-24T13:00:00.000Z"
        try t.ok(["mark", "--upn", "J009382001000", "--date", "2025-09-24", "--session", "PM", "--code", "\\"])
        try t.ok(["amend", "--upn", "J009382001000", "--date", "2025-09-24", "--session", "AM", "--code", "L", "--minutes-late", "5",
                  "--reason", "arrived late"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/snapshot")) == before)
        try SnapshotEndToEndTests.expectSameWithoutSnapshot(t, days: days)
        #expect(try t.ok(["register", "--date", "2025-09-24", "--format", "csv"]).contains(",L,5"))

        // The Python verifier ignores the file.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path, t.ledger]
        python.standardOutput = FileHandle.nullDevice
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
    }

    @Test func aLedgerWrittenWithASnapshotAfterEveryWriteReadsTheSame() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let upns = (1...6).map { TestUPN.number($0) }
        let days = TestLedger.weekdays("2025-09-10", "2025-09-19")  // pupil 6 is on roll from 09-10
        t.now = "2025-09-20T10:00:00.000Z"
        #expect(try t.run("rollbook", ["marks", "import", try t.file("m.csv", "upn,date,session,code,minutes_late\n"
                   + days.flatMap { d in upns.map { "\($0),\(d),AM,\($0.hasSuffix("2") ? "N" : "/"),\n\($0),\(d),PM,\\," } }.joined(separator: "\n") + "\n")],
                  environment: SnapshotEndToEndTests.everyWrite).status == 0)
        t.now = "2025-09-21T10:00:00.000Z"
        #expect(try t.run("rollbook", ["amend", "--upn", upns[0], "--date", days[1], "--session", "AM", "--code", "I", "--reason", "note"],
                  environment: SnapshotEndToEndTests.everyWrite).status == 0)
        #expect(try t.run("rollbook", ["calendar", "closure", "--from", "2025-09-22", "--to", "2025-09-22", "--code", "Y1", "--reason", "snow"],
                  environment: SnapshotEndToEndTests.everyWrite).status == 0)
        #expect(try t.run("rollbook", ["intervene", "--upn", upns[1], "--action", "welfare-call", "--date", "2025-09-21"],
                  environment: SnapshotEndToEndTests.everyWrite).status == 0)
        #expect(try t.run("rollbook", ["pupils", "leave", "--upn", upns[5], "--on", "2025-09-22", "--ground", "B"],
                  environment: SnapshotEndToEndTests.everyWrite).status == 0)
        try SnapshotEndToEndTests.expectSameWithoutSnapshot(t, days: days + ["2025-09-22"])
    }

    @Test func registerWithASnapshotDoesNotRehashEarlierLinesButVerifyDoes() throws {
        let t = try SnapshotEndToEndTests.demo()
        try t.run("rollbook", ["mark", "--upn", "J009382001000", "--date", "2025-09-24", "--session", "AM", "--code", "/"],
                  environment: SnapshotEndToEndTests.everyWrite)
        let clean = try t.ok(["register", "--date", "2025-09-23", "--format", "json"])
        // Change a byte inside line 5's author (before the snapshot's anchor).
        let segment = URL(fileURLWithPath: t.ledger + "/segments/000001.jsonl")
        var bytes = try [UInt8](Data(contentsOf: segment))
        var line = 1, i = 0
        while line < 5 { if bytes[i] == 0x0A { line += 1 }; i += 1 }
        let author = Array(#""author":""#.utf8)
        while !bytes[i...].starts(with: author) { i += 1 }
        bytes[i + author.count] ^= 0x20
        try Data(bytes).write(to: segment)

        // `register` trusts the snapshot for lines up to its anchor (documented): same answer, no error.
        #expect(try t.ok(["register", "--date", "2025-09-23", "--format", "json"]) == clean)
        // `verify`, `rollbook-replay` and a register without the snapshot read every line and fail.
        let verify = try t.run("rollbook", ["verify"])
        #expect(verify.status != 0)
        #expect((verify.stdout + verify.stderr).contains("seq 5") || (verify.stdout + verify.stderr).contains("seq 4"))
        #expect(try t.run("rollbook-replay", ["register", "--date", "2025-09-23"]).status != 0)
        #expect(try t.run("rollbook-replay", ["verify"]).status != 0)
        try FileManager.default.removeItem(atPath: t.ledger + "/snapshot")
        #expect(try t.run("rollbook", ["register", "--date", "2025-09-23"]).status != 0)
    }

    @Test func theReplayToolNeverOpensTheSnapshot() throws {
        let t = try SnapshotEndToEndTests.demo()
        let commands = [["register", "--date", "2025-09-23", "--format", "json"], ["history", "--upn", "J009382001000", "--date", "2025-09-23", "--session", "AM"],
                        ["anomalies"], ["verify"]]
        let clean = try commands.map { try t.run("rollbook-replay", $0) }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: t.ledger + "/snapshot"))
        for (command, before) in zip(commands, clean) {
            let after = try t.run("rollbook-replay", command)
            #expect(after.status == before.status && after.stdout == before.stdout && after.stderr == before.stderr)
            #expect(!after.stderr.contains("snapshot"))
        }
        // `rollbook register` does look at it, says it is damaged, and reads the whole log.
        let register = try t.run("rollbook", ["register", "--date", "2025-09-23", "--format", "json"])
        #expect(register.status == 0 && register.stderr.contains("ignored the snapshot"))
        #expect(register.stdout == clean[0].stdout)
        // So do `verify` and `digest`: they never mention it.
        #expect(try t.run("rollbook", ["verify"]).stderr.isEmpty)
        #expect(!(try t.run("rollbook", ["digest"]).stderr.contains("snapshot")))
    }

    @Test func aDisposalRemovesTheSnapshotAndALaterOneReadsTheSame() throws {
        let (t, _) = try RetentionTests().makeLedger()
        let snapshot = t.ledger + "/snapshot"
        #expect(try t.run("rollbook", ["calendar", "term", "--name", "Spring 2026", "--from", "2026-01-05", "--to", "2026-03-27"],
                          environment: SnapshotEndToEndTests.everyWrite).status == 0)
        #expect(FileManager.default.fileExists(atPath: snapshot))
        let before = try t.ok(["register", "--date", "2019-09-05", "--format", "json"])
        #expect(!before.contains("disposed_before\": \"2020"))
        // A dry run changes nothing, the snapshot included.
        try t.ok(["retention", "dispose", "--before", "2020-01-01", "--dry-run"])
        #expect(FileManager.default.fileExists(atPath: snapshot))
        try t.ok(["retention", "dispose", "--before", "2020-01-01"])
        #expect(!FileManager.default.fileExists(atPath: snapshot))
        // A snapshot written after the disposal holds what a full replay of the stubbed log holds.
        #expect(try t.run("rollbook", ["calendar", "term", "--name", "Summer 2026", "--from", "2026-04-13", "--to", "2026-07-22"],
                          environment: SnapshotEndToEndTests.everyWrite).status == 0)
        #expect(FileManager.default.fileExists(atPath: snapshot))
        let days = TestLedger.weekdays("2019-09-02", "2019-09-13") + TestLedger.weekdays("2025-09-03", "2025-09-10")
        var with: [String] = [], without: [String] = []
        for day in days { with.append(try t.ok(["register", "--date", day, "--format", "json"])) }
        with.append(try t.ok(["stats", "--from", "2019-09-02", "--to", "2025-09-10", "--format", "json"]))
        try FileManager.default.removeItem(atPath: snapshot)
        for day in days { without.append(try t.ok(["register", "--date", day, "--format", "json"])) }
        without.append(try t.ok(["stats", "--from", "2019-09-02", "--to", "2025-09-10", "--format", "json"]))
        #expect(with == without)
        #expect(with[3].contains("disposed"))
    }
}
