#if canImport(Glibc)
import Glibc
#endif
import RollbookDomain
import RollbookLog

/// The replay tool's cache file: a ``HistoryIndex`` laid out in pages and read memory-mapped, so that a
/// query touches only the pages it needs, each checked against its checksum before it is used.
///
/// A file is a base (lines 1 to its count) or a tail (the lines appended after a base, which it names
/// by the base's header checksum), so that a grown log is added to a small tail, not a rewritten base.
///
/// Layout (integers little-endian, 8 bytes unless said): a header of whole pages (magic, lengths, the
/// verified count, head, last time and end position, where each section starts and how many records it
/// holds, the first seq held, the base's header checksum (32 bytes, zeros for a base), the label and
/// the ledger's absolute path, the checksums of the page-checksum table's pages, and a SHA-256 of all
/// of that in its last 32 bytes); then the sections, each starting on a page:
/// segments (number, first seq), lines (hash 32 bytes, offset and length 4 bytes each), the key
/// directory (2^bits + 1 starts), keys (key, seq) sorted, ranges (from day, to day, seq), and the
/// seqs touching every session; then the page-checksum table (the first 8 bytes of the SHA-256 of each
/// data page).
struct HistoryCacheFile {
    static let pageSize = 4096
    static let magic = Array("rollbook-replay:history-index/2\n".utf8)  // 32 bytes
    static let lineRecord = 40

    /// The ledger's label when the index was built.
    let label: String
    /// The absolute path of the ledger it was built for.
    let ledgerPath: String
    /// The last verified line.
    let position: LogPosition
    /// The first line this file holds: 1, or for a tail the line after its base's last.
    let firstSeq: Int
    /// For a tail, the header checksum of the base file it extends (zeros for a base).
    let baseSum: [UInt8]
    /// This file's header checksum (what a tail names as its base).
    let headerSum: [UInt8]
    let path: String

    private let base: UnsafeRawPointer
    private let length: Int
    private let mapped: Bool
    private let headerLength: Int
    private let sumsOffset: Int
    private let sumPageChecksums: [UInt64]
    private var verifiedPages: Set<Int> = []
    private var verifiedSumPages: Set<Int> = []
    private let sections: [(offset: Int, count: Int)]
    private let keyBits: Int

    private enum Section: Int { case segments = 0, lines, directory, keys, ranges, everySession }

    // MARK: reading

    /// Maps the file at `path` and checks its header; throws ``HistoryCacheError/damaged(path:problem:)``
    /// when it is not a cache file this tool wrote or its header does not match its checksum.
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { throw HistoryCacheError.unreadable(path: path, errno: errno) }
        defer { Glibc.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw HistoryCacheError.damaged(path: path, problem: "it is not a regular file") }
        let length = Int(st.st_size)
        guard length >= HistoryCacheFile.pageSize, length % HistoryCacheFile.pageSize == 0 else {
            throw HistoryCacheError.damaged(path: path, problem: "its length is not a whole number of pages")
        }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw HistoryCacheError.unreadable(path: path, errno: errno)
        }
        do {
            try self.init(base: UnsafeRawPointer(mapped), length: length, path: path, mapped: true)
        } catch {
            munmap(mapped, length)
            throw error
        }
    }

    /// Reads a cache file's bytes held in memory (one just built, when it could not be written).
    init(bytes: [UInt8], path: String) throws {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: HistoryCacheFile.pageSize)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        do {
            try self.init(base: UnsafeRawPointer(memory), length: bytes.count, path: path, mapped: false)
        } catch {
            memory.deallocate()
            throw error
        }
    }

    private init(base: UnsafeRawPointer, length: Int, path: String, mapped: Bool) throws {
        self.base = base
        self.length = length
        self.path = path
        self.mapped = mapped
        guard length >= HistoryCacheFile.pageSize, length % HistoryCacheFile.pageSize == 0 else {
            throw HistoryCacheError.damaged(path: path, problem: "its length is not a whole number of pages")
        }
        let header = UnsafeRawBufferPointer(start: base, count: HistoryCacheFile.pageSize)
        guard header.prefix(32).elementsEqual(HistoryCacheFile.magic) else { throw HistoryCacheError.damaged(path: path, problem: "it is not a replay cache file") }
        func u(_ at: Int) -> Int { Int(truncatingIfNeeded: UInt64(littleEndian: header.loadUnaligned(fromByteOffset: at, as: UInt64.self))) }
        headerLength = u(32)
        guard headerLength >= HistoryCacheFile.pageSize, headerLength % HistoryCacheFile.pageSize == 0, headerLength <= length,
              u(40) == length else { throw HistoryCacheError.damaged(path: path, problem: "its lengths do not match the file") }
        let whole = UnsafeRawBufferPointer(start: base, count: headerLength)
        let sum = SHA256.hash(UnsafeRawBufferPointer(rebasing: whole[0..<(headerLength - 32)]))
        guard sum.bytes.elementsEqual(whole[(headerLength - 32)...]) else { throw HistoryCacheError.damaged(path: path, problem: "its header does not match its checksum") }
        func w(_ at: Int) -> Int { Int(truncatingIfNeeded: UInt64(littleEndian: whole.loadUnaligned(fromByteOffset: at, as: UInt64.self))) }
        let count = w(48)
        guard let head = SHA256Digest(hex: UnsafeRawBufferPointer(rebasing: whole[56..<120])) else {
            throw HistoryCacheError.damaged(path: path, problem: "its head is not a hash")
        }
        let lastAt: Timestamp? = w(120) == 1 ? Timestamp(milliseconds: Int64(w(128))) : nil
        position = LogPosition(seq: count, head: head, segment: w(136), offset: w(144), lastAt: lastAt)
        sections = (0..<6).map { (w(152 + 16 * $0), w(160 + 16 * $0)) }
        keyBits = w(248)
        sumsOffset = w(256)
        let sumPages = w(264)
        let labelLength = w(272), pathLength = w(280)
        firstSeq = w(288)
        baseSum = Array(whole[296..<328])
        headerSum = Array(whole[(headerLength - 32)...])
        var at = 328
        guard labelLength >= 0, pathLength >= 0, sumPages >= 0, keyBits >= 1, keyBits <= 32,
              at + labelLength + pathLength + 8 * sumPages <= headerLength - 32,
              sumsOffset >= headerLength, sumsOffset % HistoryCacheFile.pageSize == 0,
              sumsOffset + sumPages * HistoryCacheFile.pageSize == length,
              (sumsOffset - headerLength) / HistoryCacheFile.pageSize * 8 <= sumPages * HistoryCacheFile.pageSize
        else { throw HistoryCacheError.damaged(path: path, problem: "its header is inconsistent") }
        label = String(decoding: whole[at..<(at + labelLength)], as: UTF8.self)
        at += labelLength
        ledgerPath = String(decoding: whole[at..<(at + pathLength)], as: UTF8.self)
        at += pathLength
        sumPageChecksums = (0..<sumPages).map { UInt64(littleEndian: whole.loadUnaligned(fromByteOffset: at + 8 * $0, as: UInt64.self)) }
        let records = [16, HistoryCacheFile.lineRecord, 8, 16, 24, 8]
        for (index, section) in sections.enumerated() {
            let end = section.offset + section.count * records[index]
            guard section.count >= 0, section.offset >= headerLength, section.offset <= sumsOffset, end <= sumsOffset, end >= section.offset else {
                throw HistoryCacheError.damaged(path: path, problem: "a section lies outside the file")
            }
        }
        guard firstSeq >= 1, firstSeq <= count + 1, sections[Section.lines.rawValue].count == count - firstSeq + 1, sections[Section.directory.rawValue].count == (1 << keyBits) + 1 else {
            throw HistoryCacheError.damaged(path: path, problem: "its sections do not match its count")
        }
    }

    /// How many retention disposals the index holds.
    var disposals: Int { sections[Section.everySession.rawValue].count }

    /// Unmaps the file (or frees its copy in memory).
    func close() {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), length) } else { UnsafeMutableRawPointer(mutating: base).deallocate() }
    }

    /// The bytes `[offset, offset + count)`, after checking every page they lie on.
    private mutating func bytes(_ offset: Int, _ count: Int) throws -> UnsafeRawBufferPointer {
        guard count > 0 else { return UnsafeRawBufferPointer(start: base + offset, count: 0) }
        let page = HistoryCacheFile.pageSize
        for p in (offset / page)...((offset + count - 1) / page) where !verifiedPages.contains(p) {
            let dataPage = p - headerLength / page
            let entry = sumsOffset + dataPage * 8
            let sumPage = dataPage * 8 / page
            if !verifiedSumPages.contains(sumPage) {
                let table = UnsafeRawBufferPointer(start: base + sumsOffset + sumPage * page, count: page)
                guard HistoryCacheFile.checksum(table) == sumPageChecksums[sumPage] else {
                    throw HistoryCacheError.damaged(path: path, problem: "page \(sumsOffset / page + sumPage) does not match its checksum")
                }
                verifiedSumPages.insert(sumPage)
            }
            let expected = UInt64(littleEndian: (base + entry).loadUnaligned(as: UInt64.self))
            guard HistoryCacheFile.checksum(UnsafeRawBufferPointer(start: base + p * page, count: page)) == expected else {
                throw HistoryCacheError.damaged(path: path, problem: "page \(p) does not match its checksum")
            }
            verifiedPages.insert(p)
        }
        return UnsafeRawBufferPointer(start: base + offset, count: count)
    }

    private mutating func word(_ section: Section, _ index: Int, record: Int, field: Int = 0) throws -> UInt64 {
        let s = sections[section.rawValue]
        guard index >= 0, index < s.count else { throw HistoryCacheError.damaged(path: path, problem: "an index points outside its section") }
        return UInt64(littleEndian: try bytes(s.offset + index * record + field, 8).loadUnaligned(as: UInt64.self))
    }

    /// Line `seq`: its segment, the line number in it, and the line's hash, offset and length.
    mutating func line(seq: Int) throws -> (segment: Int, lineNumber: Int, line: HistoryIndex.Line) {
        let s = sections[Section.lines.rawValue]
        guard seq >= firstSeq, seq < firstSeq + s.count else { throw HistoryCacheError.damaged(path: path, problem: "it names a line it does not hold") }
        let raw = try bytes(s.offset + (seq - firstSeq) * HistoryCacheFile.lineRecord, HistoryCacheFile.lineRecord)
        guard let hash = SHA256Digest(raw: UnsafeRawBufferPointer(rebasing: raw[0..<32])) else { throw HistoryCacheError.damaged(path: path, problem: "a hash is unreadable") }
        let line = HistoryIndex.Line(hash: hash, offset: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 32, as: UInt32.self)),
                                     length: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 36, as: UInt32.self)))
        // The segment holding it: the last whose first seq is at most `seq`.
        var low = 0, high = sections[Section.segments.rawValue].count - 1
        guard high >= 0 else { throw HistoryCacheError.damaged(path: path, problem: "it lists no segment") }
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(try word(.segments, mid, record: 16, field: 8)) <= seq { low = mid } else { high = mid - 1 }
        }
        let first = Int(try word(.segments, low, record: 16, field: 8))
        guard first <= seq else { throw HistoryCacheError.damaged(path: path, problem: "its segment table is inconsistent") }
        return (Int(try word(.segments, low, record: 16)), seq - first + 1, line)
    }

    /// The seq of the first line of segment `number`, if this file holds a line of it.
    mutating func firstSeq(ofSegment number: Int) throws -> Int? {
        for i in 0..<sections[Section.segments.rawValue].count where Int(try word(.segments, i, record: 16)) == number {
            return Int(try word(.segments, i, record: 16, field: 8))
        }
        return nil
    }

    /// The seqs of every line that touches the session: its marks and amendments, the pupil's admissions
    /// and leavings, the terms and closures holding the date, and every retention disposal (sorted, unique).
    mutating func lines(touching focus: (upn: String, date: SchoolDate, session: Session)) throws -> [Int] {
        var seqs = try lines(key: HistoryIndex.key(upn: focus.upn, date: focus.date, session: focus.session))
        seqs += try lines(key: HistoryIndex.key(upn: focus.upn))
        let day = Int64(focus.date.day)
        for i in 0..<sections[Section.ranges.rawValue].count {
            let from = Int64(bitPattern: try word(.ranges, i, record: 24)), to = Int64(bitPattern: try word(.ranges, i, record: 24, field: 8))
            if from <= day && day <= to { seqs.append(Int(try word(.ranges, i, record: 24, field: 16))) }
        }
        for i in 0..<sections[Section.everySession.rawValue].count { seqs.append(Int(try word(.everySession, i, record: 8))) }
        return Array(Set(seqs)).sorted()
    }

    /// The seqs of the lines indexed under `key` (one pupil-session, one pupil's admissions and leavings,
    /// or one pupil's migrated marks; a key another shares by chance adds lines, which the fold ignores).
    mutating func lines(key: UInt64) throws -> [Int] {
        var seqs: [Int] = []
        let bucket = Int(key >> UInt64(64 - keyBits))
        let start = Int(try word(.directory, bucket, record: 8)), end = Int(try word(.directory, bucket + 1, record: 8))
        guard start <= end, end <= sections[Section.keys.rawValue].count else { throw HistoryCacheError.damaged(path: path, problem: "its key directory is inconsistent") }
        for i in start..<end where try word(.keys, i, record: 16) == key { seqs.append(Int(try word(.keys, i, record: 16, field: 8))) }
        return seqs
    }

    /// Reads the whole index back (to extend it), checking every page.
    mutating func index() throws -> HistoryIndex {
        var index = HistoryIndex(base: firstSeq - 1)
        index.position = position
        for i in 0..<sections[Section.segments.rawValue].count {
            index.segments.append((Int(try word(.segments, i, record: 16)), Int(try word(.segments, i, record: 16, field: 8))))
        }
        let s = sections[Section.lines.rawValue]
        let all = try bytes(s.offset, s.count * HistoryCacheFile.lineRecord)
        index.lines.reserveCapacity(s.count + 1024)
        for i in 0..<s.count {
            let at = i * HistoryCacheFile.lineRecord
            guard let hash = SHA256Digest(raw: UnsafeRawBufferPointer(rebasing: all[at..<(at + 32)])) else {
                throw HistoryCacheError.damaged(path: path, problem: "a hash is unreadable")
            }
            index.lines.append(HistoryIndex.Line(hash: hash, offset: UInt32(littleEndian: all.loadUnaligned(fromByteOffset: at + 32, as: UInt32.self)),
                                                 length: UInt32(littleEndian: all.loadUnaligned(fromByteOffset: at + 36, as: UInt32.self))))
        }
        let k = sections[Section.keys.rawValue]
        let keys = try bytes(k.offset, k.count * 16)
        index.keys.reserveCapacity(k.count)
        for i in 0..<k.count {
            index.keys.append((UInt64(littleEndian: keys.loadUnaligned(fromByteOffset: 16 * i, as: UInt64.self)),
                               Int(UInt64(littleEndian: keys.loadUnaligned(fromByteOffset: 16 * i + 8, as: UInt64.self)))))
        }
        for i in 0..<sections[Section.ranges.rawValue].count {
            index.ranges.append(HistoryIndex.Range(from: Int32(truncatingIfNeeded: Int64(bitPattern: try word(.ranges, i, record: 24))),
                                                   to: Int32(truncatingIfNeeded: Int64(bitPattern: try word(.ranges, i, record: 24, field: 8))),
                                                   seq: Int(try word(.ranges, i, record: 24, field: 16))))
        }
        for i in 0..<sections[Section.everySession.rawValue].count { index.everySession.append(Int(try word(.everySession, i, record: 8))) }
        return index
    }

    // MARK: writing

    /// Writes the file for `index` (sorted, with a position) through `sink` (a byte offset and the bytes
    /// to put there), a megabyte at a time, and returns the file's length: the data first, then the
    /// page checksums, then the header (which holds the checksums of the checksum pages).
    static func write(_ index: HistoryIndex, label: String, ledgerPath: String, baseSum: [UInt8] = [UInt8](repeating: 0, count: 32),
                      sink: (Int, UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let page = pageSize
        let position = index.position!
        let keyBits = max(4, min(30, (index.keys.count / 8).bitWidth - (index.keys.count / 8).leadingZeroBitCount))
        func padded(_ bytes: Int) -> Int { (bytes + page - 1) / page * page }
        let counts = [index.segments.count, index.lines.count, (1 << keyBits) + 1, index.keys.count, index.ranges.count, index.everySession.count]
        let records = [16, lineRecord, 8, 16, 24, 8]
        let sizes = zip(counts, records).map { padded($0 * $1) }
        let dataLength = sizes.reduce(0, +)
        let sumPages = max(1, padded(dataLength / page * 8) / page)
        let labelBytes = Array(label.utf8), pathBytes = Array(ledgerPath.utf8)
        let headerLength = padded(328 + labelBytes.count + pathBytes.count + 8 * sumPages + 32)
        let total = headerLength + dataLength + sumPages * page

        // The data, streamed: each full page is summed as it goes out.
        var sums: [UInt8] = []
        sums.reserveCapacity(sumPages * page)
        var chunk: [UInt8] = []
        chunk.reserveCapacity((1 << 20) + page)
        var written = 0
        func flush(all: Bool) throws {
            let n = all ? chunk.count : chunk.count / page * page
            guard n > 0 else { return }
            try chunk.withUnsafeBytes { raw in
                for p in 0..<(n / page) {
                    withUnsafeBytes(of: checksum(UnsafeRawBufferPointer(rebasing: raw[(p * page)..<((p + 1) * page)])).littleEndian) {
                        sums.append(contentsOf: $0)
                    }
                }
                try sink(headerLength + written, UnsafeRawBufferPointer(rebasing: raw[0..<n]))
            }
            written += n
            chunk.removeFirst(n)
        }
        func put(_ value: UInt64) throws {
            withUnsafeBytes(of: value.littleEndian) { chunk.append(contentsOf: $0) }
            if chunk.count >= 1 << 20 { try flush(all: false) }
        }
        func put32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { chunk.append(contentsOf: $0) } }
        func endSection() throws {
            chunk.append(contentsOf: repeatElement(0, count: (page - (written + chunk.count) % page) % page))
            try flush(all: false)
        }
        for s in index.segments { try put(UInt64(s.number)); try put(UInt64(s.firstSeq)) }
        try endSection()
        for line in index.lines {
            chunk.append(contentsOf: line.hash.bytes)
            put32(line.offset)
            put32(line.length)
            if chunk.count >= 1 << 20 { try flush(all: false) }
        }
        try endSection()
        var bucket = 0
        for (i, entry) in index.keys.enumerated() {
            let b = Int(entry.key >> UInt64(64 - keyBits))
            while bucket <= b { try put(UInt64(i)); bucket += 1 }
        }
        while bucket <= (1 << keyBits) { try put(UInt64(index.keys.count)); bucket += 1 }
        try endSection()
        for entry in index.keys { try put(entry.key); try put(UInt64(entry.seq)) }
        try endSection()
        for r in index.ranges { try put(UInt64(bitPattern: Int64(r.from))); try put(UInt64(bitPattern: Int64(r.to))); try put(UInt64(r.seq)) }
        try endSection()
        for seq in index.everySession { try put(UInt64(seq)) }
        try endSection()
        try flush(all: true)
        precondition(written == dataLength && sums.count == dataLength / page * 8)

        // The checksum pages, then the header.
        sums.append(contentsOf: repeatElement(0, count: sumPages * page - sums.count))
        var sumPageChecksums: [UInt64] = []
        try sums.withUnsafeBytes { all in
            for p in 0..<sumPages { sumPageChecksums.append(checksum(UnsafeRawBufferPointer(rebasing: all[(p * page)..<((p + 1) * page)]))) }
            try sink(headerLength + dataLength, all)
        }
        var header: [UInt8] = []
        func h(_ value: Int) { withUnsafeBytes(of: UInt64(truncatingIfNeeded: value).littleEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: magic)
        h(headerLength); h(total); h(position.seq)
        position.head.appendHex(to: &header)
        h(position.lastAt == nil ? 0 : 1); h(Int(position.lastAt?.milliseconds ?? 0))
        h(position.segment); h(position.offset)
        var start = headerLength
        for (count, size) in zip(counts, sizes) { h(start); h(count); start += size }
        h(keyBits); h(headerLength + dataLength); h(sumPages)
        h(labelBytes.count); h(pathBytes.count)
        h(index.base + 1)
        header += baseSum
        header += labelBytes + pathBytes
        for sum in sumPageChecksums { withUnsafeBytes(of: sum.littleEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: repeatElement(0, count: headerLength - 32 - header.count))
        header += header.withUnsafeBytes { SHA256.hash($0) }.bytes
        try header.withUnsafeBytes { try sink(0, $0) }
        return total
    }

    /// The file's bytes for `index`, in memory.
    static func bytes(of index: HistoryIndex, label: String, ledgerPath: String, baseSum: [UInt8] = [UInt8](repeating: 0, count: 32)) -> [UInt8] {
        var out: [UInt8] = []
        _ = try? write(index, label: label, ledgerPath: ledgerPath, baseSum: baseSum) { offset, bytes in
            if out.count < offset + bytes.count { out.append(contentsOf: repeatElement(0, count: offset + bytes.count - out.count)) }
            out.withUnsafeMutableBytes { UnsafeMutableRawBufferPointer(rebasing: $0[offset..<(offset + bytes.count)]).copyMemory(from: bytes) }
        }
        return out
    }

    /// The checksum of a page: the first 8 bytes of its SHA-256.
    static func checksum(_ page: UnsafeRawBufferPointer) -> UInt64 {
        SHA256.hash(page).bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}
