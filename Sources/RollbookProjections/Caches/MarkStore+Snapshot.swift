import RollbookDomain
import RollbookLog

/// The mark store in a snapshot: each pupil's row of 16-byte slots as it stands, then the side tables.
extension MarkStore {
    var encodedSizeEstimate: Int { rows.reduce(16) { $0 + 12 + $1.slots.count * 16 } + amendments.count * 32 }

    func encode(into e: inout SnapshotEncoder) {
        e.int(count)
        e.int(rows.count)
        for row in rows {
            e.int32(row.firstDay)
            e.int(row.slots.count)
            MarkStore.encode(row.slots, into: &e)
        }
        e.int(amendments.count)
        for (key, a) in amendments.sorted(by: { $0.key < $1.key }) {
            e.uint64(key.raw)
            e.int(a.count)
            e.timestamp(a.at)
            e.int(a.seq)
        }
        e.int(wideMinutes.count)
        for (key, minutes) in wideMinutes.sorted(by: { $0.key < $1.key }) {
            e.uint64(key.raw)
            e.int(minutes)
        }
    }

    init(decoding d: inout SnapshotDecoder) throws(SnapshotDecodingError) {
        self.init()
        count = try d.int()
        let rowCount = try d.count()
        rows.reserveCapacity(rowCount)
        var marks = 0
        let codes = AttendanceCode.all.count
        for _ in 0..<rowCount {
            let firstDay = try d.fixed(Int32.self)
            let slotCount = try d.count()
            guard slotCount % 2 == 0 else { throw SnapshotDecodingError("a mark row has an odd number of slots") }
            let slots = try MarkStore.decodeSlots(slotCount, from: &d)
            for slot in slots where slot.code != Slot.emptyCode {
                guard Int(slot.code) < codes else { throw SnapshotDecodingError("a mark's code index is out of range") }
                marks += 1
            }
            rows.append(Row(firstDay: firstDay, slots: slots))
        }
        guard marks == count else { throw SnapshotDecodingError("the mark count does not match the marks") }
        for _ in 0..<(try d.count()) {
            amendments[MarkKey(raw: try d.fixed(UInt64.self))] = Amendment(count: try d.int(), at: try d.timestamp(), seq: try d.int())
        }
        for _ in 0..<(try d.count()) {
            wideMinutes[MarkKey(raw: try d.fixed(UInt64.self))] = try d.int()
        }
    }

    /// The bytes of one slot: recordedAt (8), seq (4), minutes (2), code (1), amended (1), little-endian.
    static let slotBytes = 16

    /// Appends the slots' bytes (copied as they lie in memory on a little-endian machine, where a slot's
    /// layout is exactly the encoding; field by field elsewhere).
    static func encode(_ slots: [Slot], into e: inout SnapshotEncoder) {
        #if _endian(little)
        if MemoryLayout<Slot>.size == slotBytes && MemoryLayout<Slot>.stride == slotBytes
            && MemoryLayout<Slot>.offset(of: \Slot.seq) == 8 && MemoryLayout<Slot>.offset(of: \Slot.minutes) == 12
            && MemoryLayout<Slot>.offset(of: \Slot.code) == 14 && MemoryLayout<Slot>.offset(of: \Slot.amended) == 15 {
            slots.withUnsafeBytes { e.bytes.append(contentsOf: $0) }
            return
        }
        #endif
        for slot in slots {
            e.int64(slot.recordedAt)
            e.uint32(slot.seq)
            e.uint16(slot.minutes)
            e.byte(slot.code)
            e.byte(slot.amended)
        }
    }

    static func decodeSlots(_ count: Int, from d: inout SnapshotDecoder) throws(SnapshotDecodingError) -> [Slot] {
        guard count <= (d.end - d.position) / slotBytes else { throw SnapshotDecodingError("the file ends early") }
        #if _endian(little)
        if MemoryLayout<Slot>.size == slotBytes && MemoryLayout<Slot>.stride == slotBytes
            && MemoryLayout<Slot>.offset(of: \Slot.seq) == 8 && MemoryLayout<Slot>.offset(of: \Slot.minutes) == 12
            && MemoryLayout<Slot>.offset(of: \Slot.code) == 14 && MemoryLayout<Slot>.offset(of: \Slot.amended) == 15 {
            let range = try d.take(count * slotBytes)
            return [Slot](unsafeUninitializedCapacity: count) { buffer, initialized in
                d.bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[range]))
                }
                initialized = count
            }
        }
        #endif
        var slots = [Slot]()
        slots.reserveCapacity(count)
        for _ in 0..<count {
            slots.append(Slot(recordedAt: try d.fixed(Int64.self), seq: try d.fixed(UInt32.self), minutes: try d.fixed(UInt16.self),
                              code: try d.byte(), amended: try d.byte()))
        }
        return slots
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
