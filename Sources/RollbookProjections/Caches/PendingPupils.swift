import RollbookDomain
import Synchronization

/// The admission register as a snapshot holds it: each pupil's record, where each starts, and the
/// pupils in UPN order, so that one pupil is found and read without reading the others (a single
/// mark needs one pupil of thousands). All of them are read the first time all are needed.
///
/// The layout (after the pupil count and the section's length): a 32-bit offset per pupil in index
/// order, a 32-bit pupil index per pupil in UPN byte order, then the records. Opening walks every
/// record's fields (lengths, flags, UTF-8) without building one, so reading later cannot fail.
final class PendingPupils: Sendable {
    /// The section's bytes: offsets, UPN order, records.
    let bytes: [UInt8]
    /// How many pupils.
    let count: Int
    private var recordsStart: Int { count * 8 }
    private let decoded = Mutex<(records: [PupilRecord], index: [String: Int])?>(nil)

    /// Takes the section from the decoder and checks every record's shape.
    init(decoding d: inout SnapshotDecoder) throws(SnapshotDecodingError) {
        count = try d.count()
        let range = try d.take(try d.count())
        bytes = Array(d.bytes[range])
        guard count * 8 <= bytes.count else { throw SnapshotDecodingError("the admission register's tables do not fit") }
        var seen = [Bool](repeating: false, count: count)
        for i in 0..<count {
            let order = Int(word(count + i))
            guard order < count, !seen[order] else { throw SnapshotDecodingError("the admission register's UPN order is not a permutation") }
            seen[order] = true
            let start = recordsStart + Int(word(i))
            guard start < bytes.count else { throw SnapshotDecodingError("a pupil's record lies outside the admission register") }
            guard PendingPupils.walk(bytes, from: start) else { throw SnapshotDecodingError("a pupil's record is malformed") }
        }
    }

    /// Whether a well-formed record starts at `start`: every length in bounds, every flag 0 or 1, every
    /// string UTF-8 (what ``record(index:from:)`` reads, checked without building anything).
    static func walk(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBytes { p -> Bool in
            var c = Cursor(p: p, i: start)
            guard c.text(), c.text(), c.text(), c.fixed(4), c.text(), c.text(), c.fixed(4), c.optionalFixed(4), c.optionalText(),
                  c.flag() != nil, c.flag() != nil, c.flag() != nil, c.flag() != nil, c.fixed(8), c.optionalFixed(8),
                  let spells = c.count(minimumBytes: 9) else { return false }
            for _ in 0..<spells {
                guard c.fixed(8), c.optionalText() else { return false }
            }
            return c.optionalText()
        }
    }

    /// A position in a record being walked.
    private struct Cursor {
        let p: UnsafeRawBufferPointer
        var i: Int

        mutating func fixed(_ n: Int) -> Bool {
            guard n <= p.count - i else { return false }
            i += n
            return true
        }

        /// A flag's value, or nil when it is neither 0 nor 1.
        mutating func flag() -> Bool? {
            guard i < p.count, p[i] <= 1 else { return nil }
            i += 1
            return p[i - 1] == 1
        }

        /// A count whose items take at least `minimumBytes` each, or nil when it cannot fit.
        mutating func count(minimumBytes: Int) -> Int? {
            guard 8 <= p.count - i else { return nil }
            let n = Int(Int64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: Int64.self)))
            i += 8
            guard n >= 0, n <= (p.count - i) / minimumBytes else { return nil }
            return n
        }

        mutating func text() -> Bool {
            guard let n = count(minimumBytes: 1) else { return false }
            let slice = UnsafeRawBufferPointer(rebasing: p[i..<(i + n)])
            i += n
            var high: UInt8 = 0
            for byte in slice { high |= byte }
            return high < 0x80 || String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self) != nil
        }

        mutating func optionalFixed(_ n: Int) -> Bool {
            guard let present = flag() else { return false }
            return !present || fixed(n)
        }

        mutating func optionalText() -> Bool {
            guard let present = flag() else { return false }
            return !present || text()
        }
    }

    /// The 32-bit word `i` of the tables.
    private func word(_ i: Int) -> UInt32 {
        UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self) })
    }

    /// The UPN bytes of pupil `i` (the record's first field).
    private func upnBytes(_ i: Int) -> Range<Int> {
        let start = recordsStart + Int(word(i))
        let length = Int(Int64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start, as: Int64.self) }))
        return (start + 8)..<(start + 8 + length)
    }

    /// The index of the pupil with this UPN, found by binary search of the UPN order.
    func number(_ upn: String) -> Int? {
        var upn = upn
        return upn.withUTF8 { wanted -> Int? in
            bytes.withUnsafeBufferPointer { all -> Int? in
                var low = 0, high = count
                while low < high {
                    let mid = (low + high) / 2
                    let pupil = Int(word(count + mid))
                    let found = UnsafeBufferPointer(rebasing: all[upnBytes(pupil)])
                    if found.elementsEqual(wanted) { return pupil }
                    if found.lexicographicallyPrecedes(wanted) { low = mid + 1 } else { high = mid }
                }
                return nil
            }
        }
    }

    /// The record of the pupil with this UPN.
    func record(_ upn: String) -> PupilRecord? {
        if let all = decoded.withLock({ $0 }) { return all.index[upn].map { all.records[$0] } }
        guard let i = number(upn) else { return nil }
        var d = SnapshotDecoder(bytes, from: recordsStart + Int(word(i)), end: bytes.count)
        return try? PendingPupils.record(index: i, from: &d)
    }

    /// Every record, in index order, read once.
    var records: [PupilRecord] { all.records }
    /// The index by UPN.
    var index: [String: Int] { all.index }

    private var all: (records: [PupilRecord], index: [String: Int]) {
        decoded.withLock { cache in
            if let cache { return cache }
            var records: [PupilRecord] = []
            records.reserveCapacity(count)
            var index: [String: Int] = [:]
            index.reserveCapacity(count)
            for i in 0..<count {
                var d = SnapshotDecoder(bytes, from: recordsStart + Int(word(i)), end: bytes.count)
                // Every record was walked when the snapshot was opened, so this cannot fail.
                guard let record = try? PendingPupils.record(index: i, from: &d) else { continue }
                index[record.upn] = i
                records.append(record)
            }
            cache = (records, index)
            return (records, index)
        }
    }

    /// Encodes the admission register as this section.
    static func encode(_ pupils: [PupilRecord], into e: inout SnapshotEncoder) {
        var records = SnapshotEncoder(capacity: pupils.count * 96)
        var offsets: [UInt32] = []
        offsets.reserveCapacity(pupils.count)
        for p in pupils {
            offsets.append(UInt32(records.bytes.count))
            records.string(p.upn); records.string(p.forename); records.string(p.surname); records.date(p.dob)
            records.string(p.yearGroup); records.string(p.group)
            records.date(p.admitted); records.optional(p.left) { $0.date($1) }; records.optional(p.ground) { $0.string($1) }
            records.bool(p.flags.sen); records.bool(p.flags.ehcp); records.bool(p.flags.pp); records.bool(p.flags.fsm)
            records.int(p.admittedSeq); records.optional(p.leftSeq) { $0.int($1) }
            records.int(p.earlierSpells.count)
            for spell in p.earlierSpells {
                records.date(spell.admitted); records.date(spell.left); records.optional(spell.ground) { $0.string($1) }
            }
            records.optional(p.sex) { $0.string($1) }
        }
        let order = pupils.indices.sorted { Array(pupils[$0].upn.utf8).lexicographicallyPrecedes(Array(pupils[$1].upn.utf8)) }
        e.int(pupils.count)
        e.int(pupils.count * 8 + records.bytes.count)
        for offset in offsets { e.uint32(offset) }
        for i in order { e.uint32(UInt32(i)) }
        e.bytes.append(contentsOf: records.bytes)
    }

    /// Reads one pupil's record.
    static func record(index: Int, from d: inout SnapshotDecoder) throws(SnapshotDecodingError) -> PupilRecord {
        func text(_ d: inout SnapshotDecoder) throws(SnapshotDecodingError) -> String { try d.string() }
        let upn = try text(&d), forename = try text(&d), surname = try text(&d), dob = try d.date()
        let yearGroup = try text(&d), group = try text(&d), admitted = try d.date()
        let left = try d.optional { d throws(SnapshotDecodingError) in try d.date() }
        let ground = try d.optional { d throws(SnapshotDecodingError) in try text(&d) }
        let flags = PupilFlags(sen: try d.bool(), ehcp: try d.bool(), pp: try d.bool(), fsm: try d.bool())
        let admittedSeq = try d.int()
        let leftSeq = try d.optional { d throws(SnapshotDecodingError) in try d.int() }
        var spells: [PupilRecord.Spell] = []
        for _ in 0..<(try d.count()) {
            let from = try d.date(), until = try d.date()
            let reason = try d.optional { d throws(SnapshotDecodingError) in try text(&d) }
            spells.append(PupilRecord.Spell(admitted: from, left: until, ground: reason))
        }
        let sex = try d.optional { d throws(SnapshotDecodingError) in try text(&d) }
        var record = PupilRecord(index: index, upn: upn, forename: forename, surname: surname, dob: dob, yearGroup: yearGroup,
                                 group: group, admitted: admitted, left: left, ground: ground, flags: flags,
                                 admittedSeq: admittedSeq, leftSeq: leftSeq, earlierSpells: spells)
        record.sex = sex
        return record
    }
}
