import Foundation
import RollbookTestSupport
import Testing

/// A full disk (`ROLLBOOK_FAULT=…:ENOSPC`, the storage layer's fault hook) during a mark, an import, a
/// disposal and `export returns --mark-sent`: the command says plainly that nothing was recorded, leaves
/// no temporary file, acknowledges nothing, and the log verifies at once (no later write needed).
@Suite("Disk full")
struct DiskFullTests {
    /// Checks what every failed write must leave: exit 1, the errno named, nothing acknowledged, no
    /// temporary file, the log byte-for-byte as before, and both verifiers passing straight away.
    static func expectNothingRecorded(_ t: TestLedger, _ r: TestLedger.Result, before: [String: Data],
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(r.status == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("no space left on device"), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("Nothing was recorded"), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stdout.contains("Recorded"), "nothing is acknowledged", sourceLocation: sourceLocation)
        #expect(t.temporaryFiles().isEmpty, "no temporary file is left: \(t.temporaryFiles())", sourceLocation: sourceLocation)
        #expect(try t.snapshot() == before, "the ledger is byte for byte as it was", sourceLocation: sourceLocation)
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies), "verifies at once", sourceLocation: sourceLocation)
    }

    @Test("a mark on a full disk, whether no byte or part of the line was written", arguments: ["write-segment:ENOSPC", "write-segment:60:ENOSPC",
                                                                                                 "write-checkpoint:ENOSPC"])
    func mark(_ fault: String) throws {
        let t = try TestLedger()
        try t.standardSchool()
        let before = try t.snapshot()
        let r = try t.run("rollbook", ["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"],
                          environment: ["ROLLBOOK_FAULT": fault])
        try Self.expectNothingRecorded(t, r, before: before)
        // The same mark, once there is space, is recorded once.
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        #expect(try t.markKeys() == ["Y123456789001 2025-09-03 AM /"])
    }

    @Test("a batch import on a full disk records nothing of the batch")
    func batchImport() throws {
        let t = try TestLedger()
        try t.standardSchool()
        var csv = "upn,date,session,code\n"
        for day in standardSchoolDays.prefix(4) { for i in 1...5 { csv += "\(TestUPN.number(i)),\(day),AM,/\n" } }
        let file = try t.file("marks.csv", csv)
        let before = try t.snapshot()
        let r = try t.run("rollbook", ["marks", "import", file], environment: ["ROLLBOOK_FAULT": "write-segment:2000:ENOSPC"])
        try Self.expectNothingRecorded(t, r, before: before)
        try t.ok(["marks", "import", file])
        #expect(try t.markKeys().count == 20)
    }

    @Test("a disposal whose event cannot be written disposes of nothing")
    func disposalEvent() throws {
        let (t, _) = try RetentionTests().makeLedger()
        let before = try t.snapshot()
        let r = try t.run("rollbook", ["retention", "dispose", "--before", "2020-01-01"], environment: ["ROLLBOOK_FAULT": "write-segment:100:ENOSPC"])
        try Self.expectNothingRecorded(t, r, before: before)
    }

    @Test("a disposal that fills the disk while rewriting a segment leaves no temporary segment, and the next one finishes")
    func disposalRewrite() throws {
        let (t, migrated) = try RetentionTests().makeLedger()
        let events = try t.events().count
        let r = try t.run("rollbook", ["retention", "dispose", "--before", "2020-01-01"],
                          environment: ["ROLLBOOK_FAULT": "write-rewritten-segment:4096:ENOSPC"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no space left on device"), "\(r.stderr)")
        // The disposal event was recorded (and the message says so); its lines are not yet stubs; it says what to do.
        #expect(r.stderr.contains("The disposal is recorded, but its entries were not all replaced by stubs yet"), "\(r.stderr)")
        #expect(t.temporaryFiles().isEmpty, "the partial segments/NNNNNN.jsonl.tmp is removed: \(t.temporaryFiles())")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        #expect(try t.events().count == events + 1, "every event is still there, and the disposal event")
        let finished = try t.ok(["retention", "dispose", "--before", "2020-01-01"])
        #expect(finished.contains("Removed \(migrated) entries"), "\(finished)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
    }

    @Test("export returns --mark-sent on a full disk prints no returns: they were not recorded as sent")
    func markSent() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let unsent = try t.ok(["export", "returns", "--to", "2025-09-30", "--format", "csv"])
        #expect(unsent.contains("admission"), "the admissions are due: \(unsent)")
        let before = try t.snapshot()
        let r = try t.run("rollbook", ["export", "returns", "--to", "2025-09-30", "--mark-sent", "--format", "csv"],
                          environment: ["ROLLBOOK_FAULT": "write-segment:ENOSPC"])
        try Self.expectNothingRecorded(t, r, before: before)
        #expect(r.stdout.isEmpty, "no return is printed as if sent: \(r.stdout)")
        // Once there is space, they are printed and recorded.
        let sent = try t.run("rollbook", ["export", "returns", "--to", "2025-09-30", "--mark-sent", "--format", "csv"])
        #expect(sent.status == 0 && sent.stdout == unsent, "\(sent.stderr)")
        #expect(try t.ok(["export", "returns", "--to", "2025-09-30", "--format", "csv"]) != unsent, "now marked as sent")
    }
}
