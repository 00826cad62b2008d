import RollbookDomain
import RollbookLog

extension EventEnvelope {
    /// When the ledger knew the event: a mark migrated from another system with `recorded_at` is known
    /// from that moment (or its append time, if earlier); every other event from its append time `at`.
    public var knownAt: Timestamp {
        if case .markRecorded(let e) = event, let recorded = e.recordedAt, recorded < at { return recorded }
        return at
    }
}

/// Which events count as known at an as-of moment (PRODUCT.md section 3, "Two time axes").
///
/// An event is known from ``EventEnvelope/knownAt``. History migrated with `recorded_at` was known to
/// the system it came from before it was appended here, and so were the school, the term and the pupil
/// each migrated mark belongs to: the ledger's opening, a term and a pupil's admission appended after
/// the as-of moment are held back and released, in log order, when the first mark known at that moment
/// needs them (a mark of that pupil, in that term, dated on or after that admission).
struct KnowledgeFilter {
    let asOf: Timestamp
    private var held: [EventEnvelope] = []

    init(asOf: Timestamp) { self.asOf = asOf }

    /// Passes `envelope`, and any held event it makes known first, to `apply`; holds or drops it when it
    /// was not yet known. Returns false when the envelope itself was not applied.
    @discardableResult
    mutating func admit(_ envelope: EventEnvelope, apply: (EventEnvelope) throws -> Void) rethrows -> Bool {
        if envelope.at <= asOf {
            try apply(envelope)
            return true
        }
        switch envelope.event {
        case .ledgerOpened, .termAdded, .pupilAdmitted:
            held.append(envelope)
            return false
        case .markRecorded(let mark):
            guard envelope.knownAt <= asOf else { return false }
            if !held.isEmpty {
                var released: [EventEnvelope] = []
                held.removeAll { e in
                    let needed: Bool
                    switch e.event {
                    case .ledgerOpened: needed = true
                    case .termAdded(let t): needed = t.from <= mark.date && mark.date <= t.to
                    case .pupilAdmitted(let p): needed = p.upn == mark.upn && p.admitted <= mark.date
                    case .pupilDetailsChanged, .pupilDeleted, .registerTaken, .markRecorded, .markAmended, .closureRecorded,
                         .interventionRecorded, .returnsSent, .retentionDisposed:
                        needed = false
                    }
                    if needed { released.append(e) }
                    return needed
                }
                for e in released { try apply(e) }
            }
            try apply(envelope)
            return true
        case .pupilDetailsChanged, .pupilDeleted, .registerTaken, .markAmended, .closureRecorded, .interventionRecorded,
             .returnsSent, .retentionDisposed:
            return false
        }
    }
}
