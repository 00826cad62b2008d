import Foundation
import Testing

@testable import RollbookLog
@testable import RollbookLogWriter
import RollbookTestSupport

/// The fused reader (``LogReader/fusedScan(digest:exact:_:)``) against the reader it replaces: the same
/// lines handed to the fold and the same result (fault, lines read, head, last time, uncommitted tail)
/// on intact, mutated and re-segmented logs.
@Suite("Fused scan", .timeLimit(.minutes(2)))
struct FusedScanTests {
    /// What a scan handed over and ended with, comparable.
    struct Outcome: Equatable, CustomStringConvertible {
        var lines: [String]
        var fault: LogFault?
        var linesRead: Int
        var head: SHA256Digest
        var lastAt: Timestamp?
        var tail: UncommittedTail?
        var checkpoint: Checkpoint?
        var description: String { "\(lines.count) lines, fault \(fault.map(\.description) ?? "none"), tail \(tail.map(\.description) ?? "none")" }

        init(_ scan: LogScan, _ lines: [String]) {
            self.lines = lines
            fault = scan.fault; linesRead = scan.linesRead; head = scan.head; lastAt = scan.lastAt; tail = scan.uncommittedTail
            checkpoint = scan.checkpoint
        }
    }

    /// Scans with the reference reader or the fused one; `exact` accepts strict JSON objects (as a decoder
    /// that accepts only such lines may) on every `acceptEvery`-th line, none when 0.
    static func outcome(_ directory: String, fused: Bool, acceptEvery: Int, digest: LedgerDigest? = nil) throws -> Outcome {
        var lines: [String] = []
        let exact: (borrowing LogLine) -> Bool = { line in
            acceptEvery > 0 && line.seq % acceptEvery == 0 && LogReader.isStrictObject(line.bytes)
        }
        let reader = LogReader(directory: directory)
        let scan = try fused
            ? reader.fusedScan(digest: digest, exact: exact) { lines.append("\($0.seq) \($0.segment):\($0.lineNumber) \($0.hash) \(String(describing: $0.at)) \($0.bytes.count)") }
            : reader.scan(digest: digest, exact: exact) { lines.append("\($0.seq) \($0.segment):\($0.lineNumber) \($0.hash) \(String(describing: $0.at)) \($0.bytes.count)") }
        return Outcome(scan, lines)
    }

    @Test("every line the writer writes has the regular opening the fused reader checks by comparing bytes")
    func writerLinesAreRegular() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        try LogFixture.make(in: base, count: 40)
        let bytes = try LogFixture.read(LedgerPaths(directory: base).segment(1))
        var cursor = PrefixCursor()
        var previous = SHA256Digest.zero
        var regular = 0
        try bytes.withUnsafeBytes { all in
            for (index, range) in LogFixture.lineRanges(bytes).enumerated() {
                let line = UnsafeRawBufferPointer(rebasing: all[range])
                let prefix = try #require(LinePrefix(line))
                let at = cursor.regularTime(line, seq: index + 1, previousHash: previous)
                #expect(at != nil && at == prefix.at, "line \(index + 1)")
                if at != nil { regular += 1 }
                // Not the next seq, not linked to the previous line: not regular.
                #expect(cursor.regularTime(line, seq: index + 2, previousHash: previous) == nil)
                #expect(cursor.regularTime(line, seq: index + 1, previousHash: SHA256.hash(line)) == nil)
                previous = SHA256.hash(line)
            }
        }
        #expect(regular == 40)
    }
}
