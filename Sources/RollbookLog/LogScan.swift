/// The outcome of reading a log: what was committed, and the first fault if verification failed.
public struct LogScan: Sendable {
    /// The checkpoint read from the ledger, or nil for an empty ledger.
    public var checkpoint: Checkpoint?
    /// How many committed lines were read and handed to the fold.
    public var linesRead: Int
    /// The chain hash of the last line read (64 zeros when none).
    public var head: SHA256Digest
    /// The time of the last non-stub line read.
    public var lastAt: Timestamp?
    /// The first fault, or nil if the log verified.
    public var fault: LogFault?
    /// Bytes after the committed lines: an interrupted write the next writer cuts off.
    public var uncommittedTail: UncommittedTail?

    /// Whether the log verified: no fault and nothing after the committed lines.
    public var isIntact: Bool { fault == nil }
}

/// Bytes found after the last committed line.
public struct UncommittedTail: Sendable, Hashable, CustomStringConvertible {
    /// The segment holding the first uncommitted byte.
    public var segment: Int
    /// The offset of the first uncommitted byte in that segment.
    public var offset: Int
    /// How many uncommitted bytes that segment holds from `offset` on.
    public var bytes: Int
    /// The sequence number the first uncommitted line would have had.
    public var firstSeq: Int

    /// Creates a description of an uncommitted tail.
    public init(segment: Int, offset: Int, bytes: Int, firstSeq: Int) {
        self.segment = segment
        self.offset = offset
        self.bytes = bytes
        self.firstSeq = firstSeq
    }

    public var description: String {
        "\(bytes) bytes after the last committed event (seq \(firstSeq - 1)) in \(LedgerPaths.relativeSegment(segment)) from offset \(offset): an interrupted write that was never acknowledged"
    }
}

/// The verification state machine of `events/FORMAT.md`: sequence, chain links, times, stubs, the
/// checkpoint and a digest, with the first-bad-sequence attribution rules.
struct ScanState {
    let digest: LedgerDigest?
    var committedCount = 0
    /// The sequence number the next line should have.
    var position = 1
    var previousHash = SHA256Digest.zero
    var previousAt: Timestamp?
    var lastSegment = 0
    var lastEndOffset = 0
    var lastLineNumber = 0
    /// A broken link after line `a`, waiting for the link after `a + 1` to decide which line is named.
    var pendingBrokenLink: (seq: Int, segment: Int, line: Int)?
    /// A fault of the line after a broken link (a bad time, or not JSON), reported with the link's.
    var pendingTimeFault: LogFault?
    var firstFault: LogFault?
    var finished = false
    var tail: UncommittedTail?
    var digestHash: SHA256Digest?
    var stubs: [Int] = []
    var disposalRanges: [ClosedRange<Int>] = []

    init(digest: LedgerDigest?) { self.digest = digest }

    mutating func fault(_ fault: LogFault) {
        if firstFault == nil || fault.seq < firstFault!.seq { firstFault = fault }
        finished = true
    }

    mutating func uncommitted(segment: Int, offset: Int, bytes: Int) {
        if tail == nil { tail = UncommittedTail(segment: segment, offset: offset, bytes: bytes, firstSeq: committedCount + 1) }
        else { tail!.bytes += bytes }
        finished = true
    }

    /// Takes the next line. `isJSON` is whether it is one strict JSON object, or nil when not yet known:
    /// then a line about to be handed to `body` is first offered to `exact`, and checked only if `exact`
    /// does not accept it (what `exact` accepts is strict JSON by its contract).
    mutating func accept(line: UnsafeRawBufferPointer, hash computed: SHA256Digest, isJSON known: Bool?, segment: Int,
                         lineNumber: Int, endOffset: Int, checkpoint: Checkpoint, exact: (borrowing LogLine) -> Bool,
                         body: (borrowing LogLine) throws -> Void) throws {
        let seq = position
        // Only built when a fault names it (building it for every line costs more than decoding a mark).
        var segmentName: String { LedgerPaths.relativeSegment(segment) }
        guard let prefix = LinePrefix(line) else {
            structural(LogFault(seq: seq, segment: segmentName, line: lineNumber,
                                problem: "the line does not begin with the members \"seq\", \"at\" and \"prev\" (or is not a well-formed disposal stub)"))
            return
        }
        guard prefix.seq == seq else {
            structural(LogFault(seq: seq, segment: segmentName, line: lineNumber,
                                problem: "expected seq \(seq) but the line says \(prefix.seq) (a line is missing, repeated or out of order)"))
            return
        }
        // The link after the previous line.
        let linkIntact = prefix.prev == previousHash
        if let pending = pendingBrokenLink {
            // The link after `pending.seq` broke; this is the link after `pending.seq + 1`.
            if linkIntact {
                fault(LogFault(seq: pending.seq, segment: LedgerPaths.relativeSegment(pending.segment), line: pending.line,
                               problem: "the line's bytes do not match the hash the next line records (the line was changed)"))
            } else {
                fault(LogFault(seq: pending.seq + 1, segment: LedgerPaths.relativeSegment(lastSegment), line: lastLineNumber,
                               problem: "the line's \"prev\" does not match the hash of the line before it (the line was changed)"))
            }
            if let time = pendingTimeFault { fault(time) }
            return
        }
        if let time = pendingTimeFault {
            fault(time)
            return
        }
        if !linkIntact {
            if seq == 1 {
                fault(LogFault(seq: 1, segment: segmentName, line: lineNumber, problem: "the first line's \"prev\" is not 64 zeros"))
                return
            }
            pendingBrokenLink = (seq - 1, lastSegment, lastLineNumber)
        }
        let chainHash = prefix.disposed ?? computed
        if prefix.badAt {
            // Readable, so the line takes part in the links; its `at` is a fault of its own.
            let atFault = LogFault(seq: seq, segment: segmentName, line: lineNumber,
                                   problem: "the \"at\" member is not a real UTC time written exactly as YYYY-MM-DDTHH:MM:SS.sssZ")
            if pendingBrokenLink == nil { fault(atFault); return }
            if pendingTimeFault == nil { pendingTimeFault = atFault }
        } else if let at = prefix.at {
            if let previousAt, at < previousAt {
                let timeFault = LogFault(seq: seq, segment: segmentName, line: lineNumber,
                                         problem: "the time \(at) is earlier than the previous event's \(previousAt)")
                if pendingBrokenLink == nil { fault(timeFault); return }
                pendingTimeFault = timeFault
            }
            previousAt = at
            if !stubs.isEmpty, let ranges = LinePrefix.disposalRanges(line) { disposalRanges.append(contentsOf: ranges) }
        } else {
            stubs.append(seq)
        }
        let logLine = LogLine(seq: seq, at: prefix.at, bytes: line, hash: chainHash, segment: segment, lineNumber: lineNumber)
        let isJSON: Bool
        if let known {
            isJSON = known
        } else {
            // Only a line the fold will see is offered to the decoder.
            if pendingBrokenLink == nil && exact(logLine) {
                assert(LogReader.isStrictObject(line), "seq \(seq): the exact decoder accepted a line that is not one strict JSON object")
                isJSON = true
            } else {
                isJSON = LogReader.isStrictObject(line)
            }
        }
        if !isJSON {
            // E.g. a newline changed into another byte joins two lines into one that is not JSON. Its
            // prefix is readable, so it takes part in the links like the time rule above: a broken link
            // before it may still name the line before.
            let lineFault = LogFault(seq: seq, segment: segmentName, line: lineNumber,
                                     problem: "the line is not one valid JSON object (strict JSON in UTF-8, no repeated member)")
            if pendingBrokenLink == nil { fault(lineFault); return }
            if pendingTimeFault == nil { pendingTimeFault = lineFault }
        }
        if pendingBrokenLink == nil {
            try body(logLine)
        }
        if let digest, digest.count == seq { digestHash = chainHash }
        previousHash = chainHash
        position += 1
        lastSegment = segment
        lastLineNumber = lineNumber
        lastEndOffset = endOffset
    }

    /// A line whose prefix cannot be read (or carries the wrong seq, or is torn): it takes no part in
    /// the links, so a broken link just before it names the line before it.
    mutating func structural(_ problem: LogFault) {
        if let pending = pendingBrokenLink {
            fault(LogFault(seq: pending.seq, segment: LedgerPaths.relativeSegment(pending.segment), line: pending.line,
                           problem: "the line's bytes do not match the hash the next line records (the line was changed)"))
        } else {
            fault(problem)
        }
        if let time = pendingTimeFault { fault(time) }
    }

    mutating func finish(checkpoint: Checkpoint) {
        if firstFault != nil { return }
        let read = position - 1
        if let pending = pendingBrokenLink {
            // The link after the last committed line is the checkpoint's head; when lines are missing
            // after line a + 1, the link after it cannot be tested and line a is named.
            if read < checkpoint.count || previousHash == checkpoint.head {
                fault(LogFault(seq: pending.seq, segment: LedgerPaths.relativeSegment(pending.segment), line: pending.line,
                               problem: "the line's bytes do not match the hash the next line records (the line was changed)"))
            } else {
                fault(LogFault(seq: pending.seq + 1, segment: LedgerPaths.relativeSegment(lastSegment), line: lastLineNumber,
                               problem: "the line's \"prev\" does not match the hash of the line before it (the line was changed)"))
            }
            if let time = pendingTimeFault { fault(time) }
            return
        }
        if let time = pendingTimeFault { fault(time); return }
        if read < checkpoint.count {
            fault(LogFault(seq: read + 1, segment: nil, line: nil,
                           problem: "the checkpoint records \(checkpoint.count) events but the log ends after \(read) (lines were removed from the end)"))
            return
        }
        if read > 0 && previousHash != checkpoint.head {
            fault(LogFault(seq: read, segment: LedgerPaths.relativeSegment(lastSegment), line: lastLineNumber,
                           problem: "the last committed line does not hash to the checkpoint's head (the line was changed)"))
            return
        }
        if read > 0 && (lastSegment != checkpoint.segment || lastEndOffset != checkpoint.offset) {
            fault(LogFault(seq: read, segment: LedgerPaths.relativeSegment(lastSegment), line: lastLineNumber,
                           problem: "the checkpoint places the end of line \(read) at \(LedgerPaths.relativeSegment(checkpoint.segment)) offset \(checkpoint.offset), but it ends at offset \(lastEndOffset)"))
            return
        }
        for stub in stubs where !disposalRanges.contains(where: { $0.contains(stub) }) {
            fault(LogFault(seq: stub, segment: nil, line: nil,
                           problem: "the line was replaced by a disposal stub that no retention.disposed event covers"))
            return
        }
        if let tail {
            fault(LogFault(seq: tail.firstSeq, segment: LedgerPaths.relativeSegment(tail.segment), line: nil,
                           problem: "\(tail.bytes) bytes follow the last committed event (an interrupted write, or an addition made outside Rollbook); the next write will cut them off"))
            return
        }
        if let digest {
            if digest.label != checkpoint.label {
                fault(LogFault(seq: 1, segment: nil, line: nil,
                               problem: "the digest is for \(digest.label) but this ledger is \(checkpoint.label)"))
            } else if digest.count > read {
                fault(LogFault(seq: read + 1, segment: nil, line: nil,
                               problem: "the digest covers \(digest.count) events but the log holds only \(read) (events were removed)"))
            } else if digestHash != digest.head {
                fault(LogFault(seq: digest.count, segment: nil, line: nil,
                               problem: "line \(digest.count) does not hash to the digest's head: the log was rewritten at or before seq \(digest.count)"))
            }
        }
    }

    func result(checkpoint: Checkpoint?) -> LogScan {
        LogScan(checkpoint: checkpoint, linesRead: max(0, position - 1), head: previousHash, lastAt: previousAt,
                fault: firstFault, uncommittedTail: tail)
    }
}
