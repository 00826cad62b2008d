import RollbookDomain
import RollbookLog
import RollbookProjections

/// The entry rules a new mark must meet (``LedgerState``'s `checkMark` and `refuseMarked`, Rules/) as a
/// yes-or-no test on integers, with what they read from the state looked up once per pupil, day or
/// session rather than once per row: the fast path of `marks import`.
///
/// ``accepts(pupil:day:session:code:minutes:recordedAt:clock:)`` is true only when both rules pass for
/// the mark; it never builds a message (a refused file goes through the rules themselves).
struct MarkRules {
    let state: LedgerState
    /// Pupil index by packed UPN (``packedUPN(_:_:)``), for the well-formed UPNs on the admission register.
    private var pupilByUPN: [UInt64: Int] = [:]
    private var lastUPN: (key: UInt64, pupil: Int) = (UInt64.max, -1)
    private var admitted: [Int32] = []
    /// The day each pupil's current spell ended, `Int32.max` while on roll.
    private var left: [Int32] = []
    private var hasEarlierSpells: [Bool] = []
    /// Each pupil's registration group, as an index into ``groupNames``.
    private(set) var groupOf: [Int] = []
    /// The registration groups' names.
    private(set) var groupNames: [String] = []
    /// Per day of the years ``InputDates`` allows: 0 until looked up, then ``known`` and the flags below.
    private var days: [UInt8]
    private let firstDay: Int32
    /// Per day and session: when its register opens, `Int64.min` until looked up.
    private var opens: [Int64]
    /// Whether the code, by table index, records what happened at the register (``LedgerState/registerCodes``).
    private let registerCode: [Bool]

    private static let known: UInt8 = 1, usable: UInt8 = 2, closedAM: UInt8 = 4, closedPM: UInt8 = 8

    init(state: LedgerState) {
        self.state = state
        var groups: [String: Int] = [:]
        admitted.reserveCapacity(state.pupils.count)
        for pupil in state.pupils {
            admitted.append(pupil.admitted.day)
            left.append(pupil.left?.day ?? Int32.max)
            hasEarlierSpells.append(!pupil.earlierSpells.isEmpty)
            if let group = groups[pupil.group] {
                groupOf.append(group)
            } else {
                groups[pupil.group] = groupNames.count
                groupOf.append(groupNames.count)
                groupNames.append(pupil.group)
            }
        }
        for (upn, index) in state.pupilIndex {
            let key = Array(upn.utf8).withUnsafeBufferPointer { MarkRules.packedUPN($0, (0, $0.count)) }
            if let key { pupilByUPN[key] = index }
        }
        let first = SchoolDate(year: InputDates.years.lowerBound, month: 1, day: 1)!.day
        let last = SchoolDate(year: InputDates.years.upperBound, month: 12, day: 31)!.day
        firstDay = first
        days = [UInt8](repeating: 0, count: Int(last - first) + 1)
        opens = [Int64](repeating: Int64.min, count: 2 * days.count)
        registerCode = AttendanceCode.all.map { LedgerState.registerCodes.contains($0.text) }
    }

    /// A UPN's bytes packed into 64 bits (one-to-one on well-formed UPNs), or nil when the bytes are not
    /// a well-formed UPN (``UPN/isWellFormed(_:)``: a capital letter, 11 digits, a digit or capital letter).
    static func packedUPN(_ bytes: UnsafeBufferPointer<UInt8>, _ field: (start: Int, end: Int)) -> UInt64? {
        guard field.end - field.start == 13 else { return nil }
        let s = field.start
        let head = bytes[s] &- 0x41
        guard head < 26 else { return nil }
        var key = UInt64(head)
        for i in (s + 1)..<(s + 12) {
            let digit = bytes[i] &- 0x30
            guard digit <= 9 else { return nil }
            key = key * 10 + UInt64(digit)
        }
        let tail = bytes[s + 12]
        if tail &- 0x30 <= 9 {
            key = key * 36 + UInt64(tail &- 0x30)
        } else if tail &- 0x41 < 26 {
            key = key * 36 + 10 + UInt64(tail &- 0x41)
        } else {
            return nil
        }
        return key
    }

    /// The index of the pupil whose UPN the field holds, or nil when it is not a well-formed UPN on the
    /// admission register (``LedgerState/requirePupil(_:at:)`` would refuse it).
    mutating func pupil(_ bytes: UnsafeBufferPointer<UInt8>, _ field: (start: Int, end: Int)) -> Int? {
        guard let key = MarkRules.packedUPN(bytes, field) else { return nil }
        if key == lastUPN.key { return lastUPN.pupil }
        guard let pupil = pupilByUPN[key] else { return nil }
        lastUPN = (key, pupil)
        return pupil
    }

    /// The day's flags, looked up once.
    private mutating func flags(_ day: Int32) -> UInt8 {
        let offset = Int(day - firstDay)
        let found = days[offset]
        if found != 0 { return found }
        let date = SchoolDate(day: day)
        var flags = MarkRules.known
        if state.calendar.isSchoolDay(date) && state.disposal(reaching: date) == nil { flags |= MarkRules.usable }
        if state.calendar.closure(date, .am) != nil { flags |= MarkRules.closedAM }
        if state.calendar.closure(date, .pm) != nil { flags |= MarkRules.closedPM }
        days[offset] = flags
        return flags
    }

    /// When the session's register opens, looked up once.
    private mutating func opening(_ day: Int32, _ session: Session, minutes: Int) -> Int64 {
        let offset = Int(day - firstDay) * 2 + Int(session.rawValue)
        if opens[offset] != Int64.min { return opens[offset] }
        let moment = UKTime.moment(SchoolDate(day: day), minutes: minutes).milliseconds
        opens[offset] = moment
        return moment
    }

    /// Whether a mark meets `checkMark` and `refuseMarked`; `day` is within the years ``InputDates`` allows,
    /// `minutes` is -1 for none, `recordedAt` nil for an entry made at `clock`.
    mutating func accepts(pupil: Int, day: Int32, session: Session, code: AttendanceCode, minutes: Int, recordedAt: Timestamp?,
                          clock: Timestamp) -> Bool {
        let date = SchoolDate(day: day)
        if code.validate(on: date, session: session, migrated: recordedAt != nil) != nil { return false }
        let flags = flags(day)
        // A weekday in a term (checkMark), not disposed of (refuseMarked).
        guard flags & MarkRules.usable != 0 else { return false }
        let onRoll = hasEarlierSpells[pupil] ? state.pupils[pupil].isOnRoll(date) : admitted[pupil] <= day && day < left[pupil]
        guard onRoll, code.needsMinutesLate == (minutes >= 0) else { return false }
        if flags & (session == .am ? MarkRules.closedAM : MarkRules.closedPM) != 0, let closure = state.calendar.closure(date, session),
           LedgerState.closureOverrides(closure.code, code) {
            return false
        }
        if let school = state.school {
            let window = session == .am ? school.amRegister : school.pmRegister
            let length = window.closes.minutes - window.opens.minutes
            if minutes >= 0 {
                if code == .late && !(1...max(1, length)).contains(minutes) { return false }
                if code == .unauthorisedLate && minutes <= length { return false }
            }
            if registerCode[Int(code.index)]
                && (recordedAt ?? clock).milliseconds < opening(day, session, minutes: window.opens.minutes) {
                return false
            }
        }
        return state.mark(pupil: pupil, date: date, session: session) == nil
    }
}
