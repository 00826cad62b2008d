import RollbookDomain
import RollbookLog

/// A snapshot of ``LedgerState`` after line ``position`` of a ledger's log, laid out as a page index:
/// a cache the writer keeps in `DIR/snapshot` so that commands read only what they need
/// (`events/FORMAT.md`, "The snapshot").
///
/// The log stays the single source of truth: a reader uses the index only when its format version and
/// label match and the log still holds the line it records (``LogReader/lineMatches(_:)``), and reads the
/// whole log otherwise. The file is written by hand and read through a read-only mapping:
///
/// - a fixed header: the magic line, the format version, and where the prefix, pages and page
///   checksums lie;
/// - the prefix: the label, the position, and the state but the marks' slots (the school, calendar,
///   pupils, each pupil's row directory, interventions …), with a 64-bit checksum;
/// - 4 KiB pages: each pupil's row of 16-byte slots from a page boundary, then the amendments as a
///   sorted table;
/// - a checksum for every page, and a checksum of that table.
///
/// Opening checks the header, the prefix and the page table; a page is checked the first time it is read
/// (``MappedMarks``), so a one-day register reads one page per pupil and a single mark one page.
public struct LedgerSnapshot: Sendable {
    /// The version of the fold and of this encoding: bump it whenever ``LedgerState/apply(_:)`` or the
    /// encoding changes, so that snapshots written by an older build are ignored.
    public static let formatVersion: UInt32 = 7
    static let magic = Array("ROLLBOOK-SNAPSHOT\n".utf8)
    /// Bytes of the fixed header: magic, version, then five 64-bit places.
    static let headerBytes = magic.count + 4 + 5 * 8

    /// The ledger's label (`rollbook/<URN>`).
    public var label: String
    /// The last line the state covers.
    public var position: LogPosition
    /// The state after folding every line up to ``position`` (as of no moment: all of them).
    public var state: LedgerState

    /// Creates a snapshot.
    public init(label: String, position: LogPosition, state: LedgerState) {
        self.label = label
        self.position = position
        self.state = state
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        let layout = state.markStore.pageLayout()
        var e = SnapshotEncoder(capacity: 1 << 20)
        e.bytes.append(contentsOf: LedgerSnapshot.magic)
        e.uint32(LedgerSnapshot.formatVersion)
        e.bytes.append(contentsOf: repeatElement(0, count: 5 * 8))  // the places, filled in below
        e.string(label)
        e.int(position.seq)
        e.digest(position.head)
        e.int(position.segment)
        e.int(position.offset)
        e.optional(position.lastAt) { $0.timestamp($1) }
        state.encode(into: &e, marks: layout)
        let prefixLength = e.bytes.count
        let pageSize = MappedMarks.pageSize
        let pagesStart = (prefixLength + 8 + pageSize - 1) / pageSize * pageSize
        let sumsStart = pagesStart + layout.pageCount * pageSize
        var places = [UInt64(prefixLength), UInt64(pagesStart), UInt64(layout.slotPages), UInt64(layout.pageCount), UInt64(sumsStart)]
        for (i, value) in places.enumerated() {
            withUnsafeBytes(of: value.littleEndian) { raw in
                for (j, byte) in raw.enumerated() { e.bytes[LedgerSnapshot.magic.count + 4 + i * 8 + j] = byte }
            }
        }
        places.removeAll()
        var bytes = e.bytes
        bytes.reserveCapacity(sumsStart + layout.pageCount * 8 + 8)
        let prefixSum = LedgerSnapshot.checksum(bytes[...])
        withUnsafeBytes(of: prefixSum.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: repeatElement(0, count: pagesStart - bytes.count))
        var sums: [UInt64] = []
        sums.reserveCapacity(layout.pageCount)
        state.markStore.appendPages(to: &bytes, sums: &sums, layout: layout)
        precondition(bytes.count == sumsStart && sums.count == layout.pageCount, "the pages fill the layout")
        for sum in sums { withUnsafeBytes(of: sum.littleEndian) { bytes.append(contentsOf: $0) } }
        let tableSum = LedgerSnapshot.checksum(bytes[sumsStart...])
        withUnsafeBytes(of: tableSum.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Reads a snapshot from bytes in memory (see ``init(file:)``).
    public init(bytes: [UInt8]) throws(SnapshotDecodingError) {
        try self.init(file: MappedFile(copying: bytes, path: "snapshot"))
    }

    /// Reads a mapped snapshot file: checks the header, the prefix's checksum, the page table's checksum
    /// and the layout, and decodes the prefix; the mark pages are checked as they are read. Throws on a
    /// wrong magic, version or checksum, or any malformed part.
    public init(file: MappedFile) throws(SnapshotDecodingError) {
        let all = file.bytes
        let magic = LedgerSnapshot.magic
        guard all.count >= LedgerSnapshot.headerBytes + 8, all.starts(with: magic) else {
            throw SnapshotDecodingError("it does not start with the snapshot magic line")
        }
        let version = UInt32(littleEndian: all.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self))
        guard version == LedgerSnapshot.formatVersion else {
            throw SnapshotDecodingError("it has format version \(version), not \(LedgerSnapshot.formatVersion)")
        }
        func place(_ i: Int) -> Int {
            Int(truncatingIfNeeded: UInt64(littleEndian: all.loadUnaligned(fromByteOffset: magic.count + 4 + i * 8, as: UInt64.self)))
        }
        let prefixLength = place(0), pagesStart = place(1), slotPages = place(2), pageCount = place(3), sumsStart = place(4)
        let pageSize = MappedMarks.pageSize
        guard prefixLength >= LedgerSnapshot.headerBytes, prefixLength <= all.count - 8,
              pageCount >= 0, pageCount <= all.count / pageSize, slotPages >= 0, slotPages <= pageCount,
              pagesStart >= prefixLength + 8, pagesStart % pageSize == 0,
              sumsStart == pagesStart + pageCount * pageSize, all.count == sumsStart + pageCount * 8 + 8 else {
            throw SnapshotDecodingError("its layout does not fit its size (the file is truncated or damaged)")
        }
        let prefix = [UInt8](UnsafeRawBufferPointer(rebasing: all[0..<prefixLength]))
        let prefixSum = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: prefixLength, as: UInt64.self))
        let tableSum = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: all.count - 8, as: UInt64.self))
        guard prefixSum == LedgerSnapshot.checksum(prefix[...]),
              tableSum == LedgerSnapshot.checksum(UnsafeRawBufferPointer(rebasing: all[sumsStart..<(all.count - 8)])) else {
            throw SnapshotDecodingError("the checksum does not match (the file is truncated or damaged)")
        }
        var d = SnapshotDecoder(prefix, from: LedgerSnapshot.headerBytes, end: prefixLength)
        label = try d.string()
        position = LogPosition(seq: try d.int(), head: try d.digest(), segment: try d.int(), offset: try d.int(),
                               lastAt: try d.optional { d throws(SnapshotDecodingError) in try d.timestamp() })
        state = try LedgerState(decoding: &d) { d throws(SnapshotDecodingError) in
            try MarkStore(decoding: &d, file: file, pagesStart: pagesStart, slotPages: slotPages, pageCount: pageCount,
                          sumsStart: sumsStart)
        }
        guard d.atEnd else { throw SnapshotDecodingError("bytes follow the state") }
    }

    /// Checks every page of the mark store against its checksum (``MappedMarks``); true when all pass
    /// (or the store holds no mapped pages).
    public func checkAllPages() -> Bool {
        guard let base = state.markStore.base else { return true }
        return base.check(0, count: base.pageCount)
    }

    /// A fast 64-bit checksum (FNV-1a over 8-byte words) that catches truncation and damage; it is not
    /// a defence against deliberate changes (the file is a cache, never trusted over the log).
    package static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// ``checksum(_:)-(ArraySlice<UInt8>)`` of raw bytes.
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01B3
        let words = raw.count / 8
        for i in 0..<words {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* prime
            h ^= h >> 29
        }
        for i in (words * 8)..<raw.count { h = (h ^ UInt64(raw[i])) &* prime }
        return h ^ UInt64(raw.count)
    }
}
