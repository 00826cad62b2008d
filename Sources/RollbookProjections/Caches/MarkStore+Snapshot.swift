import RollbookDomain
import RollbookLog

/// The mark store in the mapped index (`DIR/snapshot`): the row directory and side tables in the
/// file's prefix, each row's slots on pages of their own, then the amendments as a sorted table (see
/// ``LedgerSnapshot`` for the file and ``MappedMarks`` for reading it).
extension MarkStore {
    /// Where a new index puts each row and the amendments.
    struct PageLayout {
        /// Each row's first page, -1 for an empty row.
        var rowPages: [Int32] = []
        /// Pages holding slots.
        var slotPages = 0
        /// Every standing amendment, in key order.
        var amendments: [(key: MarkKey, amendment: Amendment)] = []
        /// Pages in all (slots, then amendments).
        var pageCount: Int { slotPages + MappedMarks.pages(bytes: amendments.count * MappedMarks.amendmentBytes) }
    }

    /// Whether slots lie in memory exactly as the index stores them (little-endian, 16 bytes, fields in
    /// order), so that rows can be read from a mapping and written as they lie.
    static let slotLayoutMatches: Bool = {
        #if _endian(little)
        return MemoryLayout<Slot>.size == slotBytes && MemoryLayout<Slot>.stride == slotBytes
            && MemoryLayout<Slot>.offset(of: \Slot.seq) == 8 && MemoryLayout<Slot>.offset(of: \Slot.minutes) == 12
            && MemoryLayout<Slot>.offset(of: \Slot.code) == 14 && MemoryLayout<Slot>.offset(of: \Slot.amended) == 15
        #else
        return false
        #endif
    }()

    /// The layout of the pages a new index of this store holds.
    func pageLayout() -> PageLayout {
        var layout = PageLayout()
        layout.rowPages.reserveCapacity(rows.count)
        for row in rows {
            let n = row.slotCount
            if n == 0 {
                layout.rowPages.append(-1)
            } else {
                layout.rowPages.append(Int32(layout.slotPages))
                layout.slotPages += MappedMarks.pages(bytes: n * MarkStore.slotBytes)
            }
        }
        var list: [(key: MarkKey, amendment: Amendment)] = []
        list.reserveCapacity(amendments.count + (base?.amendmentCount ?? 0))
        base?.forEachAmendment { key, amendment in
            if amendments[key] == nil && !droppedAmendments.contains(key) { list.append((key, amendment)) }
        }
        for (key, amendment) in amendments { list.append((key, amendment)) }
        list.sort { $0.key < $1.key }
        layout.amendments = list
        return layout
    }

    /// The row directory and side tables, for the index's prefix.
    func encodeDirectory(into e: inout SnapshotEncoder, layout: PageLayout) {
        e.int(count)
        e.int(rows.count)
        for (i, row) in rows.enumerated() {
            e.int32(row.firstDay)
            e.int(row.slotCount)
            e.int32(layout.rowPages[i])
        }
        e.int(layout.amendments.count)
        e.int(wideMinutes.count)
        for (key, minutes) in wideMinutes.sorted(by: { $0.key < $1.key }) {
            e.uint64(key.raw)
            e.int(minutes)
        }
    }

    /// Appends the pages of `layout` to `bytes` (which must end on a page boundary) and their checksums
    /// to `sums`. A row still in the mapped index is copied page by page with its recorded checksums, so
    /// a damaged page stays detectable in the new file.
    func appendPages(to bytes: inout [UInt8], sums: inout [UInt64], layout: PageLayout) {
        let pageSize = MappedMarks.pageSize
        func pad() {
            let rest = bytes.count % pageSize
            if rest != 0 { bytes.append(contentsOf: repeatElement(0, count: pageSize - rest)) }
        }
        func sumNewPages(from start: Int) {
            bytes.withUnsafeBytes { all in
                var page = start
                while page < all.count {
                    sums.append(MappedMarks.checksum(UnsafeRawBufferPointer(rebasing: all[page..<(page + pageSize)])))
                    page += pageSize
                }
            }
        }
        for row in rows where row.slotCount > 0 {
            let pages = MappedMarks.pages(bytes: row.slotCount * MarkStore.slotBytes)
            if row.isMapped, let base {
                let from = base.pagesStart + Int(row.page) * pageSize
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: base.file.bytes[from..<(from + pages * pageSize)]))
                for p in 0..<pages { sums.append(base.recordedSum(Int(row.page) + p)) }
            } else {
                let start = bytes.count
                MarkStore.encode(row.slots, into: &bytes)
                pad()
                sumNewPages(from: start)
            }
        }
        let start = bytes.count
        for (key, a) in layout.amendments {
            for word in [key.raw, UInt64(bitPattern: Int64(a.count)), UInt64(bitPattern: a.at.milliseconds), UInt64(bitPattern: Int64(a.seq))] {
                withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        pad()
        sumNewPages(from: start)
    }

    /// Reads the row directory from the prefix; the rows stay in `file`'s pages (or, where slots do not
    /// lie in memory as stored, are copied out of them).
    init(decoding d: inout SnapshotDecoder, file: MappedFile, pagesStart: Int, slotPages: Int, pageCount: Int,
         sumsStart: Int) throws(SnapshotDecodingError) {
        self.init()
        count = try d.int()
        guard count >= 0 else { throw SnapshotDecodingError("the mark count is negative") }
        let rowCount = try d.count()
        rows.reserveCapacity(rowCount)
        var longest = 0
        for _ in 0..<rowCount {
            let firstDay = try d.fixed(Int32.self)
            let slotCount = try d.int()
            let page = try d.fixed(Int32.self)
            guard slotCount >= 0, slotCount % 2 == 0, slotCount <= slotPages * MappedMarks.slotsPerPage else {
                throw SnapshotDecodingError("a mark row has an impossible number of slots")
            }
            if slotCount == 0 {
                rows.append(Row(firstDay: firstDay))
                continue
            }
            guard page >= 0, Int(page) + MappedMarks.pages(bytes: slotCount * MarkStore.slotBytes) <= slotPages else {
                throw SnapshotDecodingError("a mark row lies outside the slot pages")
            }
            longest = max(longest, slotCount)
            rows.append(Row(firstDay: firstDay, page: page, mappedCount: Int32(slotCount)))
        }
        let amendmentCount = try d.int()
        guard amendmentCount >= 0, slotPages + MappedMarks.pages(bytes: amendmentCount * MappedMarks.amendmentBytes) == pageCount else {
            throw SnapshotDecodingError("the amendment table does not fill the pages after the rows")
        }
        for _ in 0..<(try d.count()) {
            wideMinutes[MarkKey(raw: try d.fixed(UInt64.self))] = try d.int()
        }
        let mapped = MappedMarks(file: file, pagesStart: pagesStart, slotPages: slotPages, amendmentCount: amendmentCount,
                                 sumsStart: sumsStart, longestRow: longest)
        base = mapped
        guard !MarkStore.slotLayoutMatches else { return }
        // A machine whose slots do not lie as stored: copy every row out, field by field.
        for pupil in rows.indices where rows[pupil].isMapped {
            let row = rows[pupil]
            var slots = [Slot]()
            slots.reserveCapacity(Int(row.mappedCount))
            let pages = MappedMarks.pages(bytes: Int(row.mappedCount) * MarkStore.slotBytes)
            _ = mapped.check(Int(row.page), count: pages)
            for i in 0..<Int(row.mappedCount) {
                let at = pagesStart + Int(row.page) * MappedMarks.pageSize + i * MarkStore.slotBytes
                func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
                    T(littleEndian: file.bytes.loadUnaligned(fromByteOffset: at + offset, as: T.self))
                }
                slots.append(Slot(recordedAt: load(0, Int64.self), seq: load(8, UInt32.self), minutes: load(12, UInt16.self),
                                  code: file.bytes[at + 14], amended: file.bytes[at + 15]))
            }
            rows[pupil] = Row(firstDay: row.firstDay, slots: slots)
        }
    }

    /// The bytes of one slot: recordedAt (8), seq (4), minutes (2), code (1), amended (1), little-endian.
    static let slotBytes = 16

    /// Appends the slots' bytes (copied as they lie in memory where ``slotLayoutMatches``, field by field
    /// elsewhere).
    static func encode(_ slots: [Slot], into bytes: inout [UInt8]) {
        if slotLayoutMatches {
            slots.withUnsafeBytes { bytes.append(contentsOf: $0) }
            return
        }
        for slot in slots {
            withUnsafeBytes(of: slot.recordedAt.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: slot.seq.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: slot.minutes.littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(slot.code)
            bytes.append(slot.amended)
        }
    }

    /// Whether two stores hold the same marks (with the same amendments), however their rows are laid out.
    public static func == (a: MarkStore, b: MarkStore) -> Bool {
        guard a.count == b.count else { return false }
        var left: [(MarkKey, MarkEntry)] = []
        left.reserveCapacity(a.count)
        a.forEach { left.append(($0, $1)) }
        var i = 0
        var same = true
        b.forEach { key, entry in
            guard same else { return }
            if i >= left.count || left[i].0 != key || left[i].1 != entry { same = false }
            i += 1
        }
        return same && i == left.count
    }
}

extension MarkStore: Equatable {}
