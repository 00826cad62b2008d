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
    /// `blockBytes` is the fused reader's block size (small ones cut lines across blocks and grow a block for a long line).
    static func outcome(_ directory: String, fused: Bool, acceptEvery: Int, digest: LedgerDigest? = nil,
                        blockBytes: Int = LogReader.fusedBlockBytes) throws -> Outcome {
        var lines: [String] = []
        let exact: (borrowing LogLine) -> Bool = { line in
            acceptEvery > 0 && line.seq % acceptEvery == 0 && LogReader.isStrictObject(line.bytes)
        }
        let reader = LogReader(directory: directory)
        let scan = try fused
            ? reader.fusedScan(digest: digest, blockBytes: blockBytes, exact: exact) { lines.append("\($0.seq) \($0.segment):\($0.lineNumber) \($0.hash) \(String(describing: $0.at)) \($0.bytes.count)") }
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

    /// A log written line by line (not through the writer, so that it can hold what only history holds):
    /// batches sharing one time, a clock correction stepping back, a disposal stub covered by a later
    /// `retention.disposed`, lines with escapes and non-ASCII text, three segments.
    /// With `stepBack`, the line at that seq (not a clock correction) is stamped that many milliseconds
    /// before the line it follows, and the log consistently chained: a time fault only.
    static func makeLog(in directory: String, stepBack: (seq: Int, milliseconds: Int64)? = nil) throws -> [SHA256Digest] {
        let paths = LedgerPaths(directory: directory)
        try FileManager.default.createDirectory(atPath: paths.segments, withIntermediateDirectories: true)
        var lines: [[UInt8]] = []
        var hashes: [SHA256Digest] = []
        var time: Int64 = 1_756_886_400_000
        var stubbed: Int?
        for seq in 1...90 {
            let body: [UInt8]
            switch seq {
            case 40:
                time -= 3_600_000  // the clock stepped back; recorded as such
                body = Array(#"{"type":"clock.corrected","v":1,"author":"Sam Patel","position":"AO","reason":"dst","previous_at":"2025-09-03T09:00:00.000Z"}"#.utf8)
            case 70:
                body = Array(#"{"type":"retention.disposed","v":1,"author":"Sam Patel","position":"AO","before":"2019-09-01","ranges":[{"first_seq":12,"last_seq":12}],"count":1,"seal":"\#(String(repeating: "a", count: 64))"}"#.utf8)
            default:
                body = LogFixture.record(seq)
            }
            if seq % 3 == 0 { time += 1_000 }
            var stamped = time
            if let stepBack, stepBack.seq == seq { stamped -= stepBack.milliseconds }
            let prev = hashes.last ?? .zero
            var line = Array(#"{"seq":\#(seq),"at":"\#(Timestamp(milliseconds: stamped))","prev":"\#(prev.hex)","#.utf8)
            line += body.dropFirst()
            lines.append(line)
            hashes.append(SHA256.hash(line))
            if seq == 12 { stubbed = seq }
        }
        if let stubbed {
            lines[stubbed - 1] = Array(#"{"seq":\#(stubbed),"prev":"\#(hashes[stubbed - 2].hex)","disposed":"\#(hashes[stubbed - 1].hex)"}"#.utf8)
        }
        let cuts = [0, 30, 65, 90]
        for segment in 1...3 {
            var bytes: [UInt8] = []
            for line in lines[cuts[segment - 1]..<cuts[segment]] { bytes += line + [0x0A] }
            try LogFixture.write(bytes, to: paths.segment(segment))
            if segment == 3 {
                let checkpoint = Checkpoint(label: LogFixture.label, count: 90, head: hashes[89], segment: 3, offset: bytes.count)
                try LogFixture.write(checkpoint.fileBytes, to: paths.checkpoint)
            }
        }
        return hashes
    }

    @Test("an intact log with stubs, a clock correction and three segments: the same lines and result")
    func intactLog() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        let hashes = try Self.makeLog(in: base)
        for every in [0, 1, 4] {
            let reference = try Self.outcome(base, fused: false, acceptEvery: every)
            #expect(reference.fault == nil && reference.linesRead == 90, "\(reference)")
            for blockBytes in [1, 64, 300, 1000, 4096, LogReader.fusedBlockBytes] {
                #expect(try Self.outcome(base, fused: true, acceptEvery: every, blockBytes: blockBytes) == reference, "blocks of \(blockBytes)")
            }
        }
        // Digests: one the log extends, one it does not.
        for digest in [LedgerDigest(label: LogFixture.label, count: 50, head: hashes[49]),
                       LedgerDigest(label: LogFixture.label, count: 50, head: hashes[48])] {
            let fused = try Self.outcome(base, fused: true, acceptEvery: 1, digest: digest)
            #expect(fused == (try Self.outcome(base, fused: false, acceptEvery: 1, digest: digest)))
        }
    }

    @Test("a line stamped earlier than the one before it (1 ms or an hour; not a clock correction): the same time fault",
          arguments: [(50, 1), (50, 3_600_000), (41, 1), (2, 1), (31, 1)])
    func timeGoingBack(seq: Int, milliseconds: Int64) throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        _ = try Self.makeLog(in: base, stepBack: (seq, milliseconds))
        for every in [0, 1] {
            let fused = try Self.outcome(base, fused: true, acceptEvery: every, blockBytes: 700)
            #expect(fused == (try Self.outcome(base, fused: false, acceptEvery: every)))
            #expect(fused.fault?.seq == seq && fused.fault?.problem.contains("earlier than the previous event") == true, "\(fused)")
        }
    }

    @Test("bytes after the checkpoint (ten whole lines and a torn one, across blocks): the same tail, measured to the end of the file")
    func uncommittedTail() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        let hashes = try Self.makeLog(in: base)
        let paths = LedgerPaths(directory: base)
        var segment = try LogFixture.read(paths.segment(3))
        segment += Array(#"{"seq":91,"at":"2025-09-03T10:00:00.000Z","pr"#.utf8)
        try LogFixture.write(segment, to: paths.segment(3))
        // Commit only up to line 80 (the 15th line of segment 3).
        let ranges = LogFixture.lineRanges(segment)
        let checkpoint = Checkpoint(label: LogFixture.label, count: 80, head: hashes[79], segment: 3, offset: ranges[14].upperBound + 1)
        try LogFixture.write(checkpoint.fileBytes, to: paths.checkpoint)
        let reference = try Self.outcome(base, fused: false, acceptEvery: 1)
        #expect(reference.tail?.firstSeq == 81 && reference.tail?.bytes == segment.count - checkpoint.offset, "\(reference)")
        for blockBytes in [1, 100, 700, 3000, LogReader.fusedBlockBytes] {
            #expect(try Self.outcome(base, fused: true, acceptEvery: 1, blockBytes: blockBytes) == reference, "blocks of \(blockBytes)")
        }
    }

    @Test("500 mutated logs (each segment in turn): the fused reader hands over the same lines and names the same fault")
    func mutatedLogs() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        _ = try Self.makeLog(in: base)
        let paths = LedgerPaths(directory: base)
        var rng = SeededGenerator(seed: 0xF05E_D5CA)
        var faults = 0
        for i in 0..<500 {
            let ledger = dir.sub("case\(i)")
            try LogFixture.copy(base, to: ledger)
            let segment = 1 + i % 3
            let original = try LogFixture.read(paths.segment(segment))
            var mutated = LogReaderFuzzTests.mutate(original, &rng)
            if mutated == original { mutated.append(0x0A) }
            try LogFixture.write(mutated, to: LedgerPaths(directory: ledger).segment(segment))
            let every = [0, 1, 2][i % 3]
            let blockBytes = [64, 500, 2000, LogReader.fusedBlockBytes].randomElement(using: &rng)!
            let fused = try Self.outcome(ledger, fused: true, acceptEvery: every, blockBytes: blockBytes)
            let reference = try Self.outcome(ledger, fused: false, acceptEvery: every)
            #expect(fused == reference, "case \(i), blocks of \(blockBytes): fused \(fused), reference \(reference)")
            if fused.fault != nil { faults += 1 }
            try? FileManager.default.removeItem(atPath: ledger)
        }
        #expect(faults > 450, "most mutations are faults: \(faults)")
    }
}
