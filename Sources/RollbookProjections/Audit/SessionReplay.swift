import RollbookDomain
import RollbookLog

/// The history of one pupil-session folded from only the events that can change it: what lets a reader
/// that knows where those events are (the replay tool's own index) answer without reading the whole log.
///
/// ``touch(_:)`` says which sessions an event can change; a reader that hands ``init(focus:envelopes:asOf:)``
/// every event touching the focused session (more is harmless), in log order, gets the same
/// ``AmendmentHistory`` values, the same standing code, the same disposals and the same "no such pupil" as
/// ``LedgerReplay/load(directory:asOf:visit:before:progress:)`` with an ``AmendmentHistory`` fold over the
/// whole log. The events nothing here reads (interventions, registers taken, returns, details, clock
/// corrections, the opening) cannot change any of those.
public struct SessionReplay: Sendable {
    /// Which sessions an event can change.
    public enum Touch: Sendable, Hashable {
        /// One pupil-session (a mark or an amendment).
        case session(upn: String, date: SchoolDate, session: Session)
        /// Every session of one pupil (admission and leaving: a mark counts only for an admitted pupil).
        case pupil(upn: String)
        /// Every pupil's sessions on the dates from `from` to `to` (a term makes them school days; a closure).
        case dates(from: SchoolDate, to: SchoolDate)
        /// Every session (a retention disposal).
        case everySession
    }

    /// The sessions `event` can change, or nil when it changes none of what a session's history shows.
    public static func touch(_ event: Event) -> Touch? {
        switch event {
        case .markRecorded(let e): return .session(upn: e.upn, date: e.date, session: e.session)
        case .markAmended(let e): return .session(upn: e.upn, date: e.date, session: e.session)
        case .pupilAdmitted(let e): return .pupil(upn: e.upn)
        case .pupilDeleted(let e): return .pupil(upn: e.upn)
        case .termAdded(let e): return .dates(from: e.from, to: e.to)
        case .closureRecorded(let e): return .dates(from: e.from, to: e.to)
        case .retentionDisposed: return .everySession
        case .ledgerOpened, .pupilDetailsChanged, .registerTaken, .interventionRecorded, .returnsSent, .clockCorrected:
            return nil
        }
    }

    /// The session's values.
    public private(set) var history: AmendmentHistory
    /// The state the events given fold into: exact for the focused pupil, session and date only.
    public private(set) var state: LedgerState

    /// The pupil of a mark migrated with a `recorded_at` before its append time (known before it was
    /// appended), or nil: at an as-of moment such a mark can release the pupil's admission held back by
    /// ``KnowledgeFilter``, whatever session it is for.
    public static func migratedMarkPupil(_ envelope: EventEnvelope) -> String? {
        guard case .markRecorded(let e) = envelope.event, envelope.knownAt < envelope.at else { return nil }
        return e.upn
    }

    /// Whether ``init(focus:envelopes:asOf:)`` needs, besides the events touching the session, every mark
    /// of the pupil migrated with an earlier `recorded_at` (``migratedMarkPupil(_:)``): at `asOf`, when an
    /// admission of the pupil among `envelopes` was appended after it.
    public static func needsMigratedMarks(focus: AmendmentHistory.Focus, envelopes: [EventEnvelope], asOf: Timestamp?) -> Bool {
        guard let asOf else { return false }
        return envelopes.contains { envelope in
            if case .pupilAdmitted(let e) = envelope.event { e.upn == focus.upn && envelope.at > asOf } else { false }
        }
    }

    /// Folds `envelopes` (in log order: every event that touches the focused session, see ``touch(_:)``,
    /// and, when ``needsMigratedMarks(focus:envelopes:asOf:)``, every migrated mark of the pupil) as
    /// ``LedgerReplay`` folds the whole log, up to `asOf` when given.
    ///
    /// Returns nil when the events cannot stand in for the whole log at that moment: a term holding the
    /// date was appended after `asOf` and a closure known at `asOf` follows it in the log (only after a
    /// clock correction): whether the closure applied depends on whether the term was known by then,
    /// which ``KnowledgeFilter`` decides at the first migrated mark in the term, of any pupil, so only
    /// the whole log can say.
    public init?(focus: AmendmentHistory.Focus, envelopes: [EventEnvelope], asOf: Timestamp?) {
        var state = LedgerState()
        var history = AmendmentHistory(focus: focus)
        if let asOf {
            // A held term matters only to a closure applied after it (known by then, later in the log).
            var heldTerm = false
            for envelope in envelopes {
                switch envelope.event {
                case .termAdded(let e) where envelope.at > asOf && e.from <= focus.date && focus.date <= e.to: heldTerm = true
                case .closureRecorded where heldTerm && envelope.at <= asOf: return nil
                default: continue
                }
            }
            var filter = KnowledgeFilter(asOf: asOf)
            for envelope in envelopes {
                let applied = filter.admit(envelope) { known in
                    state.apply(known)
                    history.apply(known, state: state)
                }
                // As in LedgerReplay: content disposed of is gone at every as-of moment.
                if !applied, case .retentionDisposed(let e) = envelope.event { state.disposals.append((envelope.seq, e)) }
            }
        } else {
            for envelope in envelopes {
                state.apply(envelope)
                history.apply(envelope, state: state)
            }
        }
        self.history = history
        self.state = state
    }
}
