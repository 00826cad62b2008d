import Foundation
import Testing

@testable import RollbookLog
@testable import RollbookLogWriter
import RollbookTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The writer under real-world faults: a removed lock file, a checkpoint changed behind its back, a clock
/// behind the log, and a checkpoint older than the log.
@Suite("Writer safety")
struct LogWriterSafetyTests {
    static let time: Int64 = 1_788_000_000_000  // later than every line LogFixture writes

    static func correction(_ i: Int) -> [UInt8] {
        Array(#"{"type":"clock.corrected","v":1,"author":"Sam Patel","position":"Attendance Officer","reason":"r\#(i)","previous_at":"2026-08-29T10:40:00.000Z"}"#.utf8)
    }

    @Test("the lock holds when DIR/lock is removed while a writer holds it")
    func lockFileRemoved() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let first = try LogFixture.make(in: ledger, count: 3)
        let paths = LedgerPaths(directory: ledger)
        #expect(unlink(paths.lock) == 0)
        #expect(throws: LogError.lockTimeout(path: paths.directory, seconds: 0.2)) {
            _ = try LogWriter(directory: ledger, label: nil, lockTimeout: 0.2)
        }
        try first.append([LogFixture.record(4)], at: Timestamp(milliseconds: Self.time))
        #expect(try LogFixture.scan(ledger).seqs == Array(1...4))
    }

    @Test("the checkpoint is replaced only if it is still the one the writer read (compare and swap)")
    func checkpointChangedBehindTheWriter() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let writer = try LogFixture.make(in: ledger, count: 5)
        let paths = LedgerPaths(directory: ledger)
        let segment = try LogFixture.read(paths.segment(1))
        var changed = try #require(writer.checkpoint)
        changed.count = 4
        try LogFixture.write(changed.fileBytes, to: paths.checkpoint)
        #expect(throws: LogError.checkpointChanged(path: paths.checkpoint)) {
            try writer.append([LogFixture.record(6)], at: Timestamp(milliseconds: Self.time))
        }
        #expect(try LogFixture.read(paths.segment(1)) == segment, "nothing was written")
        #expect(try LogFixture.read(paths.checkpoint) == changed.fileBytes, "the other checkpoint is left as it is")
    }

    @Test("a clock more than 5 minutes behind is refused, less is clamped, and only a clock correction steps back")
    func clockBehind() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let writer = try LogFixture.make(in: ledger, count: 3)
        let last = Timestamp(milliseconds: Self.time)
        try writer.append([LogFixture.record(4)], at: last)
        let paths = LedgerPaths(directory: ledger)
        let segment = try LogFixture.read(paths.segment(1))
        let sixMinutesBehind = Timestamp(milliseconds: Self.time - 6 * 60_000)
        #expect(throws: LogError.clockBehind(now: sixMinutesBehind, last: last, seq: 4, toleranceMinutes: 5)) {
            try writer.append([LogFixture.record(5)], at: sixMinutesBehind)
        }
        #expect(try LogFixture.read(paths.segment(1)) == segment, "nothing was written")
        let clamped = try writer.append([LogFixture.record(5)], at: Timestamp(milliseconds: Self.time - 4 * 60_000))
        #expect(clamped.at == last, "within 5 minutes: stamped with the last event's time, never earlier")
        let hourBack = Timestamp(milliseconds: Self.time - 3_600_000)
        let corrected = try writer.append([Self.correction(6)], at: hourBack, steppingBack: true)
        #expect(corrected.at == hourBack)
        try writer.append([LogFixture.record(7)], at: Timestamp(milliseconds: Self.time - 3_500_000))
        #expect(try LogFixture.scan(ledger).scan.isIntact, "the Swift verifier accepts the step back at a clock.corrected line")
        // The same step back on an ordinary line is a fault of that line.
        try writer.append([LogFixture.record(8)], at: Timestamp(milliseconds: Self.time - 7_200_000), steppingBack: true)
        #expect(try LogFixture.scan(ledger).scan.fault?.seq == 8)
    }

    @Test("a checkpoint older than the log: several writes after it are refused, not cut; rebuilding commits them")
    func olderCheckpoint() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let paths = LedgerPaths(directory: ledger)
        do { try LogFixture.make(in: ledger, count: 10) }
        let backup = try LogFixture.read(paths.checkpoint)
        do {
            let writer = try LogWriter(directory: ledger, label: nil)
            try writer.append([LogFixture.record(11)], at: Timestamp(milliseconds: Self.time))
            try writer.append([LogFixture.record(12), LogFixture.record(13)], at: Timestamp(milliseconds: Self.time + 1000))
        }
        let segment = try LogFixture.read(paths.segment(1))
        try LogFixture.write(backup, to: paths.checkpoint)
        let now = Timestamp(milliseconds: Self.time + 2000)
        do {
            let writer = try LogWriter(directory: ledger, label: nil)
            #expect(throws: LogError.checkpointBehindLog(directory: ledger, count: 10, firstSeq: 11, lastSeq: 13)) {
                _ = try writer.cutUncommittedTail(at: now)
            }
        }
        #expect(try LogFixture.read(paths.segment(1)) == segment, "nothing was cut")
        let rebuilt = try LogWriter(directory: ledger, label: nil, rebuilding: true).rebuildCheckpoint(at: now)
        #expect(rebuilt.before == 10 && rebuilt.after == 13 && rebuilt.moved == nil)
        let (scan, seqs) = try LogFixture.scan(ledger)
        #expect(scan.isIntact && seqs == Array(1...13))
    }

    @Test("a missing checkpoint: every writer refuses; rebuilding commits the lines that chain and keeps a torn tail")
    func missingCheckpoint() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let paths = LedgerPaths(directory: ledger)
        do { try LogFixture.make(in: ledger, count: 7) }
        let committed = try LogFixture.read(paths.segment(1))
        try LogFixture.write(committed + Array(#"{"seq":8,"at":"20"#.utf8), to: paths.segment(1))
        #expect(unlink(paths.checkpoint) == 0)
        #expect(throws: LogError.checkpointMissing(directory: ledger)) { _ = try LogWriter(directory: ledger, label: nil) }
        #expect(throws: LogError.checkpointMissing(directory: ledger)) { _ = try LogWriter(directory: ledger, label: LogFixture.label, create: true) }
        #expect(throws: LogError.checkpointMissing(directory: ledger)) { try LogReader(directory: ledger).refuseMissingCheckpoint() }
        let rebuilt = try LogWriter(directory: ledger, label: LogFixture.label, rebuilding: true)
            .rebuildCheckpoint(at: Timestamp(milliseconds: Self.time))
        #expect(rebuilt.after == 7)
        let moved = try #require(rebuilt.moved)
        #expect(moved.tornBytes == 17 && moved.completeLines == 0)
        #expect(try LogFixture.read(ledger + "/" + moved.recoveredFiles[0]) == Array(#"{"seq":8,"at":"20"#.utf8))
        #expect(try LogFixture.read(paths.segment(1)) == committed)
        #expect(try LogFixture.scan(ledger).scan.isIntact)
    }
}
