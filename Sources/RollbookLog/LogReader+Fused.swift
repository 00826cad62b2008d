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
    /// `blockBytes` is the size of the blocks it reads (the tests make it small).
    package func fusedScan(digest: LedgerDigest? = nil, blockBytes: Int = LogReader.fusedBlockBytes, exact: (borrowing LogLine) -> Bool,
                           _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        try scan(digest: digest, validateUpFront: false, fused: true, blockBytes: max(1, blockBytes), exact: exact, body)
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

/// One block of a segment for the fused reader: whole lines (and, in a segment's last block, any bytes
/// after its last newline), their ends and their hashes.
final class FusedBlock: @unchecked Sendable {
    /// The bytes; the block is `storage[0..<count]`, and `storage[count..<filled]` the start of the next line.
    var storage: UnsafeMutableRawBufferPointer
    var count = 0
    var filled = 0
    /// The file offset of the first byte, and the line number of the first line in the segment.
    var fileOffset = 0
    var firstLine = 1
    /// Whether this is the segment's last block (the bytes after its last newline are a torn line).
    var last = false
    /// The offset of each `\n`, the offset just past the last one, and each complete line's SHA-256.
    var ends: [Int] = []
    var tornStart = 0
    var hashes: [SHA256Digest] = []

    init(capacity: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit { storage.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }

    /// Makes room for at least `capacity` bytes, keeping the first `keep`.
    func reserve(_ capacity: Int, keeping keep: Int) {
        guard capacity > storage.count else { return }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        if keep > 0 { grown.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: keep) }
        storage.deallocate()
        storage = grown
    }

    /// Finds the line ends and hashes every complete line (on whichever thread calls it).
    func hash() {
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        let all = bytes
        var position = 0
        while position < all.count, let found = memchrNewline(all.baseAddress! + position, all.count - position) {
            let end = position + found
            hashes.append(SHA256.hash(UnsafeRawBufferPointer(rebasing: all[position..<end])))
            ends.append(end)
            position = end + 1
        }
        tornStart = position
    }
}

extension LogReader {
    /// The size of the fused reader's blocks: a few lines short of the 2 MiB of a core's L2 cache.
    static let fusedBlockBytes = 2 << 20

    /// Reads segment `number` for the fused reader, in blocks of whole lines: while one block is checked
    /// and folded on this thread, the next is read and its lines are hashed on another (so the hashing,
    /// about half the work, runs beside the fold on a second core). The lines reach `state` (and `body`)
    /// in order, exactly as ``scanSegment(number:buffer:fileOffset:firstLine:state:checkpoint:validateUpFront:exact:body:)``
    /// hands them over, and an uncommitted tail is measured to the end of the file as it does.
    func fusedSegment(number: Int, blockBytes: Int, state: inout ScanState, checkpoint: Checkpoint, exact: (borrowing LogLine) -> Bool,
                      body: (borrowing LogLine) throws -> Void) throws {
        let path = paths.segment(number)
        let fd = try FileSystem.openRegular(path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LogError.io(operation: "stat", path: path, errno: errno) }
        // As FileSystem.read: the bytes the file holds when opened (fewer if it ends sooner).
        let size = Int(st.st_size)
        var readSoFar = 0

        /// Fills `block` with `carry` bytes already at its start plus what follows in the file, up to a whole
        /// number of lines (growing it for a line longer than a block), or to the end of the file.
        func fill(_ block: FusedBlock, carry: Int, firstLine: Int) throws {
            block.fileOffset = readSoFar - carry
            block.firstLine = firstLine
            var filled = carry
            var searchedTo = carry
            while true {
                let want = min(block.storage.count - filled, size - readSoFar)
                var n = 0
                if want > 0 {
                    n = Glibc.read(fd, block.storage.baseAddress! + filled, want)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw LogError.io(operation: "read", path: path, errno: errno)
                    }
                }
                filled += n
                readSoFar += n
                block.filled = filled
                if n == 0 || readSoFar >= size {
                    block.count = filled
                    block.last = true
                    return
                }
                if filled == block.storage.count {
                    // A whole number of lines: up to the last newline, if the block holds one.
                    let full = UnsafeRawBufferPointer(block.storage)
                    if let last = lastNewline(full, from: searchedTo, to: filled) {
                        block.count = last + 1
                        block.last = false
                        return
                    }
                    searchedTo = filled
                    block.reserve(block.storage.count * 2, keeping: filled)
                }
            }
        }

        var blocks = (FusedBlock(capacity: blockBytes), FusedBlock(capacity: blockBytes))
        let queue = DispatchQueue(label: "rollbook.fused-hashing")
        try fill(blocks.0, carry: 0, firstLine: 1)
        var work = DispatchWorkItem { [block = blocks.0] in block.hash() }
        queue.async(execute: work)
        var cursor = PrefixCursor()
        while true {
            let block = blocks.0, following = blocks.1
            // Read the next block while this one is hashed: it starts with the bytes after this one's last line.
            if !block.last {
                let carry = block.filled - block.count
                following.reserve(max(blockBytes, carry * 2), keeping: 0)
                if carry > 0 { following.storage.baseAddress!.copyMemory(from: block.storage.baseAddress! + block.count, byteCount: carry) }
                try fill(following, carry: carry, firstLine: 0)
            }
            work.wait()
            var next: DispatchWorkItem?
            if !block.last {
                following.firstLine = block.firstLine + block.ends.count
                let item = DispatchWorkItem { [following] in following.hash() }
                queue.async(execute: item)
                next = item
            }
            defer { next?.wait() }
            let walked = try walk(block, number: number, state: &state, checkpoint: checkpoint, cursor: &cursor, exact: exact, body: body)
            if case .uncommitted(let offset) = walked {
                // As the whole-segment reader measures it: to the end of the bytes the file holds.
                var scratch = [UInt8](repeating: 0, count: 1 << 16)
                while readSoFar < size {
                    let n = scratch.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, min($0.count, size - readSoFar)) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    readSoFar += n
                }
                state.uncommitted(segment: number, offset: offset, bytes: readSoFar - offset)
                return
            }
            if state.finished || block.last { return }
            swap(&blocks.0, &blocks.1)
            work = next!
            next = nil
        }
    }

    /// How a block's walk ended.
    enum BlockEnd { case read, uncommitted(offset: Int) }

    /// Walks a hashed block's lines in order, as ``scanSegment(number:buffer:fileOffset:firstLine:state:checkpoint:validateUpFront:exact:body:)``
    /// walks a segment's (the regular ones through ``ScanState/acceptRegular(line:hash:segment:lineNumber:endOffset:cursor:exact:body:)``);
    /// returns the file offset where uncommitted bytes begin, for the caller to measure.
    func walk(_ block: FusedBlock, number: Int, state: inout ScanState, checkpoint: Checkpoint, cursor: inout PrefixCursor,
              exact: (borrowing LogLine) -> Bool, body: (borrowing LogLine) throws -> Void) throws -> BlockEnd {
        let buffer = block.bytes
        let fileOffset = block.fileOffset, firstLine = block.firstLine
        var start = 0
        for (index, end) in block.ends.enumerated() {
            if state.finished { return .read }
            if state.position > state.committedCount { return .uncommitted(offset: fileOffset + start) }
            let line = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            let hash = block.hashes[index]
            if try !state.acceptRegular(line: line, hash: hash, segment: number, lineNumber: firstLine + index,
                                        endOffset: fileOffset + end + 1, cursor: &cursor, exact: exact, body: body) {
                try state.accept(line: line, hash: hash, isJSON: nil, segment: number, lineNumber: firstLine + index,
                                 endOffset: fileOffset + end + 1, checkpoint: checkpoint, exact: exact, body: body)
            }
            start = end + 1
        }
        if block.last && block.tornStart < buffer.count && !state.finished {
            if state.position > state.committedCount { return .uncommitted(offset: fileOffset + block.tornStart) }
            state.structural(LogFault(seq: state.position, segment: LedgerPaths.relativeSegment(number), line: firstLine + block.ends.count,
                                      problem: "the line is incomplete (no newline at the end of the file): the file was truncated"))
        }
        return .read
    }
}

/// The offset of the last `\n` in `buffer[from..<to]`, if any.
@inline(__always)
func lastNewline(_ buffer: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
    var i = to
    while i > from {
        i -= 1
        if buffer[i] == 0x0A { return i }
    }
    return nil
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
import Dispatch
