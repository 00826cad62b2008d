import RollbookDomain
import RollbookLog

/// Every mark as it now stands, held compactly: per pupil, one 16-byte slot per calendar-day session.
///
/// A pupil's slots cover the days from their earliest to their latest mark (weekends and holidays
/// included, so a slot's place is plain arithmetic on the day number): a school year of 380 marked
/// sessions takes 365 × 2 slots, about 31 bytes a mark. Rows grow geometrically while a log is read;
/// ``compact()`` trims them to their marks afterwards. Amendments are rare (a few percent), so
/// when and by which event a mark was last amended is kept in a side table; the slot holds only the
/// count. Read marks through ``LedgerState/mark(pupil:date:session:)``.
public struct MarkStore: Sendable {
    /// One session's mark: 16 bytes.
    struct Slot: Sendable {
        /// When the mark was first entered, in milliseconds (see ``MarkEntry/recordedAt``).
        var recordedAt: Int64
        /// The recording event's sequence number (truncated to 32 bits; ledgers stay far below).
        var seq: UInt32
        /// Minutes late, `UInt16.max` for none, or `Slot.wide` when the value is in ``MarkStore/wideMinutes``.
        var minutes: UInt16
        /// The code's table index, or `Slot.emptyCode` for an unmarked session.
        var code: UInt8
        /// How many times the mark was amended (saturating; the side table holds the exact count).
        var amended: UInt8

        static let emptyCode: UInt8 = 0xFF
        static let wide: UInt16 = 0xFFFE
        static let empty = Slot(recordedAt: 0, seq: 0, minutes: UInt16.max, code: emptyCode, amended: 0)
    }

    /// One pupil's slots: slot `(day - firstDay) * 2 + session`. A row read from the mapped index
    /// (``MappedMarks``) stays there (``page`` ≥ 0) until it is first changed, when it is copied out.
    struct Row: Sendable {
        var firstDay: Int32 = 0
        var slots: [Slot] = []
        /// The row's first page in the mapped index, or -1 when the row is held in ``slots``.
        var page: Int32 = -1
        /// The row's slot count in the mapped index.
        var mappedCount: Int32 = 0

        var isMapped: Bool { page >= 0 }
        var slotCount: Int { page >= 0 ? Int(mappedCount) : slots.count }
    }

    /// The last amendment of an amended mark.
    struct Amendment: Sendable, Equatable {
        var count: Int
        var at: Timestamp
        var seq: Int
    }

    var rows: [Row] = []
    /// Amendments made since the mapped index was written (all of them when there is none).
    var amendments: [MarkKey: Amendment] = [:]
    /// Amendments in the mapped index that no longer stand (the mark was recorded again).
    var droppedAmendments: Set<MarkKey> = []
    /// Minutes late that do not fit below `Slot.wide` (never from Rollbook's own validation, which allows 0–600).
    var wideMinutes: [MarkKey: Int] = [:]
    /// The mapped index the unchanged rows and amendments are read from, when the store was loaded from one.
    var base: MappedMarks?
    /// How many sessions have a mark.
    public internal(set) var count = 0

    /// Creates an empty store.
    public init() {}

    /// Whether a page of the mapped index was found damaged while the store was read: anything read
    /// from it may be wrong, so the caller reads the log instead (see ``LedgerReplay``).
    public var isDamaged: Bool { base?.isDamaged ?? false }

    /// The first page of the mapped index found damaged, if any.
    public var damagedPage: Int? { base?.damagedPage }

    /// The first page of a pupil's row in the mapped index, when it is read from one (for tests).
    package func pageOfRow(_ pupil: Int) -> Int? {
        guard pupil >= 0, pupil < rows.count, rows[pupil].isMapped else { return nil }
        return Int(rows[pupil].page)
    }

    /// Where the mapped index's pages start in its file (for tests).
    package var pagesStart: Int? { base?.pagesStart }

    /// Checks every page of the mapped index now (for work that reads every mark); false when one is damaged.
    public func checkAllPages() -> Bool {
        guard let base else { return true }
        return base.check(0, count: base.pageCount)
    }

    /// The mark standing for a pupil's session, if one was recorded.
    @inline(__always)
    public func entry(pupil: Int, date: SchoolDate, session: Session) -> MarkEntry? {
        guard pupil >= 0, pupil < rows.count else { return nil }
        let row = rows[pupil]
        let offset = (Int(date.day) - Int(row.firstDay)) * 2 + Int(session.rawValue)
        guard offset >= 0, offset < row.slotCount else { return nil }
        let slot = row.isMapped ? base!.slot(page: Int(row.page), offset: offset) : row.slots[offset]
        guard slot.code != Slot.emptyCode else { return nil }
        return entry(slot, key: MarkKey(pupil: pupil, date: date, session: session))
    }

    @inline(__always)
    private func entry(_ slot: Slot, key: @autoclosure () -> MarkKey) -> MarkEntry {
        let minutes: Int? = switch slot.minutes {
        case UInt16.max: nil
        case Slot.wide: wideMinutes[key()]
        default: Int(slot.minutes)
        }
        var entry = MarkEntry(code: AttendanceCode.all[Int(slot.code)], minutesLate: minutes,
                              recordedAt: Timestamp(milliseconds: slot.recordedAt), seq: Int(slot.seq),
                              amendments: 0, amendedAt: nil, amendedSeq: nil)
        if slot.amended > 0, let amendment = amendment(key()) {
            entry.amendments = amendment.count
            entry.amendedAt = amendment.at
            entry.amendedSeq = amendment.seq
        }
        return entry
    }

    /// The last amendment of a mark, from this store's own table or the mapped index.
    func amendment(_ key: MarkKey) -> Amendment? {
        if let own = amendments[key] { return own }
        guard let base, !droppedAmendments.contains(key) else { return nil }
        return base.amendment(key)
    }

    /// Calls `body` with a row's slots (checking the mapped pages it reads).
    @inline(__always)
    func withSlots<R>(_ row: Row, _ body: (UnsafeBufferPointer<Slot>) -> R) -> R {
        if row.isMapped { return body(base!.slots(page: Int(row.page), count: Int(row.mappedCount))) }
        return row.slots.withUnsafeBufferPointer(body)
    }

    /// Copies a mapped row out of the index so that it can be changed.
    private mutating func own(_ pupil: Int) {
        guard rows[pupil].isMapped else { return }
        let row = rows[pupil]
        rows[pupil].slots = Array(base!.slots(page: Int(row.page), count: Int(row.mappedCount)))
        rows[pupil].page = -1
        rows[pupil].mappedCount = 0
    }

    /// Records (or replaces) a session's mark.
    public mutating func record(pupil: Int, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int?,
                                recordedAt: Timestamp, seq: Int) {
        let offset = slotOffset(pupil: pupil, day: date.day) + Int(session.rawValue)
        let old = rows[pupil].slots[offset]
        if old.code == Slot.emptyCode { count += 1 }
        if old.amended > 0 {
            let key = MarkKey(pupil: pupil, date: date, session: session)
            amendments[key] = nil
            if base != nil { droppedAmendments.insert(key) }
        }
        rows[pupil].slots[offset] = Slot(recordedAt: recordedAt.milliseconds, seq: UInt32(truncatingIfNeeded: seq),
                                         minutes: storeMinutes(minutesLate, pupil: pupil, date: date, session: session),
                                         code: code.index, amended: 0)
    }

    /// Applies an amendment to a recorded mark; does nothing if the session has no mark.
    public mutating func amend(pupil: Int, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int?,
                               at: Timestamp, seq: Int) {
        guard pupil < rows.count, entry(pupil: pupil, date: date, session: session) != nil else { return }
        own(pupil)
        let offset = (Int(date.day) - Int(rows[pupil].firstDay)) * 2 + Int(session.rawValue)
        rows[pupil].slots[offset].code = code.index
        rows[pupil].slots[offset].minutes = storeMinutes(minutesLate, pupil: pupil, date: date, session: session)
        let amended = rows[pupil].slots[offset].amended
        rows[pupil].slots[offset].amended = amended == UInt8.max ? amended : amended + 1
        let key = MarkKey(pupil: pupil, date: date, session: session)
        let earlier = amended > 0 ? (amendment(key)?.count ?? 0) : 0
        amendments[key] = Amendment(count: earlier + 1, at: at, seq: seq)
        droppedAmendments.remove(key)
    }

    private mutating func storeMinutes(_ minutes: Int?, pupil: Int, date: SchoolDate, session: Session) -> UInt16 {
        guard let minutes else { return UInt16.max }
        if minutes >= 0 && minutes < Int(Slot.wide) { return UInt16(minutes) }
        wideMinutes[MarkKey(pupil: pupil, date: date, session: session)] = minutes
        return Slot.wide
    }

    /// The offset of the day's AM slot in the pupil's row, growing the row (with slack) to cover it.
    private mutating func slotOffset(pupil: Int, day: Int32) -> Int {
        if pupil >= rows.count { rows.append(contentsOf: repeatElement(Row(), count: pupil + 1 - rows.count)) }
        own(pupil)
        if rows[pupil].slots.isEmpty {
            // Start with the rest of the school year's worth of room.
            rows[pupil].firstDay = day
            rows[pupil].slots = [Slot](repeating: .empty, count: 2 * 64)
            return 0
        }
        var offset = (Int(day) - Int(rows[pupil].firstDay)) * 2
        let length = rows[pupil].slots.count
        if offset >= length {
            let grow = max(offset + 2 - length, (length / 2) & ~1, 2 * 64)
            rows[pupil].slots.append(contentsOf: repeatElement(.empty, count: grow))
        } else if offset < 0 {
            let grow = max(-offset, length / 2, 2 * 64) & ~1
            rows[pupil].slots.insert(contentsOf: repeatElement(.empty, count: grow), at: 0)
            rows[pupil].firstDay -= Int32(grow / 2)
            offset += grow
        }
        return offset
    }

    /// Releases the room rows grew into but did not use (call after reading a whole log).
    public mutating func compact() {
        for pupil in rows.indices where !rows[pupil].isMapped {
            let slots = rows[pupil].slots
            guard let last = slots.lastIndex(where: { $0.code != Slot.emptyCode }) else {
                rows[pupil].slots = []
                continue
            }
            let first = (slots.firstIndex(where: { $0.code != Slot.emptyCode })! / 2) * 2
            let end = min(last | 1, slots.count - 1)
            if first == 0 && end + 1 == slots.count && slots.capacity == slots.count { continue }
            var trimmed = [Slot]()
            trimmed.reserveCapacity(end + 1 - first)
            trimmed.append(contentsOf: slots[first...end])
            rows[pupil].slots = trimmed
            rows[pupil].firstDay += Int32(first / 2)
        }
    }

    /// Calls `body` for every mark, pupil by pupil in index order, then by date and session.
    public func forEach(_ body: (MarkKey, MarkEntry) -> Void) {
        for pupil in rows.indices {
            forEach(pupil: pupil) { date, session, entry in body(MarkKey(pupil: pupil, date: date, session: session), entry) }
        }
    }

    /// Calls `body` for each of one pupil's marks, in date and session order.
    public func forEach(pupil: Int, _ body: (SchoolDate, Session, MarkEntry) -> Void) {
        guard pupil >= 0, pupil < rows.count else { return }
        let row = rows[pupil]
        withSlots(row) { slots in
            for (offset, slot) in slots.enumerated() where slot.code != Slot.emptyCode {
                let date = SchoolDate(day: row.firstDay + Int32(offset / 2))
                let session: Session = offset & 1 == 0 ? .am : .pm
                body(date, session, entry(slot, key: MarkKey(pupil: pupil, date: date, session: session)))
            }
        }
    }

    /// Calls `body` for each of one pupil's sessions whose mark now has `code`, in date and session order
    /// (the slots are compared by code first, so few entries are built).
    public func forEach(pupil: Int, code: AttendanceCode, _ body: (SchoolDate, Session) -> Void) {
        guard pupil >= 0, pupil < rows.count else { return }
        let wanted = code.index
        let row = rows[pupil]
        withSlots(row) { slots in
            for (offset, slot) in slots.enumerated() where slot.code == wanted {
                body(SchoolDate(day: row.firstDay + Int32(offset / 2)), offset & 1 == 0 ? .am : .pm)
            }
        }
    }

    /// Calls `body` with each of a pupil's sessions from `from` to `to` as raw code indexes (`0xFF` for
    /// none), one day at a time: the fast path for walks over a date range.
    public func forEachDay(pupil: Int, from: SchoolDate, to: SchoolDate, _ body: (SchoolDate, UInt8, UInt8) -> Void) {
        guard pupil >= 0, pupil < rows.count, from <= to else { return }
        let row = rows[pupil]
        withSlots(row) { slots in
            let first = max(Int(from.day), Int(row.firstDay)), last = min(Int(to.day), Int(row.firstDay) + slots.count / 2 - 1)
            guard first <= last else { return }
            for day in first...last {
                let offset = (day - Int(row.firstDay)) * 2
                body(SchoolDate(day: Int32(day)), slots[offset].code, slots[offset + 1].code)
            }
        }
    }

    /// Bytes of memory the store holds (slots and the amendment table), for the benchmark.
    public var footprint: Int {
        rows.reduce(MemoryLayout<Row>.stride * rows.capacity) { $0 + $1.slots.capacity * MemoryLayout<Slot>.stride }
            + amendments.capacity * (MemoryLayout<MarkKey>.stride + MemoryLayout<Amendment>.stride + 1)
    }
}
