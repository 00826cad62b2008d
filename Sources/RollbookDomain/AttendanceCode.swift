/// How a code counts in the DfE statistics.
///
/// Every register code falls into exactly one category (the table lets a category depend on the session
/// date; see ``AttendanceCode/category(on:)``). The category decides whether the session is possible,
/// and whether it is attendance, authorised absence or unauthorised absence.
public enum AttendanceCategory: UInt8, Sendable, Hashable, CaseIterable {
    /// Present in school for the session (`/`, `\`).
    case present
    /// Present, arrived late before the register closed (`L`).
    case presentLate
    /// Attending an approved educational activity away from the school (`K V P W B`, legacy `J`).
    case approvedActivity
    /// Authorised leave of absence granted by the school (`C1 M J1 S C2 C`, legacy `H F`).
    case leaveOfAbsence
    /// Absence authorised for another reason (`T R I E`).
    case otherAuthorised
    /// Unauthorised absence (`G N O`).
    case unauthorised
    /// Unauthorised absence: arrived after the register closed (`U`).
    case unauthorisedLate
    /// Not a possible session, so not counted at all (`D X Q Y1`–`Y7 Z #`, legacy `Y`).
    case notPossible

    /// Whether the session counts as a possible session in the statistics.
    @inlinable
    public var isPossible: Bool { self != .notPossible }

    /// Whether the session counts towards overall attendance: present, present late, or attending an
    /// approved educational activity.
    @inlinable
    public var isAttendance: Bool {
        switch self {
        case .present, .presentLate, .approvedActivity: return true
        default: return false
        }
    }

    /// Whether the session is an authorised absence (leave of absence or other authorised reason).
    @inlinable
    public var isAuthorisedAbsence: Bool { self == .leaveOfAbsence || self == .otherAuthorised }

    /// Whether the session is an unauthorised absence (including arriving after the register closed).
    @inlinable
    public var isUnauthorisedAbsence: Bool { self == .unauthorised || self == .unauthorisedLate }

    /// Whether the session is an absence, authorised or not.
    @inlinable
    public var isAbsence: Bool { isAuthorisedAbsence || isUnauthorisedAbsence }

    /// Whether the session counts as a late session (`L` or `U`).
    @inlinable
    public var isLate: Bool { self == .presentLate || self == .unauthorisedLate }
}

/// One attendance code as recorded in a register, identified by a small index into the code table.
///
/// The code table (``AttendanceCode/all``) is the single place that classifies register codes: the
/// 34 DfE codes in force from 19 August 2024 followed by the legacy codes `H`, `F`, `J` and `Y`
/// that appear in imported history. A code's ``index`` is its position in that table; positions
/// never change (new codes are only ever appended), so the index may be stored in compact
/// projection state. Codes compare by index, i.e. in table order.
public struct AttendanceCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Position in the code table (``AttendanceCode/all``). Stable: safe to persist in projection state.
    public let index: UInt8

    /// Wraps a table position; the caller guarantees it is below the table size.
    @usableFromInline
    init(uncheckedIndex: UInt8) { self.index = uncheckedIndex }

    /// Parses a code exactly as recorded: `/`, `\`, `L`, …, `C1`, `Y7`, and the legacy `H`, `F`, `J`
    /// and `Y`. Case-sensitive; nil for anything else (including surrounding spaces).
    @inlinable
    public init?(_ text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// Parses a code from its UTF-8 bytes (for importers reading raw CSV or JSON bytes); the same
    /// rules as ``init(_:)``. Reads at most three bytes and never allocates.
    @inlinable
    public init?(utf8 bytes: some Sequence<UInt8>) {
        var iterator = bytes.makeIterator()
        guard let first = iterator.next() else { return nil }
        let second = iterator.next()
        if second != nil, iterator.next() != nil { return nil }
        let found = AttendanceCode.tableIndex(first, second)
        guard found != AttendanceCode.noIndex else { return nil }
        self.init(uncheckedIndex: found)
    }

    /// Sentinel returned by ``tableIndex(_:_:)`` for an unknown code.
    @usableFromInline
    static var noIndex: UInt8 { 0xFF }

    /// Maps the bytes of a one- or two-byte code to its table index, or ``noIndex``.
    ///
    /// Must agree with the order of `AttendanceCode.entries` (AttendanceCode+Table.swift); the tests
    /// round-trip every table entry and refuse every other one- and two-character ASCII string.
    @inlinable
    static func tableIndex(_ first: UInt8, _ second: UInt8?) -> UInt8 {
        guard let second else {
            switch first {
            case 0x2F: return 0   // "/"
            case 0x5C: return 1   // "\"
            case 0x4C: return 2   // "L"
            case 0x4B: return 3   // "K"
            case 0x56: return 4   // "V"
            case 0x50: return 5   // "P"
            case 0x57: return 6   // "W"
            case 0x42: return 7   // "B"
            case 0x4D: return 9   // "M"
            case 0x53: return 11  // "S"
            case 0x43: return 13  // "C"
            case 0x54: return 14  // "T"
            case 0x52: return 15  // "R"
            case 0x49: return 16  // "I"
            case 0x45: return 17  // "E"
            case 0x47: return 18  // "G"
            case 0x4E: return 19  // "N"
            case 0x4F: return 20  // "O"
            case 0x55: return 21  // "U"
            case 0x44: return 22  // "D"
            case 0x58: return 23  // "X"
            case 0x51: return 24  // "Q"
            case 0x5A: return 32  // "Z"
            case 0x23: return 33  // "#"
            case 0x48: return 34  // "H" (legacy)
            case 0x46: return 35  // "F" (legacy)
            case 0x4A: return 36  // "J" (legacy)
            case 0x59: return 37  // "Y" (legacy)
            default: return noIndex
            }
        }
        switch first {
        case 0x43:  // "C1", "C2"
            switch second {
            case 0x31: return 8
            case 0x32: return 12
            default: return noIndex
            }
        case 0x4A:  // "J1"
            return second == 0x31 ? 10 : noIndex
        case 0x59:  // "Y1" … "Y7"
            return second >= 0x31 && second <= 0x37 ? 25 &+ (second &- 0x31) : noIndex
        default:
            return noIndex
        }
    }

    /// The code as recorded, e.g. `C1`.
    public var text: String { AttendanceCode.entries[Int(index)].text }

    /// The code as recorded (same as ``text``).
    public var description: String { text }

    /// The short DfE description, e.g. "Leave of absence for exceptional circumstances" for `C`.
    public var meaning: String { AttendanceCode.entries[Int(index)].meaning }

    /// Whether this is a legacy code (`H`, `F`, `J`, `Y`) kept only to read imported history.
    public var isLegacy: Bool { AttendanceCode.validBeforeDay[Int(index)] != Int32.max }

    /// Whether this code was introduced on 19 August 2024 (`K Q C1 C2 J1 Y1`–`Y7`) and so is valid
    /// only on sessions from that date.
    public var isIntroduced2024: Bool { AttendanceCode.validFromDay[Int(index)] != Int32.min }

    /// The category of this code on a session of the given date.
    ///
    /// The table allows a category to change on 19 August 2024, though no code's does today. Legacy
    /// codes are classified even on dates where ``validate(on:session:)`` would refuse them, as DfE's
    /// statistics classify the legacy codes still found in migrated history: `F` as `H` (authorised
    /// leave of absence), `H` as authorised absence, `J` as approved educational activity (the interview
    /// leave of absence is `J1`) and `Y` as not a possible session.
    @inlinable
    public func category(on date: SchoolDate) -> AttendanceCategory {
        date.day < AttendanceCode.codeChange2024Day
            ? AttendanceCode.categoriesBefore2024[Int(index)]
            : AttendanceCode.categoriesFrom2024[Int(index)]
    }

    /// Checks that the code may be recorded on a session of that date, and that a present code matches the session.
    ///
    /// Returns nil if the code is fine; otherwise the problem: a 2024 code before 19 August 2024, a
    /// retired code on or after its retirement (`H`, `J`, `Y` from 19 August 2024; `F` from
    /// 1 September 2013), or `/` in the afternoon or `\` in the morning.
    public func validate(on date: SchoolDate, session: Session) -> AttendanceCodeProblem? {
        let position = Int(index)
        if date.day < AttendanceCode.validFromDay[position] {
            return .introducedIn2024(code: text, date: date)
        }
        if date.day >= AttendanceCode.validBeforeDay[position] {
            return .retired(code: text, date: date)
        }
        switch (self, session) {
        case (.present, .pm), (.presentPM, .am):
            return .wrongSession(code: text, session: session)
        default:
            return nil
        }
    }

    /// ``validate(on:session:)`` for a mark entered now (`migrated` false), or for history migrated from
    /// another system with the time it was recorded there (`migrated` true).
    ///
    /// Migrated history is what the other system recorded: a legacy code after its retirement (see
    /// ``isRetired(on:)``) is accepted there, to be reported as a warning, and classified by
    /// ``category(on:)``. A 2024 code before 19 August 2024 is refused either way, since no system could
    /// have recorded it then.
    public func validate(on date: SchoolDate, session: Session, migrated: Bool) -> AttendanceCodeProblem? {
        if migrated && isRetired(on: date) { return nil }
        return validate(on: date, session: session)
    }

    /// Whether this is a legacy code on a session on or after its retirement: `F` from 1 September 2013,
    /// `H`, `J` and `Y` from 19 August 2024.
    public func isRetired(on date: SchoolDate) -> Bool { date.day >= AttendanceCode.validBeforeDay[Int(index)] }

    /// The first session date on which the code may be recorded, or nil if it has always been valid.
    var introducedOn: SchoolDate? {
        let day = AttendanceCode.validFromDay[Int(index)]
        return day == Int32.min ? nil : SchoolDate(day: day)
    }

    /// The first session date on which the code may no longer be recorded, or nil if it is current.
    var retiredOn: SchoolDate? {
        let day = AttendanceCode.validBeforeDay[Int(index)]
        return day == Int32.max ? nil : SchoolDate(day: day)
    }

    /// Whether this code records a closure: planned (`#`) or unavoidable (`Y1`–`Y7`).
    public var isClosureCode: Bool { self == .closure || (index >= 25 && index <= 31) }

    /// Whether a mark with this code must carry minutes late (`L` and `U`).
    public var needsMinutesLate: Bool { self == .late || self == .unauthorisedLate }

    /// Codes compare by table position.
    public static func < (lhs: AttendanceCode, rhs: AttendanceCode) -> Bool { lhs.index < rhs.index }

    /// Every code, in table order (``index`` equals the position in this array).
    public static let all: [AttendanceCode] = (0..<entries.count).map { AttendanceCode(uncheckedIndex: UInt8($0)) }

    /// 19 August 2024, the day the 2024 regulations' codes came into force.
    public static let codeChange2024 = SchoolDate(day: codeChange2024Day)

    /// Day number of 2024-08-19 (``codeChange2024``), for the hot path of ``category(on:)``.
    @usableFromInline
    static var codeChange2024Day: Int32 { 19_954 }

    /// Day number of 2013-09-01, from which `F` (extended holiday) was merged into `H`.
    static var extendedHolidayRetiredDay: Int32 { 15_949 }

    // MARK: Named codes

    /// `/` — present in the morning session.
    public static let present = AttendanceCode(uncheckedIndex: 0)
    /// `\` — present in the afternoon session.
    public static let presentPM = AttendanceCode(uncheckedIndex: 1)
    /// `L` — late arrival before the register closed (present; needs minutes late).
    public static let late = AttendanceCode(uncheckedIndex: 2)
    /// `U` — arrived after the register closed (unauthorised absence; needs minutes late).
    public static let unauthorisedLate = AttendanceCode(uncheckedIndex: 21)
    /// `N` — reason for absence not yet established (must be resolved within 5 school days).
    public static let noReason = AttendanceCode(uncheckedIndex: 19)
    /// `O` — absent in other or unknown circumstances (unauthorised).
    public static let unauthorisedOther = AttendanceCode(uncheckedIndex: 20)
    /// `#` — planned whole school closure (not possible).
    public static let closure = AttendanceCode(uncheckedIndex: 33)
    /// `D` — dual registered, attending the other school (not possible).
    public static let dualRegistered = AttendanceCode(uncheckedIndex: 22)
    /// `X` — non-compulsory school age, not required to attend (not possible).
    public static let notCompulsory = AttendanceCode(uncheckedIndex: 23)
    /// `I` — illness, not a medical or dental appointment (authorised).
    public static let sick = AttendanceCode(uncheckedIndex: 16)
    /// `G` — holiday not granted by the school (unauthorised).
    public static let holidayUnauthorised = AttendanceCode(uncheckedIndex: 18)
    /// `Y1`–`Y7` — unable to attend because of an unavoidable cause, used for unplanned closures.
    public static let closureCodes: [AttendanceCode] = (25...31).map { AttendanceCode(uncheckedIndex: UInt8($0)) }
}

/// Why a code may not be recorded for a particular session.
public enum AttendanceCodeProblem: Sendable, Hashable, CustomStringConvertible {
    /// The code was introduced on 19 August 2024 and the session is earlier.
    case introducedIn2024(code: String, date: SchoolDate)
    /// The code was retired (`H`, `J`, `Y` on 19 August 2024; `F` on 1 September 2013) and the
    /// session is on or after that day.
    case retired(code: String, date: SchoolDate)
    /// A present code for the wrong session: `/` is morning only, `\` afternoon only.
    case wrongSession(code: String, session: Session)

    /// A clear, one-sentence message naming the code and the session date or session.
    public var description: String {
        switch self {
        case let .introducedIn2024(code, date):
            let introduced = AttendanceCode(code)?.introducedOn ?? AttendanceCode.codeChange2024
            return "Code \(code) was introduced on \(AttendanceCodeProblem.longDate(introduced)) "
                + "and cannot be recorded for \(date)."
        case let .retired(code, date):
            guard let retired = AttendanceCode(code)?.retiredOn else {
                return "Code \(code) was retired and cannot be recorded for \(date)."
            }
            return "Code \(code) was retired on \(AttendanceCodeProblem.longDate(retired)) "
                + "and cannot be recorded for \(date)."
        case let .wrongSession(code, session):
            let part = session == .am ? "afternoon" : "morning"
            let article = session == .am ? "an" : "a"
            return "Code \(code) marks presence in the \(part) and cannot be recorded for \(article) \(session) session."
        }
    }

    /// "19 August 2024".
    static func longDate(_ date: SchoolDate) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                      "September", "October", "November", "December"]
        let (year, month, day) = date.components
        return "\(day) \(months[month - 1]) \(year)"
    }
}
