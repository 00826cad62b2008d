import Foundation
import RollbookDomain
import RollbookLog
import RollbookProjections
import Testing

/// A snapshot forged with knowledge of its format (a state changed, the checksum recomputed by the real
/// encoder) changes what `rollbook register` shows, so `rollbook verify` and `rollbook-replay verify`
/// must fail naming the cache file; without it everything is right again.
struct CacheForgeryTests {
    /// The hostile-ledger base plus one more mark, written with a snapshot after it.
    static func ledgerWithSnapshot() throws -> TestLedger {
        let t = try VerifierAgreementTests.base()
        t.now = "2025-09-03T11:00:00.000Z"
        let r = try t.run("rollbook", ["mark", "--upn", "Q123456789004", "--date", "2025-09-03", "--session", "AM", "--code", "/"],
                          environment: ["ROLLBOOK_SNAPSHOT_EVERY": "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: t.ledger + "/snapshot"))
        return t
    }

    /// Rewrites the snapshot with `change` applied to its state (event count and time left as they were).
    static func forge(_ t: TestLedger, _ change: (inout LedgerState) -> Void) throws {
        let url = URL(fileURLWithPath: t.ledger + "/snapshot")
        var snapshot = try LedgerSnapshot(bytes: [UInt8](Data(contentsOf: url)))
        let (count, lastAt) = (snapshot.state.eventCount, snapshot.state.lastAt)
        change(&snapshot.state)
        snapshot.state.eventCount = count
        snapshot.state.lastAt = lastAt
        try Data(snapshot.encoded()).write(to: url)
    }

    static func expectVerifyFailsNamingTheSnapshot(_ t: TestLedger, _ part: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for tool in ["rollbook", "rollbook-replay"] {
            let text = try t.run(tool, ["verify"])
            #expect(text.status == 1, "\(tool) verify passed a forged snapshot", sourceLocation: sourceLocation)
            #expect(text.stdout.contains(t.ledger + "/snapshot"), "\(tool): \(text.stdout)", sourceLocation: sourceLocation)
            #expect(text.stdout.contains(part), "\(tool): \(text.stdout)", sourceLocation: sourceLocation)
            t.expectNoPersonalData(text, "\(tool) verify")
            let json = try t.run(tool, ["verify", "--format", "json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["ok"] as? Bool == false && object?["cache"] is String, sourceLocation: sourceLocation)
        }
    }

    @Test func aForgedMarkInTheSnapshotFailsVerifyUntilTheSnapshotIsRemoved() throws {
        let t = try CacheForgeryTests.ledgerWithSnapshot()
        #expect(try t.run("rollbook", ["verify"]).status == 0)
        #expect(try t.run("rollbook-replay", ["verify"]).status == 0)
        let clean = try t.ok(["register", "--date", "2025-09-03", "--format", "json"])

        // One slot edited: Y123456789001's present mark becomes G, keeping its seq and time.
        try CacheForgeryTests.forge(t) { state in
            let pupil = state.pupilIndex["Y123456789001"]!
            let entry = state.mark(pupil: pupil, date: SchoolDate("2025-09-03")!, session: .am)!
            state.apply(EventEnvelope(seq: entry.seq, at: entry.recordedAt, version: 1, author: Author(name: "x", position: "y"),
                                      event: .markRecorded(MarkRecorded(upn: "Y123456789001", date: SchoolDate("2025-09-03")!,
                                                                        session: .am, code: AttendanceCode("G")!))))
        }
        // The forgery is one a reader uses (else this test would prove nothing) …
        let forged = try t.ok(["register", "--date", "2025-09-03", "--format", "json"])
        #expect(forged != clean)
        #expect(forged.contains("\"G\""))
        // … and verify fails naming the cache file and what differs; the independent verifier checks the log only.
        try CacheForgeryTests.expectVerifyFailsNamingTheSnapshot(t, "the marks")
        #expect(try t.verifyBoth().python == .verifies)

        try FileManager.default.removeItem(atPath: t.ledger + "/snapshot")
        #expect(try t.run("rollbook", ["verify"]).status == 0)
        #expect(try t.run("rollbook-replay", ["verify"]).status == 0)
        #expect(try t.ok(["register", "--date", "2025-09-03", "--format", "json"]) == clean)
    }

    @Test func aForgedAdmissionRegisterInTheSnapshotFailsVerify() throws {
        let t = try CacheForgeryTests.ledgerWithSnapshot()
        try CacheForgeryTests.forge(t) { state in
            state.apply(EventEnvelope(seq: 3, at: state.lastAt!, version: 1, author: Author(name: "x", position: "y"),
                                      event: .pupilDetailsChanged(PupilDetailsChanged(upn: "Y123456789001", forename: nil, surname: nil,
                                                                                      yearGroup: nil, group: "7B", flags: nil))))
        }
        try CacheForgeryTests.expectVerifyFailsNamingTheSnapshot(t, "the admission register")
        try FileManager.default.removeItem(atPath: t.ledger + "/snapshot")
        #expect(try t.run("rollbook", ["verify"]).status == 0)
    }

    @Test func anUnforgedSnapshotPassesAndADamagedOneIsNotReported() throws {
        let t = try CacheForgeryTests.ledgerWithSnapshot()
        #expect(try t.run("rollbook", ["verify"]).stdout.hasPrefix("ok:"))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: t.ledger + "/snapshot"))
        let r = try t.run("rollbook", ["verify"])
        #expect(r.status == 0 && !r.stdout.contains("snapshot"))
    }
}
