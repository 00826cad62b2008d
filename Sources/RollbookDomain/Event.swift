import RollbookLog

/// Everything that can happen to a ledger, in the past tense; the log is a sequence of these.
///
/// The JSON of each case (its `type` string, version and members) is written by hand in
/// `Event+JSON.swift` and documented in `events/README.md`. Adding a case breaks every exhaustive
/// `switch` over events, which is where it must be handled.
public enum Event: Sendable, Hashable {
    /// A new ledger was opened for a school.
    case ledgerOpened(LedgerOpened)
    /// A term was added to the calendar.
    case termAdded(TermAdded)
    /// A closure (`#` planned, `Y1`–`Y7` unplanned) was recorded.
    case closureRecorded(ClosureRecorded)
    /// A pupil was entered on the admission register.
    case pupilAdmitted(PupilAdmitted)
    /// A pupil's details changed.
    case pupilDetailsChanged(PupilDetailsChanged)
    /// A pupil was deleted from the admission register.
    case pupilDeleted(PupilDeleted)
    /// A register (a group's session) was taken.
    case registerTaken(RegisterTaken)
    /// A mark was recorded.
    case markRecorded(MarkRecorded)
    /// A mark was amended.
    case markAmended(MarkAmended)
    /// An intervention (letter, meeting, notice …) was recorded.
    case interventionRecorded(InterventionRecorded)
    /// Notifications were sent to the local authority.
    case returnsSent(ReturnsSent)
    /// Entries past retention were disposed of.
    case retentionDisposed(RetentionDisposed)
}

/// A clock time of day in minutes since midnight, written `HH:MM`.
public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes since midnight.
    public var minutes: Int
    /// Creates a time from minutes since midnight.
    public init(minutes: Int) { self.minutes = minutes }
    /// Parses `HH:MM` (24-hour).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        minutes = h * 60 + m
    }
    /// `HH:MM`.
    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
    public static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }
}

/// When a register is open: from `opens` until `closes` (at most 30 minutes).
public struct RegisterWindow: Sendable, Hashable, CustomStringConvertible {
    /// When the register opens.
    public var opens: ClockTime
    /// When it closes; arrival after this is `U`.
    public var closes: ClockTime
    /// Creates a window.
    public init(opens: ClockTime, closes: ClockTime) {
        self.opens = opens
        self.closes = closes
    }
    /// Parses `HH:MM-HH:MM`, requiring it to open before it closes and stay open at most 30 minutes.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let o = ClockTime(parts[0]), let c = ClockTime(parts[1]), o < c,
              c.minutes - o.minutes <= 30 else { return nil }
        self.init(opens: o, closes: c)
    }
    /// `HH:MM-HH:MM`.
    public var description: String { "\(opens)-\(closes)" }
    /// The default morning register, 08:40–09:00.
    public static let defaultAM = RegisterWindow(opens: ClockTime(minutes: 520), closes: ClockTime(minutes: 540))
    /// The default afternoon register, 13:40–13:45.
    public static let defaultPM = RegisterWindow(opens: ClockTime(minutes: 820), closes: ClockTime(minutes: 825))
}

/// `ledger.opened`: the school a ledger belongs to and its settings.
public struct LedgerOpened: Sendable, Hashable {
    /// The school's unique reference number (6 digits).
    public var urn: String
    /// The school's name.
    public var name: String
    /// The local-authority code (3 digits).
    public var la: String
    /// The establishment number (4 digits).
    public var estab: String
    /// The stage policy (a preset id or a policy file's name).
    public var policy: String
    /// The morning register window.
    public var amRegister: RegisterWindow
    /// The afternoon register window.
    public var pmRegister: RegisterWindow
    /// The policy file's JSON text as it was when the ledger was opened (nil for a preset).
    ///
    /// The ledger carries its own copy, so stages do not depend on where the file was, or whether it
    /// still exists or has changed.
    public var policyDocument: String?
    /// Creates the event.
    public init(urn: String, name: String, la: String, estab: String, policy: String, amRegister: RegisterWindow, pmRegister: RegisterWindow,
                policyDocument: String? = nil) {
        self.urn = urn; self.name = name; self.la = la; self.estab = estab; self.policy = policy
        self.amRegister = amRegister; self.pmRegister = pmRegister; self.policyDocument = policyDocument
    }
}

/// `calendar.term-added`: a term; school days are the weekdays from `from` to `to` inclusive.
public struct TermAdded: Sendable, Hashable {
    /// The term's name, e.g. `Autumn 1`.
    public var name: String
    /// The first day.
    public var from: SchoolDate
    /// The last day.
    public var to: SchoolDate
    /// Creates the event.
    public init(name: String, from: SchoolDate, to: SchoolDate) { self.name = name; self.from = from; self.to = to }
}

/// `calendar.closure-recorded`: the school closed for some sessions.
public struct ClosureRecorded: Sendable, Hashable {
    /// The first day.
    public var from: SchoolDate
    /// The last day.
    public var to: SchoolDate
    /// One session only, or nil for whole days.
    public var session: Session?
    /// `#` (planned) or `Y1`–`Y7` (unplanned).
    public var code: AttendanceCode
    /// Why the school closed.
    public var reason: String
    /// Creates the event.
    public init(from: SchoolDate, to: SchoolDate, session: Session?, code: AttendanceCode, reason: String) {
        self.from = from; self.to = to; self.session = session; self.code = code; self.reason = reason
    }
}

/// The flags an admission records.
public struct PupilFlags: Sendable, Hashable {
    /// Special educational needs (SEN support).
    public var sen: Bool
    /// An education, health and care plan.
    public var ehcp: Bool
    /// Pupil premium.
    public var pp: Bool
    /// Free school meals.
    public var fsm: Bool
    /// Creates flags.
    public init(sen: Bool = false, ehcp: Bool = false, pp: Bool = false, fsm: Bool = false) {
        self.sen = sen; self.ehcp = ehcp; self.pp = pp; self.fsm = fsm
    }
    /// The ids of the set flags, in a fixed order: `ehcp`, `sen`, `pp`, `fsm`.
    public var ids: [String] {
        var out: [String] = []
        if ehcp { out.append("ehcp") }
        if sen { out.append("sen") }
        if pp { out.append("pp") }
        if fsm { out.append("fsm") }
        return out
    }
}

/// `pupil.admitted`: a pupil entered on the admission register.
public struct PupilAdmitted: Sendable, Hashable {
    /// The unique pupil number.
    public var upn: String
    /// Forename.
    public var forename: String
    /// Surname.
    public var surname: String
    /// Date of birth.
    public var dob: SchoolDate
    /// National curriculum year group, e.g. `7` or `R`.
    public var yearGroup: String
    /// Registration group (form), e.g. `7A`.
    public var group: String
    /// The first day on roll.
    public var admitted: SchoolDate
    /// SEN, EHCP, PP, FSM.
    public var flags: PupilFlags
    /// Sex as the admission register holds it (`M` or `F`), when held.
    public var sex: String?
    /// Creates the event.
    public init(upn: String, forename: String, surname: String, dob: SchoolDate, yearGroup: String, group: String, admitted: SchoolDate,
                flags: PupilFlags, sex: String? = nil) {
        self.upn = upn; self.forename = forename; self.surname = surname; self.dob = dob
        self.yearGroup = yearGroup; self.group = group; self.admitted = admitted; self.flags = flags; self.sex = sex
    }
}

/// `pupil.details-changed`: new values for some of a pupil's details (nil members are unchanged).
public struct PupilDetailsChanged: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// New forename.
    public var forename: String?
    /// New surname.
    public var surname: String?
    /// New year group.
    public var yearGroup: String?
    /// New registration group.
    public var group: String?
    /// New flags.
    public var flags: PupilFlags?
    /// Creates the event.
    public init(upn: String, forename: String? = nil, surname: String? = nil, yearGroup: String? = nil, group: String? = nil, flags: PupilFlags? = nil) {
        self.upn = upn; self.forename = forename; self.surname = surname; self.yearGroup = yearGroup; self.group = group; self.flags = flags
    }
}

/// `pupil.deleted`: a pupil deleted from the admission register; not on roll from `on`.
public struct PupilDeleted: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The date of deletion: the first day the pupil is no longer on roll.
    public var on: SchoolDate
    /// The ground for deletion (regulation 9), e.g. `moved to another school`.
    public var ground: String
    /// Creates the event.
    public init(upn: String, on: SchoolDate, ground: String) { self.upn = upn; self.on = on; self.ground = ground }
}

/// `register.taken`: a group's register for one session was taken (the marks are separate events).
public struct RegisterTaken: Sendable, Hashable {
    /// The registration group.
    public var group: String
    /// The date.
    public var date: SchoolDate
    /// The session.
    public var session: Session
    /// Creates the event.
    public init(group: String, date: SchoolDate, session: Session) { self.group = group; self.date = date; self.session = session }
}

/// `mark.recorded`: one attendance mark.
public struct MarkRecorded: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The date of the session.
    public var date: SchoolDate
    /// AM or PM.
    public var session: Session
    /// The code as recorded.
    public var code: AttendanceCode
    /// Minutes late, for `L` and `U`.
    public var minutesLate: Int?
    /// A free-text note.
    public var note: String?
    /// For history migrated from another system: when the entry was originally made there.
    public var recordedAt: Timestamp?
    /// Creates the event.
    public init(upn: String, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int? = nil, note: String? = nil, recordedAt: Timestamp? = nil) {
        self.upn = upn; self.date = date; self.session = session; self.code = code
        self.minutesLate = minutesLate; self.note = note; self.recordedAt = recordedAt
    }
}

/// `mark.amended`: a mark changed, with the five facts the 2024 regulations require (the original
/// entry, the amended entry, the reason, the date of the amendment, and — in the envelope — the name
/// and position of the person who made it).
public struct MarkAmended: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The date of the session.
    public var date: SchoolDate
    /// AM or PM.
    public var session: Session
    /// The entry before the amendment.
    public var original: AttendanceCode
    /// Minutes late recorded with the original entry.
    public var originalMinutesLate: Int?
    /// The entry after the amendment.
    public var amended: AttendanceCode
    /// Minutes late with the amended entry, for `L` and `U`.
    public var minutesLate: Int?
    /// Why the mark was amended.
    public var reason: String
    /// The date of the amendment (the UTC date of the event's time).
    public var amendedOn: SchoolDate
    /// Creates the event.
    public init(upn: String, date: SchoolDate, session: Session, original: AttendanceCode, originalMinutesLate: Int?, amended: AttendanceCode, minutesLate: Int?, reason: String, amendedOn: SchoolDate) {
        self.upn = upn; self.date = date; self.session = session; self.original = original; self.originalMinutesLate = originalMinutesLate
        self.amended = amended; self.minutesLate = minutesLate; self.reason = reason; self.amendedOn = amendedOn
    }
}

/// `intervention.recorded`: an action taken about a pupil's attendance.
public struct InterventionRecorded: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The action id: `welfare-call`, `standard-letter`, `letter`, `meeting`, `home-visit`,
    /// `improvement-plan`, `notice-to-improve`, `penalty-notice`, `la-referral` or `other`.
    public var action: String
    /// The date it was taken.
    public var date: SchoolDate
    /// A note.
    public var note: String?
    /// The action ids the product accepts.
    public static let actions = ["welfare-call", "standard-letter", "letter", "meeting", "home-visit", "improvement-plan",
                                 "notice-to-improve", "penalty-notice", "la-referral", "other"]
    /// Creates the event.
    public init(upn: String, action: String, date: SchoolDate, note: String?) { self.upn = upn; self.action = action; self.date = date; self.note = note }
}

/// `returns.sent`: notifications the school sent to the local authority.
public struct ReturnsSent: Sendable, Hashable {
    /// One notification.
    public struct Entry: Sendable, Hashable {
        /// `continuous-unauthorised-10`, `sickness-15`, `deletion` or `admission`.
        public var kind: String
        /// The pupil.
        public var upn: String
        /// The first date it covers.
        public var from: SchoolDate
        /// The last date it covers.
        public var to: SchoolDate
        /// Creates an entry.
        public init(kind: String, upn: String, from: SchoolDate, to: SchoolDate) { self.kind = kind; self.upn = upn; self.from = from; self.to = to }
    }
    /// What was sent.
    public var entries: [Entry]
    /// Creates the event.
    public init(entries: [Entry]) { self.entries = entries }
}

/// `retention.disposed`: entries past their retention period were removed; the seal says what went.
public struct RetentionDisposed: Sendable, Hashable {
    /// One contiguous run of removed lines.
    public struct Range: Sendable, Hashable {
        /// First removed sequence number.
        public var firstSeq: Int
        /// Last removed sequence number.
        public var lastSeq: Int
        /// Creates a range.
        public init(firstSeq: Int, lastSeq: Int) { self.firstSeq = firstSeq; self.lastSeq = lastSeq }
    }
    /// Entries made before this date were eligible.
    public var before: SchoolDate
    /// The removed runs.
    public var ranges: [Range]
    /// How many lines were removed.
    public var count: Int
    /// SHA-256 over the removed lines' chain hashes, in order (the seal).
    public var seal: SHA256Digest
    /// Creates the event.
    public init(before: SchoolDate, ranges: [Range], count: Int, seal: SHA256Digest) {
        self.before = before; self.ranges = ranges; self.count = count; self.seal = seal
    }
}
