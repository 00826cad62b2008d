import RollbookDomain
import RollbookLog

/// The checks a full verification makes of the events themselves, beyond the chain: the fold behind
/// the second half of `rollbook verify` (and, independently, of `tools/verify_ledger.py`).
///
/// - the checkpoint's label is `rollbook/` followed by the URN of the `ledger.opened` event;
/// - no session is marked twice: a `mark.recorded` for a session that a `mark.recorded` or a
///   `mark.amended` earlier in the log already marked is a change with no amendment;
/// - every `retention.disposed` event's `before` date is at least six years before its own `at`
///   (``RetentionIndex/sixYearsBefore(_:)``);
/// - a stub whose previous whole line was appended on or after the `before` date of the disposal that
///   covers it is flagged (only history migrated with an earlier `recorded_at` may be disposed of so
///   soon after it was appended): a warning, not a failure, since the log cannot tell the two apart.
///
/// A pure fold: feed ``stub(seq:)`` for each stub and ``apply(_:state:)`` for each event with the
/// state just before it, in log order, then read ``faults(label:)`` and ``warnings()``.
public struct LedgerAudit: Sendable {
    /// A stub the disposal rules may flag: its seq and the time of the whole line before it.
    struct Stub {
        var seq: Int
        var previousAt: Timestamp?
    }

    /// A disposal flagged for lines appended on or after its `before` date.
    public struct Warning: Sendable, Hashable, CustomStringConvertible {
        /// The first flagged stub.
        public var seq: Int
        /// The disposal event covering it.
        public var disposalSeq: Int
        /// How many of that disposal's stubs are flagged.
        public var count: Int
        /// The disposal's `before` date.
        public var before: SchoolDate

        public var description: String {
            "\(count) disposed line\(count == 1 ? "" : "s") from seq \(seq) on, covered by the disposal at seq \(disposalSeq) of "
                + "entries made before \(before), lie among lines appended on or after that date: only history migrated with an "
                + "earlier recorded_at may be disposed of so soon; check the disposal against the school's records"
        }
    }

    var opened: (seq: Int, urn: String)?
    /// Sessions marked by a pupil the state does not know (it ignores their marks): upn to keys.
    var strayMarks: [String: Set<Int64>] = [:]
    var firstFault: LogFault?
    var stubs: [Stub] = []
    var disposals: [(seq: Int, event: RetentionDisposed)] = []
    var lastAt: Timestamp?

    /// Creates an empty audit.
    public init() {}

    /// Notes a disposal stub at `seq`.
    public mutating func stub(seq: Int) {
        stubs.append(Stub(seq: seq, previousAt: lastAt))
    }

    /// Folds one event; `state` is the ledger state just **before** the event is applied.
    public mutating func apply(_ envelope: EventEnvelope, state: LedgerState) {
        lastAt = envelope.at
        switch envelope.event {
        case .ledgerOpened(let e):
            if opened == nil { opened = (envelope.seq, e.urn) }
        case .markRecorded(let e):
            recorded(seq: envelope.seq, at: envelope.at, date: e.date, session: e.session,
                     alreadyMarked: marked(state, upn: e.upn, date: e.date, session: e.session))
            noteStray(state, upn: e.upn, date: e.date, session: e.session)
        case .markAmended(let e):
            noteStray(state, upn: e.upn, date: e.date, session: e.session)
        case .retentionDisposed(let e):
            disposals.append((envelope.seq, e))
            let latest = RetentionIndex.sixYearsBefore(SchoolDate(day: envelope.at.dayNumber))
            if e.before > latest {
                fault(LogFault(seq: envelope.seq, segment: nil, line: nil,
                               problem: "the disposal of entries made before \(e.before) was recorded on \(SchoolDate(day: envelope.at.dayNumber)), less than six years later (nothing made on or after \(latest) can be past retention then)"))
            }
        case .termAdded, .closureRecorded, .pupilAdmitted, .pupilDetailsChanged, .pupilDeleted, .registerTaken,
             .interventionRecorded, .returnsSent, .clockCorrected:
            return
        }
    }

    /// Folds a `mark.recorded` at `seq`: a fault when its session was `alreadyMarked` (by this pupil's
    /// marks in the state or among the marks of pupils not admitted). ``MarkFold`` calls it directly.
    mutating func recorded(seq: Int, at: Timestamp, date: SchoolDate, session: Session, alreadyMarked: Bool) {
        lastAt = at
        if alreadyMarked {
            fault(LogFault(seq: seq, segment: nil, line: nil,
                           problem: "a second mark.recorded for a session already marked (\(date) \(session)): a change with no amendment, no reason and no author of a change"))
        }
    }

    func marked(_ state: LedgerState, upn: String, date: SchoolDate, session: Session) -> Bool {
        if let pupil = state.pupilIndex[upn], state.mark(pupil: pupil, date: date, session: session) != nil { return true }
        return strayMarks[upn]?.contains(LedgerAudit.key(date, session)) ?? false
    }

    mutating func noteStray(_ state: LedgerState, upn: String, date: SchoolDate, session: Session) {
        // The state keeps the marks of admitted pupils; remember the others here (rare).
        if state.pupilIndex[upn] == nil { strayMarks[upn, default: []].insert(LedgerAudit.key(date, session)) }
    }

    static func key(_ date: SchoolDate, _ session: Session) -> Int64 { Int64(date.day) * 2 + Int64(session.rawValue) }

    mutating func fault(_ f: LogFault) {
        if f.seq < firstFault?.seq ?? Int.max { firstFault = f }
    }

    /// The first fault (smallest seq) of the rules above, with the checkpoint's `label`.
    public func fault(label: String?) -> LogFault? {
        var first = firstFault
        if let opened, let label, label != "rollbook/" + opened.urn {
            let f = LogFault(seq: opened.seq, segment: nil, line: nil,
                             problem: "the checkpoint's label \(label) does not name this ledger, which was opened for URN \(opened.urn)")
            if f.seq < first?.seq ?? Int.max { first = f }
        }
        return first
    }

    /// The disposals whose stubs lie among lines appended on or after their `before` date, in order
    /// of their first flagged stub.
    public func warnings() -> [Warning] {
        // Each stub's disposal: the first disposal in log order, later than the stub, whose ranges name it.
        var owner = [Int](repeating: -1, count: stubs.count)
        for (index, d) in disposals.enumerated() {
            for r in d.event.ranges where r.firstSeq <= r.lastSeq {
                var i = lowerBound(r.firstSeq)
                while i < stubs.count, stubs[i].seq <= r.lastSeq {
                    if owner[i] < 0, stubs[i].seq < d.seq { owner[i] = index }
                    i += 1
                }
            }
        }
        var byDisposal: [Int: Warning] = [:]
        for (i, stub) in stubs.enumerated() where owner[i] >= 0 {
            let disposal = disposals[owner[i]]
            guard let previousAt = stub.previousAt, SchoolDate(day: previousAt.dayNumber) >= disposal.event.before else { continue }
            byDisposal[disposal.seq, default: Warning(seq: stub.seq, disposalSeq: disposal.seq, count: 0, before: disposal.event.before)]
                .count += 1
        }
        return byDisposal.values.sorted { $0.seq < $1.seq }
    }

    /// The index of the first stub whose seq is at least `seq`.
    func lowerBound(_ seq: Int) -> Int {
        var low = 0, high = stubs.count
        while low < high {
            let mid = (low + high) / 2
            if stubs[mid].seq < seq { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
