import Foundation
import RollbookDomain
import RollbookLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The five ways an adversarial review lost acknowledged events (issue 11), scripted through the built
/// executables: afterwards every acknowledged event is in the log or in `DIR/recovered/`, and what the
/// commands said is true.
@Suite("Nothing acknowledged is lost")
struct AcknowledgedEventsTests {
    static func mark(_ upn: String, _ date: String, _ session: String = "AM") -> [String] {
        ["mark", "--upn", upn, "--date", date, "--session", session, "--code", session == "AM" ? "/" : "\\"]
    }

    /// The exact bytes of every segment, in order.
    static func logBytes(_ t: TestLedger) throws -> Data {
        let dir = t.ledger + "/segments"
        var out = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".jsonl") {
            out.append(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
        }
        return out
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test("1. a missing checkpoint is refused by readers, writers and init; rebuild-checkpoint brings every event back")
    func missingCheckpoint() throws {
        let t = try TestLedger()
        try t.standardSchool()
        try t.ok(Self.mark("Y123456789001", "2025-09-03"))
        let events = try t.events()
        let log = try Self.logBytes(t)
        try FileManager.default.removeItem(atPath: t.ledger + "/checkpoint")

        for command in [Self.mark("M123456789002", "2025-09-03"), ["register", "--date", "2025-09-03"], ["stats"]] {
            let r = try t.run("rollbook", command)
            #expect(r.status == 1, "\(command[0]) is refused: \(r.stderr)")
            #expect(r.stderr.contains("its checkpoint (\(t.ledger)/checkpoint) is missing"), "\(r.stderr)")
            #expect(r.stderr.contains("Restore the checkpoint from your most recent backup"), "\(r.stderr)")
            #expect(r.stderr.contains("Do not run `rollbook init`"), "\(r.stderr)")
            #expect(!r.stderr.contains("create one with `rollbook init`"), "never advises init")
        }
        let verify = try t.run("rollbook", ["verify"])
        #expect(verify.status == 1 && verify.stdout.contains("rebuild-checkpoint"), "\(verify.stdout)")
        let initAgain = try t.run("rollbook", ["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        #expect(initAgain.status == 1, "init refuses a directory that holds a ledger: \(initAgain.stdout)")
        #expect(initAgain.stderr.contains("is missing") && initAgain.stderr.contains("Do not run `rollbook init`: the ledger exists"),
                "\(initAgain.stderr)")
        #expect(try Self.logBytes(t) == log, "no command changed a byte of the log")

        let rebuilt = try t.run("rollbook", ["rebuild-checkpoint"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("it now commits \(events.count) events"), "\(rebuilt.stdout)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        #expect(try t.events() == events, "every acknowledged event is back")
        try t.ok(Self.mark("M123456789002", "2025-09-03"))
    }

    @Test("2. a write stamped by a clock in 2099: later writes and disposal are refused until a clock correction")
    func wrongClock() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-03T09:00:00.000Z"
        try t.ok(Self.mark("Y123456789001", "2025-09-03"))
        t.now = "2099-01-01T00:00:00.000Z"
        try t.ok(["intervene", "--upn", "Y123456789001", "--action", "letter", "--date", "2025-09-03"])
        let acknowledged = try t.events()

        // The real clock again: refused, saying why and what to do; nothing stamped 2099.
        t.now = "2025-09-04T09:00:00.000Z"
        let before = try t.snapshot()
        let refused = try t.run("rollbook", Self.mark("M123456789002", "2025-09-04"))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("more than 5 minutes earlier than the last event"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Nothing was recorded"), "\(refused.stderr)")
        #expect(refused.stderr.contains("rollbook clock-correction"), "\(refused.stderr)")
        let dispose = try t.run("rollbook", ["retention", "dispose", "--before", "2026-01-01"])
        #expect(dispose.status == 1, "disposal is judged on the real clock and refused while it is behind: \(dispose.stdout)")
        #expect(dispose.stderr.contains("earlier than the last event"), "\(dispose.stderr)")
        #expect(try t.snapshot() == before, "the ledger is unchanged")

        // The way out: an authored clock correction, the one event stamped earlier than the one before it.
        let correction = try t.run("rollbook", ["clock-correction", "--reason", "the server clock was set to 2099 by mistake"])
        #expect(correction.status == 0, "\(correction.stderr)")
        #expect(correction.stdout.contains("steps back from 2099-01-01T00:00:00.000Z to 2025-09-04T09:00:00.000Z"), "\(correction.stdout)")
        t.now = "2025-09-04T09:01:00.000Z"
        try t.ok(Self.mark("M123456789002", "2025-09-04"))
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "L",
                  "--minutes-late", "5", "--reason", "arrived late"])
        let events = try t.events()
        #expect(Array(events.prefix(acknowledged.count)) == acknowledged, "every acknowledged event is intact")
        #expect(events.suffix(3).allSatisfy { $0.at < Timestamp(parsing: "2026-01-01T00:00:00Z")! }, "nothing after it is stamped 2099")
        if case .markAmended(let amended) = events.last?.event {
            #expect(amended.amendedOn.description == "2025-09-04", "the statutory amended_on follows the real clock")
        } else {
            Issue.record("the last event is not the amendment")
        }
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies), "both verifiers accept the step back at the correction")
        let anomalies = try t.run("rollbook-replay", ["--ledger", t.ledger, "anomalies", "--format", "json"])
        #expect(anomalies.stdout.contains("clock-correction") && anomalies.stdout.contains("the server clock was set to 2099 by mistake"),
                "\(anomalies.stdout)")
        // A correction when the clock is not behind is refused: there is nothing to correct.
        let needless = try t.run("rollbook", ["clock-correction", "--reason", "again"])
        #expect(needless.status == 1 && needless.stderr.contains("nothing to correct"), "\(needless.stderr)")
    }

    @Test("3 and 4. a checkpoint restored from an older backup: several later writes are refused and rebuilt, one is kept in recovered/")
    func olderCheckpoint() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let backup = try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/checkpoint"))
        t.now = "2025-09-03T09:00:00.000Z"
        try t.ok(Self.mark("Y123456789001", "2025-09-03"))
        t.now = "2025-09-03T09:05:00.000Z"
        try t.ok(Self.mark("M123456789002", "2025-09-03"))
        let acknowledged = try t.events()
        let log = try Self.logBytes(t)
        try backup.write(to: URL(fileURLWithPath: t.ledger + "/checkpoint"))

        // Two writes after the backup: the checkpoint is older than the log. Nothing is moved or written.
        t.now = "2025-09-03T09:10:00.000Z"
        let refused = try t.run("rollbook", Self.mark("B123456789003", "2025-09-03"))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("complete events seq \(acknowledged.count - 1)–\(acknowledged.count)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("the checkpoint is older than the log"), "\(refused.stderr)")
        #expect(try Self.logBytes(t) == log)
        let rebuilt = try t.run("rollbook", ["rebuild-checkpoint"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        #expect(try t.events() == acknowledged, "both acknowledged marks are committed again")

        // One write after the backup cannot be told from an interrupted write: it is moved, whole, to recovered/.
        let backup2 = try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/checkpoint"))
        t.now = "2025-09-03T09:15:00.000Z"
        try t.ok(Self.mark("B123456789003", "2025-09-03"))
        let grown = try Self.logBytes(t)
        try #require(grown.count > log.count, "the mark was appended after the rebuilt checkpoint")
        let lastLine = grown.suffix(from: log.count)
        try backup2.write(to: URL(fileURLWithPath: t.ledger + "/checkpoint"))
        t.now = "2025-09-03T09:20:00.000Z"
        let next = try t.run("rollbook", Self.mark("Q123456789004", "2025-09-03"))
        #expect(next.status == 0, "\(next.stderr)")
        let seq = acknowledged.count + 1
        #expect(next.stderr.contains("cut off \(lastLine.count) bytes after seq \(seq - 1)"), "\(next.stderr)")
        #expect(next.stderr.contains("1 complete event (seq \(seq))"), "\(next.stderr)")
        #expect(next.stderr.contains("nothing was deleted"), "\(next.stderr)")
        let recovered = t.ledger + "/recovered"
        let files = try FileManager.default.contentsOfDirectory(atPath: recovered)
        #expect(files.count == 1 && files[0].hasPrefix("seq-\(seq)-\(seq)-"), "\(files)")
        #expect(next.stderr.contains(recovered + "/" + files[0]), "the message names the file: \(next.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: recovered + "/" + files[0])) == lastLine, "its exact bytes are kept")
        #expect(try Self.mode(recovered) == 0o700 && Self.mode(recovered + "/" + files[0]) == 0o600)
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
    }

    @Test("5. recorded_at before the session's date is refused by the import, and never hastens a disposal")
    func recordedAtBeforeTheSession() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let before = try t.snapshot()
        let file = try t.file("migrated.csv", """
            upn,date,session,code,recorded_at
            Y123456789001,2025-09-03,AM,/,2025-09-03T08:45:00Z
            Y123456789001,2025-09-03,PM,\\,2020-01-01T00:00:00Z

            """)
        t.now = "2025-09-04T09:00:00.000Z"
        let r = try t.run("rollbook", ["marks", "import", file])
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 3") && r.stderr.contains("recorded_at") && r.stderr.contains("before the session's date"), "\(r.stderr)")
        #expect(try t.snapshot() == before, "all or nothing")
        // A recorded_at on the session's own day is accepted.
        let ok = try t.file("ok.csv", "upn,date,session,code,recorded_at\nY123456789001,2025-09-03,AM,/,2025-09-03T08:45:00Z\n")
        try t.ok(["marks", "import", ok])
        // Disposal far in the future still keeps this year's entries out of a 2020 disposal.
        t.now = "2032-01-01T09:00:00.000Z"
        let disposal = try t.ok(["retention", "dispose", "--before", "2020-01-01"])
        #expect(disposal.contains("nothing is due"), "\(disposal)")
        #expect(try t.markKeys() == ["Y123456789001 2025-09-03 AM /"])
    }
}
