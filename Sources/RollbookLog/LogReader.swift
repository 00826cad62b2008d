import Dispatch

/// Reads a ledger's committed lines in order, checking the chain, the sequence, the times, the
/// checkpoint and (optionally) an auditor's digest as it goes.
///
/// The reader opens files for reading only and takes no lock, so it works on a copy on read-only
/// media. Bytes after the committed lines (an interrupted write) are never handed to the fold; they are
/// reported in ``LogScan/uncommittedTail``. Verification follows `events/FORMAT.md` exactly, including
/// how the first bad sequence is attributed.
public struct LogReader: Sendable {
    /// The ledger's files.
    public let paths: LedgerPaths

    /// Creates a reader of the ledger in `directory`.
    public init(directory: String) { self.paths = LedgerPaths(directory: directory) }

    /// Whether the directory holds a ledger (a checkpoint or at least one segment).
    public var exists: Bool {
        FileSystem.existsOrLink(paths.checkpoint) || FileSystem.existsOrLink(paths.segment(1))
    }

    /// The largest checkpoint file read (a real one is about 150 bytes).
    public static let checkpointLimit = 4096

    /// Reads the checkpoint, or nil when the ledger has none (an empty ledger).
    ///
    /// Only a regular file of at most ``checkpointLimit`` bytes is read: a FIFO, device or link in its
    /// place, or an oversized file, is an error (never a wait, never a huge read).
    public func checkpoint() throws(LogError) -> Checkpoint? {
        guard FileSystem.existsOrLink(paths.checkpoint) else { return nil }
        return try Checkpoint(fileBytes: try FileSystem.read(paths.checkpoint, limit: LogReader.checkpointLimit), path: paths.checkpoint)
    }

    /// The total size of the segment files in bytes.
    public func logBytes() -> Int {
        guard let names = try? FileSystem.list(paths.segments) else { return 0 }
        return names.filter { $0.hasSuffix(".jsonl") }.reduce(0) { $0 + (FileSystem.size(paths.segments + "/" + $1) ?? 0) }
    }

    /// The largest snapshot a reader will read: twice the log plus 16 MiB (a snapshot summarises the log
    /// in far fewer bytes than the log holds; anything larger is damage, not a cache).
    public func snapshotLimit() -> Int { 2 * logBytes() + (16 << 20) }

    /// Whether any segment holds bytes.
    public func segmentsHoldData() throws(LogError) -> Bool {
        guard FileSystem.isDirectory(paths.segments) else { return false }
        for name in try FileSystem.list(paths.segments) where name.hasSuffix(".jsonl") {
            if (FileSystem.size(paths.segments + "/" + name) ?? 0) > 0 { return true }
        }
        return false
    }

    /// Throws ``LogError/checkpointMissing(directory:)`` when the segments hold events but there is no
    /// checkpoint: such a ledger is refused by every command until the checkpoint is restored or rebuilt.
    public func refuseMissingCheckpoint() throws(LogError) {
        if !FileSystem.existsOrLink(paths.checkpoint), try segmentsHoldData() {
            throw .checkpointMissing(directory: paths.directory)
        }
    }

    /// Scans the whole log, handing each committed line to `body` in order.
    ///
    /// Verification problems do not throw: they end the scan and are returned in ``LogScan/fault``
    /// (lines up to and including the faulty one may already have been handed to `body`: a changed
    /// line is known to be bad only once the next line's `prev` is read). Errors thrown by `body`, and
    /// files that cannot be read at all, are thrown.
    public func scan(digest: LedgerDigest? = nil, _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        try scan(digest: digest, validateUpFront: true, exact: { _ in false }, body)
    }

    /// ``scan(digest:_:)`` for a fold that decodes the lines written exactly as Rollbook writes them
    /// itself: `exact` is offered each line that is about to be handed to `body` (just before it is).
    ///
    /// `exact` must return true only for a line that is one strict JSON object (it accepts only a fixed
    /// layout of plain ASCII members, as ``EventLineDecoder`` does; it may keep what it decoded for
    /// `body`); the reader then skips its own strict JSON check of that line, and checks every other line
    /// as ``scan(digest:_:)`` does. The verdict, and the line a fault names, are the same as
    /// ``scan(digest:_:)``'s (debug builds assert that every line `exact` accepts passes the check).
    package func scan(digest: LedgerDigest? = nil, exact: (borrowing LogLine) -> Bool,
                      _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        try scan(digest: digest, validateUpFront: false, exact: exact, body)
    }

    /// The scan; with `fused`, each segment is read by ``fusedSegment(number:blockBytes:state:checkpoint:exact:body:)``
    /// in blocks of `blockBytes`.
    func scan(digest: LedgerDigest?, validateUpFront: Bool, fused: Bool = false, blockBytes: Int = LogReader.fusedBlockBytes,
              exact: (borrowing LogLine) -> Bool,
              _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        var state = ScanState(digest: digest)
        let checkpoint: Checkpoint?
        do {
            checkpoint = try self.checkpoint()
        } catch {
            if case .badCheckpoint(_, let reason) = error {
                state.fault(LogFault(seq: 1, segment: nil, line: nil, problem: "the checkpoint file is invalid (\(reason))"))
                return state.result(checkpoint: nil)
            }
            throw error
        }
        state.committedCount = checkpoint?.count ?? 0

        let segmentNumbers: [Int]
        let gap: Int?
        switch try listSegments() {
        case .success(let found): (segmentNumbers, gap) = found
        case .failure(let fault):
            state.fault(fault)
            return state.result(checkpoint: checkpoint)
        }
        if checkpoint == nil {
            let anyBytes = segmentNumbers.contains { n in (FileSystem.size(paths.segment(n)) ?? 0) > 0 }
            if anyBytes {
                state.fault(LogFault(seq: 1, segment: nil, line: nil,
                                     problem: "the segments hold data but the checkpoint file \(paths.checkpoint) is missing; restore it from your most recent backup, or run `rollbook rebuild-checkpoint` (never `rollbook init`)"))
            }
            return state.result(checkpoint: nil)
        }

        // One buffer for every segment: 64 MiB of fresh pages are faulted in once, not once per segment.
        var bytes: [UInt8] = []
        for number in segmentNumbers {
            if state.finished { break }
            if fused {
                try fusedSegment(number: number, blockBytes: blockBytes, state: &state, checkpoint: checkpoint!, exact: exact, body: body)
                continue
            }
            let count = try FileSystem.read(paths.segment(number), into: &bytes)
            try bytes.withUnsafeBytes { buffer in
                try scanSegment(number: number, buffer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]), state: &state,
                                checkpoint: checkpoint!, validateUpFront: validateUpFront, exact: exact, body: body)
            }
        }
        if let gap, state.tail == nil {
            // The first line the missing segment should hold (the smallest fault wins).
            state.fault(LogFault(seq: state.position, segment: LedgerPaths.relativeSegment(gap), line: 1,
                                 problem: "segment \(LedgerPaths.segmentName(gap)) is missing although later segments exist (the segments must run from 000001 with no gap)"))
        }
        state.finish(checkpoint: checkpoint!)
        return state.result(checkpoint: checkpoint)
    }

    /// The segments from 000001 with no gap, and the first missing number when later segments exist.
    func listSegments() throws(LogError) -> Result<(numbers: [Int], gap: Int?), LogFault> {
        guard FileSystem.isDirectory(paths.segments) else { return .success(([], nil)) }
        var numbers: [Int] = []
        for name in try FileSystem.list(paths.segments) where name.hasSuffix(".jsonl") {
            let stem = name.dropLast(6)
            guard stem.count == 6, stem.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(stem), n >= 1 else {
                return .failure(LogFault(seq: 1, segment: "segments/\(name)", line: nil,
                                         problem: "segments/\(name) is not a segment name (six digits, from 000001)"))
            }
            numbers.append(n)
        }
        numbers.sort()
        for (index, n) in numbers.enumerated() where n != index + 1 {
            return .success((Array(numbers[..<index]), index + 1))
        }
        return .success((numbers, nil))
    }

    /// Scans one segment's bytes; `fileOffset` is the file offset of the buffer's first byte (non-zero when a
    /// scan resumes in the middle of a segment), `firstLine` the line number of its first line.
    ///
    /// With `validateUpFront` every line's strict JSON check runs up front beside its hash (on both
    /// cores); otherwise (a fold with an `exact` decoder) it runs in order, only for lines `exact` does
    /// not accept.
    func scanSegment(number: Int, buffer: UnsafeRawBufferPointer, fileOffset: Int = 0, firstLine: Int = 1, state: inout ScanState,
                     checkpoint: Checkpoint, validateUpFront: Bool, exact: (borrowing LogLine) -> Bool,
                     body: (borrowing LogLine) throws -> Void) throws {
        // Find the line ends, then hash every complete line (in parallel when there are many), then
        // walk the lines in order.
        var ends: [Int] = []
        ends.reserveCapacity(buffer.count / 160 + 16)
        var position = 0
        let base = buffer.baseAddress
        while position < buffer.count {
            guard let found = memchrNewline(base! + position, buffer.count - position) else { break }
            ends.append(position + found)
            position += found + 1
        }
        let tornStart = position  // bytes from here on have no newline
        let (hashes, wellFormed) = LogReader.hashLines(buffer: buffer, ends: ends, validate: validateUpFront)

        var start = 0
        for (index, end) in ends.enumerated() {
            if state.finished { return }
            let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            if state.position > state.committedCount {
                state.uncommitted(segment: number, offset: fileOffset + start, bytes: buffer.count - start)
                return
            }
            try state.accept(line: line, hash: hashes[index], isJSON: validateUpFront ? wellFormed[index] : nil, segment: number,
                             lineNumber: firstLine + index, endOffset: fileOffset + end + 1, checkpoint: checkpoint, exact: exact, body: body)
            start = end + 1
        }
        if tornStart < buffer.count && !state.finished {
            if state.position > state.committedCount {
                state.uncommitted(segment: number, offset: fileOffset + tornStart, bytes: buffer.count - tornStart)
            } else {
                state.structural(LogFault(seq: state.position, segment: LedgerPaths.relativeSegment(number), line: firstLine + ends.count,
                                          problem: "the line is incomplete (no newline at the end of the file): the file was truncated"))
            }
        }
    }

    /// Hashes each line `[previous end + 1, end)` and, with `validate`, checks that it is one strict JSON
    /// object (``isStrictObject(_:)``); uses both cores for large segments. The result does not depend on
    /// scheduling: each slot is written by exactly one task. Without `validate` the flags are all false.
    static func hashLines(buffer: UnsafeRawBufferPointer, ends: [Int], validate: Bool = true) -> ([SHA256Digest], [Bool]) {
        var hashes = [SHA256Digest](repeating: .zero, count: ends.count)
        var valid = [Bool](repeating: false, count: validate ? ends.count : 0)
        let chunks = ends.count >= 4096 ? 8 : 1
        valid.withUnsafeMutableBufferPointer { validOut in
        nonisolated(unsafe) let validOut = validOut
        hashes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            ends.withUnsafeBufferPointer { ends in
                nonisolated(unsafe) let ends = ends
                nonisolated(unsafe) let buffer = buffer
                let perChunk = (ends.count + chunks - 1) / chunks
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let lower = chunk * perChunk
                    let upper = min(ends.count, lower + perChunk)
                    guard lower < upper else { return }
                    var start = lower == 0 ? 0 : ends[lower - 1] + 1
                    for i in lower..<upper {
                        let line = UnsafeRawBufferPointer(rebasing: buffer[start..<ends[i]])
                        out[i] = SHA256.hash(line)
                        if validate { validOut[i] = isStrictObject(line) }
                        start = ends[i] + 1
                    }
                }
            }
        }
        }
        return (hashes, valid)
    }

    /// Whether a line is one strict JSON value (RFC 8259, valid UTF-8, no repeated member:
    /// `events/FORMAT.md` says a line that is not valid JSON is itself bad) that is exactly one object,
    /// with no bytes (even whitespace) around it.
    static func isStrictObject(_ line: UnsafeRawBufferPointer) -> Bool {
        line.last == 0x7D && JSONValidation.isValid(line)
    }
}

@inline(__always)
func memchrNewline(_ pointer: UnsafeRawPointer, _ count: Int) -> Int? {
    guard let found = memchr(pointer, 0x0A, count) else { return nil }
    return pointer.distance(to: UnsafeRawPointer(found))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
