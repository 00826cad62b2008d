import RollbookDomain
import RollbookLog

/// Every change to the code standing in a register session made by events known after a moment (appended
/// then, or migrated with a later `recorded_at`):
/// the fold behind `rollbook-replay diff`.
///
/// A change is a session whose effective code (closures applied, as the register shows it) or minutes
/// late differ before and after one event: a mark recorded, a mark amended, a closure that overrides
/// marks (one change per pupil on roll and session it overrides), or a deletion from roll or re-admission
/// that takes marked sessions out of the registers (after is nil) or brings them back (before is nil). A pure fold: call ``willApply(_:state:)``
/// with the state before each envelope and ``didApply(_:state:)`` with the state after it.
public struct RegisterChanges: Sendable {
    /// One session's change.
    public struct Change: Sendable, Hashable {
        /// The event that made the change.
        public var seq: Int
        /// The pupil.
        public var upn: String
        /// The date of the session.
        public var date: SchoolDate
        /// AM or PM.
        public var session: Session
        /// The code standing before, or nil when the session was unmarked.
        public var before: AttendanceCode?
        /// Minutes late before.
        public var beforeMinutesLate: Int?
        /// The code standing after, or nil when the session is unmarked.
        public var after: AttendanceCode?
        /// Minutes late after.
        public var afterMinutesLate: Int?
        /// When the event was appended.
        public var at: Timestamp
        /// Who made it.
        public var author: Author
    }

    struct Pending {
        var pupil: Int
        var date: SchoolDate
        var session: Session
        var code: AttendanceCode?
        var minutesLate: Int?
    }

    struct RollSnapshot {
        var pupil: Int
        var sessions: [MarkKey: (code: AttendanceCode, minutesLate: Int?)]
    }

    /// Changes are collected from events appended strictly after this moment (all when nil).
    public let after: Timestamp?
    /// The changes in log order (within one event: pupil admission order, date, session).
    public private(set) var changes: [Change] = []
    var pending: [Pending] = []
    var roll: RollSnapshot?

    /// Creates an empty fold that collects changes appended after `after`.
    public init(after: Timestamp?) { self.after = after }

    static func standing(_ state: LedgerState, _ pupil: Int, _ date: SchoolDate, _ session: Session) -> (AttendanceCode?, Int?) {
        guard let effective = state.effectiveCode(pupil: pupil, date: date, session: session) else { return (nil, nil) }
        return (effective.code, effective.closure == nil ? effective.entry?.minutesLate : nil)
    }

    /// The sessions a pupil shows in registers (on roll, with a code standing), over the whole calendar.
    static func sessionsOnRoll(_ state: LedgerState, _ pupil: Int) -> [MarkKey: (code: AttendanceCode, minutesLate: Int?)] {
        var out: [MarkKey: (code: AttendanceCode, minutesLate: Int?)] = [:]
        guard let first = state.calendar.terms.first?.from, let last = state.calendar.terms.map(\.to).max() else { return out }
        state.forEachSession(of: state.pupils[pupil], from: first, to: last) { date, session, code in
            guard code != nil else { return }
            let (code, minutes) = RegisterChanges.standing(state, pupil, date, session)
            if let code { out[MarkKey(pupil: pupil, date: date, session: session)] = (code, minutes) }
        }
        return out
    }

    /// Notes the sessions `envelope` may change and their values; `state` is the state before it is applied.
    public mutating func willApply(_ envelope: EventEnvelope, state: LedgerState) {
        pending.removeAll(keepingCapacity: true)
        roll = nil
        if let after, envelope.knownAt <= after { return }
        func note(_ upn: String, _ date: SchoolDate, _ session: Session) {
            guard let pupil = state.pupilIndex[upn] else { return }
            let (code, minutes) = RegisterChanges.standing(state, pupil, date, session)
            pending.append(Pending(pupil: pupil, date: date, session: session, code: code, minutesLate: minutes))
        }
        switch envelope.event {
        case .markRecorded(let e): note(e.upn, e.date, e.session)
        case .markAmended(let e): note(e.upn, e.date, e.session)
        case .closureRecorded(let e):
            var day = e.from
            while day <= e.to {
                if state.calendar.isSchoolDay(day) {
                    for pupil in state.pupils where pupil.isOnRoll(day) {
                        for session in Session.allCases where e.session == nil || e.session == session {
                            let (code, minutes) = RegisterChanges.standing(state, pupil.index, day, session)
                            pending.append(Pending(pupil: pupil.index, date: day, session: session, code: code, minutesLate: minutes))
                        }
                    }
                }
                day = day.adding(days: 1)
            }
        case .pupilAdmitted(let e):
            // A re-admission moves the pupil's time on roll: sessions may appear in or leave the registers.
            if let pupil = state.pupilIndex[e.upn] { roll = RollSnapshot(pupil: pupil, sessions: RegisterChanges.sessionsOnRoll(state, pupil)) }
        case .pupilDeleted(let e):
            // A deletion takes the pupil off the registers from its date: sessions marked from then leave them.
            if let pupil = state.pupilIndex[e.upn] { roll = RollSnapshot(pupil: pupil, sessions: RegisterChanges.sessionsOnRoll(state, pupil)) }
        case .ledgerOpened, .termAdded, .pupilDetailsChanged, .registerTaken, .interventionRecorded, .returnsSent, .retentionDisposed:
            return
        }
    }

    /// Records the changes `envelope` made; `state` is the state after it was applied.
    public mutating func didApply(_ envelope: EventEnvelope, state: LedgerState) {
        for p in pending {
            let (code, minutes) = RegisterChanges.standing(state, p.pupil, p.date, p.session)
            if code == p.code && minutes == p.minutesLate { continue }
            changes.append(Change(seq: envelope.seq, upn: state.pupils[p.pupil].upn, date: p.date, session: p.session,
                                  before: p.code, beforeMinutesLate: p.minutesLate, after: code, afterMinutesLate: minutes,
                                  at: envelope.knownAt, author: envelope.author))
        }
        pending.removeAll(keepingCapacity: true)
        if let roll {
            let now = RegisterChanges.sessionsOnRoll(state, roll.pupil)
            for key in Set(roll.sessions.keys).union(now.keys).sorted() {
                let b = roll.sessions[key], a = now[key]
                if b?.code == a?.code && b?.minutesLate == a?.minutesLate { continue }
                changes.append(Change(seq: envelope.seq, upn: state.pupils[roll.pupil].upn, date: key.date, session: key.session,
                                      before: b?.code, beforeMinutesLate: b?.minutesLate, after: a?.code, afterMinutesLate: a?.minutesLate,
                                      at: envelope.knownAt, author: envelope.author))
            }
            self.roll = nil
        }
    }
}
