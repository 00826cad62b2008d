/// The fused reader: one pass that hashes, checks and hands over each line with as little work per line
/// as the writer's own layout allows.
///
/// It checks exactly what ``LogReader/scan(digest:exact:_:)`` checks, and a faulty log gets the same
/// fault (the same first bad sequence, segment, line and sentence): a line whose opening members are
/// exactly the writer's (`{"seq":N,"at":"…","prev":"…"` with `N` the next sequence number, a real time
/// no earlier than the previous line's and `prev` the previous line's hash in lowercase hex) is checked
/// by ``ScanState/acceptRegular(line:hash:segment:lineNumber:endOffset:cursor:exact:body:)`` with byte
/// comparisons; every other line (a stub, a clock correction, any fault, any line after a broken link)
/// goes through ``ScanState/accept(line:hash:isJSON:segment:lineNumber:endOffset:checkpoint:exact:body:)``
/// exactly as in the reference reader. The tests hold the two readers to the same verdicts.
extension LogReader {
    /// ``scan(digest:exact:_:)`` through the fused reader: the same lines handed over, the same result.
    package func fusedScan(digest: LedgerDigest? = nil, exact: (borrowing LogLine) -> Bool,
                           _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        try scan(digest: digest, validateUpFront: false, fused: true, exact: exact, body)
    }

    /// ``verify(digest:_:)`` through the fused reader, with an exact decoder as ``fusedScan(digest:exact:_:)``
    /// takes one: the same verdict, including the consistency proof against a digest with a tree root.
    package func fusedVerify(digest: LedgerDigest?, exact: (borrowing LogLine) -> Bool,
                             _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        guard let digest, digest.root != nil else { return try fusedScan(digest: digest, exact: exact, body) }
        var leaves: [SHA256Digest] = []
        var scan = try fusedScan(digest: digest, exact: exact) { line in
            leaves.append(line.hash)
            try body(line)
        }
        guard scan.fault == nil, let checkpoint = scan.checkpoint, leaves.count == checkpoint.count, !leaves.isEmpty else { return scan }
        let logTree = LogTree(scan: scan, checkpoint: checkpoint, tree: MerkleTree(leafDigests: consume leaves))
        if case .failure(let fault) = logTree.consistency(from: digest) { scan.fault = fault }
        return scan
    }
}

/// What the fused reader remembers between lines to check the next line's opening members by comparing
/// bytes: the last `at` it parsed (most lines of a write share it) and the hex of the last chain hash.
struct PrefixCursor {
    private var atBytes: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var atValue: Timestamp?
    private var hexOf: SHA256Digest?
    private var hex: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    private static let seqKey = word(#"{"seq":"#)
    private static let atKey = word(#","at":""#)
    private static let prevKey = word(#"","prev""#)
    private static let prevKeyTail = word(#":""#)
    /// `{"seq":` + 1 digit + `,"at":"` + 24 + `","prev":"` + 64 + `"` + at least one more byte.
    private static let shortest = 7 + 1 + 7 + 24 + 10 + 64 + 1 + 1

    /// The little-endian word of up to eight ASCII bytes, and the mask of those bytes.
    private static func word(_ text: String) -> (value: UInt64, mask: UInt64) {
        var value: UInt64 = 0
        for (k, byte) in text.utf8.enumerated() { value |= UInt64(byte) << (8 * UInt64(k)) }
        let count = UInt64(text.utf8.count)
        return (value, count == 8 ? UInt64.max : (1 << (8 * count)) - 1)
    }

    @inline(__always)
    private static func load(_ line: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: line.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func matches(_ line: UnsafeRawBufferPointer, _ offset: Int, _ key: (value: UInt64, mask: UInt64)) -> Bool {
        load(line, offset) & key.mask == key.value
    }

    /// The line's time when it opens exactly `{"seq":<seq>,"at":"<a real time>","prev":"<hex of previousHash>"`
    /// followed by at least one more byte (as ``LinePrefix`` reads a line that is not a stub); else nil.
    @inline(__always)
    mutating func regularTime(_ line: UnsafeRawBufferPointer, seq: Int, previousHash: SHA256Digest) -> Timestamp? {
        // Loads of eight bytes never reach past the line: the shortest line checked is longer than the last load's end.
        guard line.count >= PrefixCursor.shortest, PrefixCursor.matches(line, 0, PrefixCursor.seqKey) else { return nil }
        // The sequence number: no leading zero, at most 18 digits (as LinePrefix reads it), equal to `seq`.
        var i = 7
        var value = 0
        guard line[i] >= 0x31, line[i] <= 0x39 else { return nil }
        while i < 25, line[i] >= 0x30, line[i] <= 0x39 {
            value = value &* 10 &+ Int(line[i] &- 0x30)
            i += 1
        }
        guard value == seq, line.count >= i + PrefixCursor.shortest - 8, PrefixCursor.matches(line, i, PrefixCursor.atKey) else { return nil }
        i += 7
        let at: Timestamp
        let a = (PrefixCursor.load(line, i), PrefixCursor.load(line, i + 8), PrefixCursor.load(line, i + 16))
        if let atValue, a == atBytes {
            at = atValue
        } else {
            guard let parsed = Timestamp(logBytes: UnsafeRawBufferPointer(rebasing: line[i..<(i + 24)])) else { return nil }
            at = parsed
            atBytes = a
            atValue = parsed
        }
        i += 24
        guard PrefixCursor.matches(line, i, PrefixCursor.prevKey), PrefixCursor.matches(line, i + 8, PrefixCursor.prevKeyTail) else { return nil }
        i += 10
        if hexOf != previousHash {
            withUnsafeMutableBytes(of: &hex) { previousHash.writeHex(to: $0) }
            hexOf = previousHash
        }
        let same = withUnsafeBytes(of: &hex) { expected in
            memcmp(expected.baseAddress!, line.baseAddress! + i, 64) == 0
        }
        guard same, line[i + 64] == 0x22 else { return nil }
        return at
    }
}

extension ScanState {
    /// Takes the next line when it is in the writer's regular form and nothing is pending: the sequence
    /// is the next one, `prev` links to the previous line, `at` is a real time no earlier than the
    /// previous line's. Then it does exactly what ``accept(line:hash:isJSON:segment:lineNumber:endOffset:checkpoint:exact:body:)``
    /// does with such a line and returns true; otherwise it changes nothing and returns false (the caller
    /// then calls `accept`).
    @inline(__always)
    mutating func acceptRegular(line: UnsafeRawBufferPointer, hash computed: SHA256Digest, segment: Int, lineNumber: Int,
                                endOffset: Int, cursor: inout PrefixCursor, exact: (borrowing LogLine) -> Bool,
                                body: (borrowing LogLine) throws -> Void) throws -> Bool {
        guard pendingBrokenLink == nil, pendingTimeFault == nil,
              let at = cursor.regularTime(line, seq: position, previousHash: previousHash) else { return false }
        if let previousAt, at < previousAt { return false }
        let seq = position
        previousAt = at
        if !stubs.isEmpty, let ranges = LinePrefix.disposalRanges(line) { disposalRanges.append(contentsOf: ranges) }
        let logLine = LogLine(seq: seq, at: at, bytes: line, hash: computed, segment: segment, lineNumber: lineNumber)
        if exact(logLine) {
            assert(LogReader.isStrictObject(line), "seq \(seq): the exact decoder accepted a line that is not one strict JSON object")
        } else if !LogReader.isStrictObject(line) {
            fault(LogFault(seq: seq, segment: LedgerPaths.relativeSegment(segment), line: lineNumber,
                           problem: "the line is not one valid JSON object (strict JSON in UTF-8, no repeated member)"))
            return true
        }
        try body(logLine)
        if let digest, digest.count == seq { digestHash = computed }
        previousHash = computed
        position += 1
        lastSegment = segment
        lastLineNumber = lineNumber
        lastEndOffset = endOffset
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
