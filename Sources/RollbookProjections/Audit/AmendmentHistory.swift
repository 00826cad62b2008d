import RollbookDomain
import RollbookLog

/// Every amendment in the log, and every value one pupil-session ever had: the fold behind
/// `rollbook-replay amendments` and `rollbook-replay history`.
///
/// A pure fold: feed it each envelope with the ``LedgerState`` *after* that envelope was applied (the
/// shape of ``LedgerReplay/load(directory:asOf:visit:before:)``'s `visit` hook). Amendments are kept
/// for the whole log (they are few); session values are kept only for the session in ``focus``, so the
/// fold stays small on a large ledger.
public struct AmendmentHistory: Sendable {
    /// One `mark.amended` event with its envelope: the five statutory facts and where they are in the log.
    public struct Amendment: Sendable, Hashable {
        /// The sequence number of the amendment.
        public var seq: Int
        /// When it was appended (the date and time of the amendment).
        public var at: Timestamp
        /// Who made it (name and position).
        public var author: Author
        /// The event: pupil, session, original and amended entries, reason and date.
        public var event: MarkAmended
    }

    /// A pupil-session to follow.
    public struct Focus: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// The date of the session.
        public var date: SchoolDate
        /// AM or PM.
        public var session: Session
        /// Creates a focus.
        public init(upn: String, date: SchoolDate, session: Session) { self.upn = upn; self.date = date; self.session = session }
    }

    /// One value a session had, and the entry that gave it.
    public struct Value: Sendable, Hashable {
        /// What kind of entry gave the value.
        public enum Kind: String, Sendable, Hashable {
            /// The original mark (`mark.recorded`).
            case recorded
            /// An amendment (`mark.amended`).
            case amended
            /// A closure that overrides the session (`calendar.closure-recorded`, section 2's rules).
            case closure
        }
        /// The sequence number of the entry.
        public var seq: Int
        /// Recorded, amended or closure.
        public var kind: Kind
        /// The code the session had from this entry on.
        public var code: AttendanceCode
        /// Minutes late, for `L` and `U`.
        public var minutesLate: Int?
        /// When the entry was made (a migrated mark's `recorded_at`, else the time it was appended).
        public var at: Timestamp
        /// Who made the entry.
        public var author: Author
        /// The amendment's reason, or the closure's reason; nil for an original mark.
        public var reason: String?
    }

    /// The session followed, if any.
    public let focus: Focus?
    /// Every amendment in log order.
    public private(set) var amendments: [Amendment] = []
    /// The values of the focused session, oldest first.
    public private(set) var values: [Value] = []

    /// Creates an empty fold, following `focus` (if given) for ``values``.
    public init(focus: Focus? = nil) { self.focus = focus }

    /// Folds one envelope; `state` is the ledger state after the envelope was applied.
    public mutating func apply(_ envelope: EventEnvelope, state: LedgerState) {
        switch envelope.event {
        case .markAmended(let e):
            amendments.append(Amendment(seq: envelope.seq, at: envelope.at, author: envelope.author, event: e))
            guard let focus, e.upn == focus.upn, e.date == focus.date, e.session == focus.session,
                  let pupil = state.pupilIndex[e.upn], state.mark(pupil: pupil, date: e.date, session: e.session)?.amendedSeq == envelope.seq
            else { return }
            values.append(Value(seq: envelope.seq, kind: .amended, code: e.amended, minutesLate: e.minutesLate, at: envelope.at,
                                author: envelope.author, reason: e.reason))
        case .markRecorded(let e):
            guard let focus, e.upn == focus.upn, e.date == focus.date, e.session == focus.session,
                  let pupil = state.pupilIndex[e.upn], state.mark(pupil: pupil, date: e.date, session: e.session)?.seq == envelope.seq
            else { return }
            values.append(Value(seq: envelope.seq, kind: .recorded, code: e.code, minutesLate: e.minutesLate,
                                at: e.recordedAt ?? envelope.at, author: envelope.author, reason: nil))
        case .closureRecorded(let e):
            guard let focus, e.from <= focus.date, focus.date <= e.to, e.session == nil || e.session == focus.session,
                  let closure = state.calendar.closure(focus.date, focus.session), closure.seq == envelope.seq else { return }
            let standing = state.pupilIndex[focus.upn].flatMap { state.mark(pupil: $0, date: focus.date, session: focus.session) }
            if let standing, !LedgerState.closureOverrides(e.code, standing.code) { return }
            values.append(Value(seq: envelope.seq, kind: .closure, code: e.code, minutesLate: nil, at: envelope.at,
                                author: envelope.author, reason: e.reason))
        case .ledgerOpened, .termAdded, .pupilAdmitted, .pupilDetailsChanged, .pupilDeleted, .registerTaken,
             .interventionRecorded, .returnsSent, .retentionDisposed:
            return
        }
    }
}
