import RollbookDomain
import RollbookLog
import Synchronization

/// The mark pages of a mapped index (`DIR/snapshot`, format 5 and later), read a page at a time.
///
/// Rows of 16-byte slots start on page boundaries, then the amendments follow as a sorted table of
/// 32-byte entries; each 4 KiB page has a checksum in the file's page table. A page is checked the first
/// time anything on it is read (and its slots' codes checked against the code table), so a command
/// that needs one day of every pupil touches only those pages. A page that fails is never used: its
/// slots read as empty and ``isDamaged`` turns true, and the caller then reads the log instead
/// (``LedgerReplay/loadUsingSnapshot(directory:asOf:warn:progress:)`` does this for every command).
final class MappedMarks: @unchecked Sendable {
    /// The page size of the format.
    static let pageSize = 4096
    /// Slots a page holds.
    static let slotsPerPage = pageSize / MarkStore.slotBytes
    /// Bytes of one amendment entry: key, count, time, sequence number.
    static let amendmentBytes = 32

    /// The file (kept mapped while the store lives).
    let file: MappedFile
    /// Where the pages start in the file.
    let pagesStart: Int
    /// How many pages hold slots (the amendment pages follow them).
    let slotPages: Int
    /// How many amendment entries there are.
    let amendmentCount: Int
    /// Pages in all.
    let pageCount: Int
    /// The page checksums (``pageCount`` of them, little-endian, in the file).
    let sumsStart: Int

    private struct Checks {
        var checked: [UInt64]
        var damagedPage: Int?
    }
    private let checks: Mutex<Checks>
    /// Empty slots handed out in place of a damaged row.
    private let emptySlots: UnsafeMutableBufferPointer<MarkStore.Slot>

    init(file: MappedFile, pagesStart: Int, slotPages: Int, amendmentCount: Int, sumsStart: Int, longestRow: Int) {
        self.file = file
        self.pagesStart = pagesStart
        self.slotPages = slotPages
        self.amendmentCount = amendmentCount
        pageCount = slotPages + MappedMarks.pages(bytes: amendmentCount * MappedMarks.amendmentBytes)
        self.sumsStart = sumsStart
        checks = Mutex(Checks(checked: [UInt64](repeating: 0, count: (pageCount + 63) / 64), damagedPage: nil))
        emptySlots = .allocate(capacity: max(1, longestRow))
        emptySlots.initialize(repeating: .empty)
    }

    deinit { emptySlots.deallocate() }

    /// Pages needed for `bytes`.
    static func pages(bytes: Int) -> Int { (bytes + pageSize - 1) / pageSize }

    /// Whether a page failed its check.
    var isDamaged: Bool { checks.withLock { $0.damagedPage != nil } }

    /// The first page that failed its check, if any.
    var damagedPage: Int? { checks.withLock { $0.damagedPage } }

    /// The checksum recorded for page `page`.
    func recordedSum(_ page: Int) -> UInt64 {
        UInt64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: sumsStart + page * 8, as: UInt64.self))
    }

    /// The bytes of page `page`.
    func page(_ page: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[(pagesStart + page * MappedMarks.pageSize)..<(pagesStart + (page + 1) * MappedMarks.pageSize)])
    }

    /// Checks pages `first..<first + count` (those not checked yet); false if any fails.
    func check(_ first: Int, count: Int) -> Bool {
        checks.withLock { state in
            var good = true
            for page in first..<(first + count) {
                let word = page >> 6, bit = UInt64(1) << UInt64(page & 63)
                if state.checked[word] & bit != 0 { continue }
                if verify(page) {
                    state.checked[word] |= bit
                } else {
                    if state.damagedPage == nil { state.damagedPage = page }
                    good = false
                }
            }
            return good
        }
    }

    /// Whether a page matches its checksum and, for a slot page, every slot holds a known code.
    private func verify(_ page: Int) -> Bool {
        let bytes = self.page(page)
        guard MappedMarks.checksum(bytes) == recordedSum(page) else { return false }
        guard page < slotPages else { return true }
        let codes = UInt8(AttendanceCode.all.count)
        for i in 0..<MappedMarks.slotsPerPage {
            let code = bytes[i * MarkStore.slotBytes + 14]
            if code >= codes && code != MarkStore.Slot.emptyCode { return false }
        }
        return true
    }

    /// A mapped row's slots, after checking its pages (empty slots when one is damaged).
    func slots(page: Int, count: Int) -> UnsafeBufferPointer<MarkStore.Slot> {
        guard count > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        guard check(page, count: MappedMarks.pages(bytes: count * MarkStore.slotBytes)) else {
            return UnsafeBufferPointer(rebasing: emptySlots[0..<min(count, emptySlots.count)])
        }
        let start = file.bytes.baseAddress! + pagesStart + page * MappedMarks.pageSize
        return UnsafeBufferPointer(start: start.assumingMemoryBound(to: MarkStore.Slot.self), count: count)
    }

    /// One slot of a mapped row (checking only the page it is on).
    @inline(__always)
    func slot(page: Int, offset: Int) -> MarkStore.Slot {
        let at = page + offset / MappedMarks.slotsPerPage
        guard check(at, count: 1) else { return .empty }
        let start = file.bytes.baseAddress! + pagesStart + page * MappedMarks.pageSize
        return start.assumingMemoryBound(to: MarkStore.Slot.self)[offset]
    }

    /// The amendment entry `i` (in key order): key, count, time and sequence number.
    private func amendmentEntry(_ i: Int) -> (key: UInt64, amendment: MarkStore.Amendment)? {
        let byte = i * MappedMarks.amendmentBytes
        let page = slotPages + byte / MappedMarks.pageSize
        guard check(page, count: 1) else { return nil }
        let at = pagesStart + slotPages * MappedMarks.pageSize + byte
        func word(_ n: Int) -> UInt64 { UInt64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: at + n * 8, as: UInt64.self)) }
        return (word(0), MarkStore.Amendment(count: Int(Int64(bitPattern: word(1))), at: Timestamp(milliseconds: Int64(bitPattern: word(2))),
                                             seq: Int(Int64(bitPattern: word(3)))))
    }

    /// The amendment recorded for `key`, found by binary search of the sorted table.
    func amendment(_ key: MarkKey) -> MarkStore.Amendment? {
        var low = 0, high = amendmentCount
        while low < high {
            let mid = (low + high) / 2
            guard let entry = amendmentEntry(mid) else { return nil }
            if entry.key == key.raw { return entry.amendment }
            if entry.key < key.raw { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// Calls `body` with every amendment in key order (skipping those on damaged pages).
    func forEachAmendment(_ body: (MarkKey, MarkStore.Amendment) -> Void) {
        for i in 0..<amendmentCount {
            if let entry = amendmentEntry(i) { body(MarkKey(raw: entry.key), entry.amendment) }
        }
    }

    /// A 64-bit checksum of a page: four interleaved multiply–xorshift lanes over 8-byte words, fast
    /// enough to check every page of a 6-year index in milliseconds. It catches damage and torn writes;
    /// it is not a defence against deliberate changes (the index is a cache, never trusted over the log).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x0000_0100_0000_01B3
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x9E37_79B9_7F4A_7C15
        var c: UInt64 = 0xC2B2_AE3D_27D4_EB4F, d: UInt64 = 0x1656_67B1_9E37_79F9
        let words = bytes.count / 8
        var i = 0
        while i + 4 <= words {
            a = (a ^ bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* prime; a ^= a >> 29
            b = (b ^ bytes.loadUnaligned(fromByteOffset: i * 8 + 8, as: UInt64.self)) &* prime; b ^= b >> 29
            c = (c ^ bytes.loadUnaligned(fromByteOffset: i * 8 + 16, as: UInt64.self)) &* prime; c ^= c >> 29
            d = (d ^ bytes.loadUnaligned(fromByteOffset: i * 8 + 24, as: UInt64.self)) &* prime; d ^= d >> 29
            i += 4
        }
        while i < words {
            a = (a ^ bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* prime; a ^= a >> 29
            i += 1
        }
        for j in (words * 8)..<bytes.count { b = (b ^ UInt64(bytes[j])) &* prime }
        var h = a ^ (b &* 0x9E37_79B9_7F4A_7C15) ^ (c &* 0xC2B2_AE3D_27D4_EB4F) ^ (d &* 0x1656_67B1_9E37_79F9)
        h ^= h >> 31
        return h ^ UInt64(bytes.count)
    }
}
