import RollbookDomain
import RollbookLog

/// The fused reader's fold of the mark events: a `mark.recorded` or `mark.amended` line goes from its
/// bytes straight into the state's ``MarkStore`` (the pupil found by the UPN's bytes), with no `String`,
/// ``Event`` or ``EventEnvelope``.
///
/// ``fold(_:into:audit:)`` changes the state (and the audit) exactly as ``LedgerState/apply(_:)`` (and
/// ``LedgerAudit/apply(_:state:)``) would with the envelope the decoders build, or declines the line
/// and changes nothing: any line not in the writer's exact layout (``MarkLineDecoder``), a UPN the
/// admission register does not hold, a UPN longer than 15 bytes, any mark while the audit holds marks
/// of pupils not admitted. The caller then decodes it as before.
package struct MarkFold {
    private var decoder = MarkLineDecoder()
    private var pupils = UPNTable()
    /// How many lines were folded here (for the benchmark's report).
    package private(set) var folded = 0

    /// Creates a fold.
    package init() {}

    /// Folds the line into `state` (and `audit`, for a verification) and returns true, or returns false
    /// and changes nothing.
    @inline(__always)
    package mutating func fold(_ line: borrowing LogLine, into state: inout LedgerState, audit: inout LedgerAudit?) -> Bool {
        // A mark of a pupil not yet admitted is remembered by the audit under its UPN string: take those lines the long way.
        if let audit, !audit.strayMarks.isEmpty { return false }
        guard let at = line.at, let mark = decoder.decode(line.bytes), let pupil = pupil(line.bytes, mark.upn, state) else { return false }
        folded += 1
        switch mark.kind {
        case .recorded:
            if audit != nil {
                audit!.recorded(seq: line.seq, at: at, date: mark.date, session: mark.session,
                                alreadyMarked: state.mark(pupil: pupil, date: mark.date, session: mark.session) != nil)
            }
            state.eventCount += 1
            state.lastAt = at
            state.markStore.record(pupil: pupil, date: mark.date, session: mark.session, code: mark.code, minutesLate: mark.minutesLate,
                                   recordedAt: mark.recordedAt ?? at, seq: line.seq)
        case .amended:
            audit?.lastAt = at
            state.eventCount += 1
            state.lastAt = at
            if state.mark(pupil: pupil, date: mark.date, session: mark.session) == nil {
                // As LedgerState.apply: the original entry was disposed of, the amendment kept.
                state.markStore.record(pupil: pupil, date: mark.date, session: mark.session, code: mark.original,
                                       minutesLate: mark.originalMinutesLate, recordedAt: at, seq: line.seq)
            }
            state.markStore.amend(pupil: pupil, date: mark.date, session: mark.session, code: mark.code, minutesLate: mark.minutesLate,
                                  at: at, seq: line.seq)
        }
        return true
    }

    /// The admitted pupil whose UPN is these bytes, or nil (not admitted, or too long for the table).
    ///
    /// Found through the admission register's own index the first time (so the answer is the one
    /// ``LedgerState/apply(_:)`` gets from ``LedgerState/pupilNumber(_:)``) and remembered by bytes: a
    /// pupil's index never changes once admitted. A UPN not found is not remembered (it may be admitted later).
    @inline(__always)
    private mutating func pupil(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, _ state: LedgerState) -> Int? {
        guard let key = UPNTable.Key(UnsafeRawBufferPointer(rebasing: b[range])) else { return nil }
        if let found = pupils[key] { return found }
        guard let index = state.pupilNumber(String(decoding: UnsafeRawBufferPointer(rebasing: b[range]), as: UTF8.self)) else { return nil }
        pupils.insert(key, index)
        return index
    }
}

/// UPN bytes (at most 15) to a pupil's index: open addressing, for the fused fold.
struct UPNTable {
    /// Up to 15 bytes, zero-padded, with the length in the top byte of `high` (so "A" and "A\0" differ).
    struct Key: Equatable {
        var low: UInt64
        var high: UInt64

        @inline(__always)
        init?(_ bytes: UnsafeRawBufferPointer) {
            let n = bytes.count
            guard n <= 15 else { return nil }
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { raw in
                if n > 0 { raw.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: n) }
            }
            low = words.0
            high = words.1 | UInt64(n) << 56
        }

        var hash: Int {
            let mixed = (low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
            return Int(truncatingIfNeeded: mixed ^ (mixed >> 31))
        }
    }

    private var keys: [Key?] = Array(repeating: nil, count: 1024)
    private var values: [Int] = Array(repeating: 0, count: 1024)
    private var count = 0

    subscript(key: Key) -> Int? {
        @inline(__always) get {
            let mask = keys.count - 1
            var slot = key.hash & mask
            while let stored = keys[slot] {
                if stored == key { return values[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    mutating func insert(_ key: Key, _ value: Int) {
        if (count + 1) * 2 > keys.count {
            let old = zip(keys, values).compactMap { k, v in k.map { ($0, v) } }
            keys = Array(repeating: nil, count: keys.count * 2)
            values = Array(repeating: 0, count: keys.count)
            count = 0
            for (k, v) in old { insert(k, v) }
        }
        let mask = keys.count - 1
        var slot = key.hash & mask
        while let stored = keys[slot] {
            if stored == key {
                values[slot] = value
                return
            }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = value
        count += 1
    }
}
