import RollbookDomain
import RollbookLog

/// The calendar's facts for each day of a range of dates (school day or not, each session's closure),
/// worked out once so that walks over every pupil look them up by offset instead of searching the terms
/// and the closures for every pupil's every session.
///
/// ``effective(_:_:)`` applies a closure to a recorded code exactly as
/// ``LedgerState/effectiveCode(pupil:date:session:)`` does, on raw code indexes (`0xFF` for none).
struct CalendarDays {
    /// The first day of the range.
    let first: SchoolDate
    /// The number of days in the range.
    let count: Int
    /// Whether each day is a school day (``SchoolCalendar/isSchoolDay(_:)``).
    private(set) var schoolDay: [Bool]
    /// Each session's closure code index (`offset * 2 + session`), `0xFF` when not closed.
    private(set) var closure: [UInt8]
    /// For each closure code index, a bit per recorded code index that the closure overrides.
    let overrides: [UInt64]

    /// The facts of the days from `from` to `to` inclusive (none when `to` is before `from`).
    init(_ calendar: SchoolCalendar, from: SchoolDate, to: SchoolDate) {
        first = from
        count = max(0, Int(to.day) - Int(from.day) + 1)
        schoolDay = [Bool](repeating: false, count: count)
        closure = [UInt8](repeating: 0xFF, count: count * 2)
        overrides = CalendarDays.overrideTable
        guard count > 0 else { return }
        // A weekday inside a term: each term's weekdays, clipped to the range.
        for term in calendar.terms {
            let lo = max(Int(term.from.day), Int(from.day)), hi = min(Int(term.to.day), Int(to.day))
            guard lo <= hi else { continue }
            for day in lo...hi where !SchoolDate(day: Int32(day)).isWeekend { schoolDay[day - Int(from.day)] = true }
        }
        let firstSlot = Int64(from.day) * 2
        for (key, c) in calendar.closures {
            let slot = key - firstSlot
            if slot >= 0 && slot < Int64(count * 2) { closure[Int(slot)] = c.code.index }
        }
    }

    /// The offset of a date in the range (negative before it, `count` or more after it).
    @inline(__always)
    func offset(_ date: SchoolDate) -> Int { Int(date.day) - Int(first.day) }

    /// Whether the date is a school day; false outside the range.
    @inline(__always)
    func isSchoolDay(_ date: SchoolDate) -> Bool {
        let o = offset(date)
        return o >= 0 && o < count && schoolDay[o]
    }

    /// The code a session effectively has (a raw index, `0xFF` for none) from its recorded code and its
    /// closure: `#` overrides every code but `D`; `Y1`–`Y7` override `/ \ L N O U` and an empty session.
    @inline(__always)
    func effective(_ mark: UInt8, _ closure: UInt8) -> UInt8 {
        if closure == 0xFF { return mark }
        if mark != 0xFF && (overrides[Int(closure)] >> UInt64(mark)) & 1 == 0 { return mark }
        return closure
    }

    /// ``LedgerState/closureOverrides(_:_:)`` as one 64-bit mask of recorded codes per closure code.
    static let overrideTable: [UInt64] = {
        let all = AttendanceCode.all
        precondition(all.count <= 64, "code masks hold at most 64 codes")
        return all.map { closure in
            var mask: UInt64 = 0
            for code in all where LedgerState.closureOverrides(closure, code) { mask |= 1 << UInt64(code.index) }
            return mask
        }
    }()

    /// Sets `onRoll[o]` to whether the pupil was on roll on the day at offset `o` from `from`
    /// (``PupilRecord/isOnRoll(_:)`` for each day), for the buffer's length.
    static func fillOnRoll(_ pupil: PupilRecord, from: SchoolDate, _ onRoll: UnsafeMutableBufferPointer<Bool>) {
        onRoll.update(repeating: false)
        let n = onRoll.count
        func mark(_ admitted: SchoolDate, _ left: SchoolDate?) {
            let lo = max(0, Int(admitted.day) - Int(from.day))
            let hi = min(n, left.map { Int($0.day) - Int(from.day) } ?? n)  // exclusive: the day of leaving is off roll
            guard lo < hi else { return }
            for o in lo..<hi { onRoll[o] = true }
        }
        mark(pupil.admitted, pupil.left)
        for spell in pupil.earlierSpells { mark(spell.admitted, spell.left) }
    }
}
