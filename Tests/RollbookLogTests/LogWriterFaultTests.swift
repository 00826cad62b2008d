import Foundation
import Testing

@testable import RollbookLog
@testable import RollbookLogWriter
import RollbookTestSupport

/// Injected storage failures: the writer stops with a clear error, nothing half-written is acknowledged,
/// and reopening re-verifies the log and cuts whatever the failed write left behind.
@Suite("Write failures")
struct LogWriterFaultTests {
    struct Fault: CustomStringConvertible, Sendable {
        var operation: StorageOperation
        var partialBytes = 0
        /// Whether the batch is committed despite the error (the failure came after the rename).
        var committed = false
        var description: String { operation.rawValue + (partialBytes > 0 ? " after \(partialBytes) bytes" : "") }
    }

    static let faults: [Fault] = [
        Fault(operation: .appendSegment),
        Fault(operation: .appendSegment, partialBytes: 1),
        Fault(operation: .appendSegment, partialBytes: 150),
        Fault(operation: .appendSegment, partialBytes: 100_000),
        Fault(operation: .syncSegment),
        Fault(operation: .writeCheckpoint),
        Fault(operation: .syncCheckpoint),
        Fault(operation: .renameCheckpoint),
        Fault(operation: .syncDirectory, committed: true),
    ]

    @Test("a failed step stops the writer; reopening cuts the uncommitted bytes", arguments: faults)
    func failedStep(_ fault: Fault) throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        try LogFixture.make(in: ledger, count: 10)
        let paths = LedgerPaths(directory: ledger)
        let segmentBefore = try LogFixture.read(paths.segment(1))
        let checkpointBefore = try LogFixture.read(paths.checkpoint)

        let operation = fault.operation
        do {
        let writer = try LogWriter(directory: ledger, label: nil,
                                   faults: StorageFaults(partialBytes: fault.partialBytes) { $0 == operation ? 5 : nil })
        let batch = (11...13).map(LogFixture.record)
        do {
            try writer.append(batch, at: Timestamp(milliseconds: 1_756_990_000_000))
            Issue.record("the append was acknowledged although \(fault) failed")
        } catch {
            #expect(error == .io(operation: fault.operation.rawValue, path: fault.operation == .appendSegment || fault.operation == .syncSegment
                                    ? paths.segment(1) : fault.operation == .writeCheckpoint || fault.operation == .syncCheckpoint
                                    ? paths.checkpointTemporary : fault.operation == .renameCheckpoint ? paths.checkpoint : paths.directory, errno: 5))
            #expect(error.description.contains("input/output error"))
        }
        // The writer has stopped: no retry, no later append.
        #expect(throws: LogError.writerStopped) { try writer.append([LogFixture.record(14)], at: Timestamp(milliseconds: 1_756_990_000_000)) }
        }  // the failed writer lets go of the lock
        if fault.partialBytes == 0 && !fault.committed && fault.operation != .syncSegment
            && fault.operation != .writeCheckpoint && fault.operation != .syncCheckpoint && fault.operation != .renameCheckpoint {
            #expect(try LogFixture.read(paths.segment(1)) == segmentBefore)
        }
        if !fault.committed {
            #expect(try LogFixture.read(paths.checkpoint) == checkpointBefore, "a failed write leaves the old checkpoint")
        }

        // A reader sees exactly the committed events (the batch only if its checkpoint was renamed into place).
        let expectedCount = fault.committed ? 13 : 10
        let (scan, seqs) = try LogFixture.scan(ledger)
        #expect(seqs == Array(1...expectedCount))
        let leftBehind = (try LogFixture.read(paths.segment(1))).count - segmentBefore.count
        if fault.committed {
            #expect(scan.isIntact)
        } else if leftBehind > 0 {
            #expect(scan.uncommittedTail?.bytes == leftBehind)
            #expect(scan.fault?.seq == 11)
        } else {
            #expect(scan.isIntact)
        }

        // Reopening (a new writer) cuts the tail, and appends again.
        let reopened = try LogWriter(directory: ledger, label: nil)
        let cut = try reopened.cutUncommittedTail()
        #expect(cut?.bytes == (fault.committed || leftBehind == 0 ? nil : leftBehind))
        try reopened.append([LogFixture.record(20)], at: Timestamp(milliseconds: 1_756_990_000_000))
        let after = try LogFixture.scan(ledger)
        #expect(after.scan.isIntact, "\(after.scan.fault?.description ?? "")")
        #expect(after.seqs == Array(1...(expectedCount + 1)))
        #expect(!FileManager.default.fileExists(atPath: paths.checkpointTemporary) || fault.operation != .syncDirectory)
    }

    @Test("the first write of a new ledger failing leaves a directory a new init can use")
    func failedFirstWrite() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        do {
            let writer = try LogWriter(directory: ledger, label: LogFixture.label, create: true,
                                       faults: StorageFaults(partialBytes: 40) { $0 == .appendSegment ? 5 : nil })
            #expect(throws: LogError.self) { try writer.append([LogFixture.record(1)], at: Timestamp(milliseconds: 1_756_990_000_000)) }
        }
        let (scan, seqs) = try LogFixture.scan(ledger)
        #expect(seqs.isEmpty)
        #expect(scan.fault?.seq == 1, "40 stray bytes and no checkpoint do not verify")
        let again = try LogWriter(directory: ledger, label: LogFixture.label, create: true)
        #expect(try again.cutUncommittedTail()?.bytes == 40)
        try again.append([LogFixture.record(1)], at: Timestamp(milliseconds: 1_756_990_000_000))
        #expect(try LogFixture.scan(ledger).scan.isIntact)
    }

    @Test("files are created 0600 and directories 0700, whatever the umask")
    func permissions() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let writer = try LogFixture.make(in: ledger, count: 3)
        _ = writer
        let paths = LedgerPaths(directory: ledger)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        #expect(try mode(paths.directory) == 0o700)
        #expect(try mode(paths.segments) == 0o700)
        #expect(try mode(paths.segment(1)) == 0o600)
        #expect(try mode(paths.checkpoint) == 0o600)
        #expect(try mode(paths.lock) == 0o600)
    }
}
