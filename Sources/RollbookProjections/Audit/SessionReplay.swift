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

    /// Folds `envelopes` (in log order: every event that touches the focused session, see ``touch(_:)``)
    /// as ``LedgerReplay`` folds the whole log, up to `asOf` when given.
    ///
    /// Returns nil when the events cannot stand in for the whole log at that moment: an event they hold
    /// was appended after `asOf` but may be known earlier through migrated history (the pupil's admission,
    /// or a term holding the date when a closure is among them), which the whole log alone can decide
    /// (``KnowledgeFilter`` releases it at the first migrated mark that needs it, of any session).
    public init?(focus: AmendmentHistory.Focus, envelopes: [EventEnvelope], asOf: Timestamp?) {
        var state = LedgerState()
        var history = AmendmentHistory(focus: focus)
        if let asOf {
            let anyClosure = envelopes.contains { if case .closureRecorded = $0.event { true } else { false } }
            for envelope in envelopes where envelope.at > asOf {
                switch envelope.event {
                case .pupilAdmitted(let e) where e.upn == focus.upn: return nil
                case .termAdded(let e) where anyClosure && e.from <= focus.date && focus.date <= e.to: return nil
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
