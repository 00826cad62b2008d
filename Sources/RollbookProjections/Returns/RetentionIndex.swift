import RollbookDomain
import RollbookLog

/// When every entry of the log was made, and which of them may be disposed of (PRODUCT.md section 9).
///
/// Every entry is kept for six years after the date it was made: the date it was appended, or for
/// history migrated from another system (`mark.recorded` with `recorded_at`) the date it was first made
/// there. It may be disposed of after ``disposeAfter(_:)`` — the same calendar date six years on.
///
/// State still needed is carried forward by never disposing of the entries that hold it:
/// `ledger.opened`, the calendar (terms and closures), `retention.disposed` events (they cover the
/// stubs), and a pupil's admission-register entries (`pupil.admitted`, `pupil.details-changed`,
/// `pupil.deleted`) while the pupil is on roll or any other entry about them is kept, so the projection
/// of who was on roll when never changes for what remains. Everything else past retention is disposable.
public struct RetentionIndex: Sendable {
    /// What an entry holds, as far as retention is concerned.
    public enum Holding: UInt8, Sendable {
        /// Kept for the life of the ledger (the school, the calendar, disposal records).
        case permanent
        /// A pupil's admission-register entries: admission, details, deletion (kept while needed).
        case pupilDetails
        /// Anything else (marks, amendments, registers, interventions, returns).
        case ordinary
    }

    /// One entry (one committed, not yet disposed-of line).
    public struct Entry: Sendable, Hashable {
        /// Its sequence number.
        public var seq: Int
        /// The day it was made.
        public var made: SchoolDate
        /// What it holds.
        public var holding: Holding
        /// The pupil it is about, if one.
        public var upn: String?
    }

    /// The entries in log order.
    public private(set) var entries: [Entry] = []

    /// Creates an empty index.
    public init() {}

    /// Records one applied event.
    public mutating func add(_ envelope: EventEnvelope) {
        var made = SchoolDate(day: envelope.at.dayNumber)
        let holding: Holding
        var upn: String?
        switch envelope.event {
        case .ledgerOpened, .termAdded, .closureRecorded, .retentionDisposed:
            holding = .permanent
        case .pupilAdmitted(let e):
            holding = .pupilDetails; upn = e.upn
        case .pupilDetailsChanged(let e):
            holding = .pupilDetails; upn = e.upn
        case .pupilDeleted(let e):
            holding = .pupilDetails; upn = e.upn
        case .registerTaken, .returnsSent:
            holding = .ordinary
        case .markRecorded(let e):
            holding = .ordinary; upn = e.upn
            if let r = e.recordedAt { made = SchoolDate(day: r.dayNumber) }
        case .markAmended(let e):
            holding = .ordinary; upn = e.upn
        case .interventionRecorded(let e):
            holding = .ordinary; upn = e.upn
        }
        entries.append(Entry(seq: envelope.seq, made: made, holding: holding, upn: upn))
    }

    /// Years an entry is kept after the date it was made.
    public static let retentionYears = 6

    /// The last day an entry made on `made` must be kept; it may be disposed of on any later day.
    public static func disposeAfter(_ made: SchoolDate) -> SchoolDate {
        let (y, m, d) = made.components
        return SchoolDate(year: y + retentionYears, month: m, day: d) ?? SchoolDate(year: y + retentionYears, month: 2, day: 28)!
    }

    /// The sequence numbers that may be disposed of on `on`, restricted to entries made before `before`
    /// when given, in order. `state` says which pupils are on roll.
    public func disposable(on: SchoolDate, before: SchoolDate? = nil, state: LedgerState) -> [Int] {
        func past(_ e: Entry) -> Bool {
            RetentionIndex.disposeAfter(e.made) < on && (before.map { e.made < $0 } ?? true)
        }
        var needed: Set<String> = []
        for e in entries where e.holding == .ordinary && !past(e) {
            if let upn = e.upn { needed.insert(upn) }
        }
        for p in state.pupils where p.left.map({ on < $0 }) ?? true { needed.insert(p.upn) }
        var out: [Int] = []
        for e in entries where past(e) {
            switch e.holding {
            case .permanent: continue
            case .pupilDetails: if let upn = e.upn, needed.contains(upn) { continue }
            case .ordinary: break
            }
            out.append(e.seq)
        }
        return out
    }

    /// A run of consecutive entries (no stub between them) with the same disposability, made in the same calendar year.
    public struct Range: Sendable, Hashable {
        /// First sequence number.
        public var firstSeq: Int
        /// Last sequence number.
        public var lastSeq: Int
        /// How many entries (stubs of entries already disposed of are not entries).
        public var count: Int
        /// The earliest day an entry in it was made.
        public var madeFrom: SchoolDate
        /// The latest day an entry in it was made.
        public var madeTo: SchoolDate
        /// The day after which all of them are past retention.
        public var disposeAfter: SchoolDate
        /// Whether they may be disposed of now.
        public var disposable: Bool
    }

    /// The entries grouped into ranges for the retention view.
    public func ranges(on: SchoolDate, state: LedgerState) -> [Range] {
        let disposableSeqs = Set(disposable(on: on, state: state))
        var out: [Range] = []
        for e in entries {
            let d = disposableSeqs.contains(e.seq)
            let year = e.made.components.year
            if var last = out.last, last.lastSeq + 1 == e.seq, last.disposable == d, last.madeTo.components.year == year, last.madeFrom.components.year == year {
                last.lastSeq = e.seq
                last.count += 1
                last.madeFrom = min(last.madeFrom, e.made)
                last.madeTo = max(last.madeTo, e.made)
                last.disposeAfter = RetentionIndex.disposeAfter(last.madeTo)
                out[out.count - 1] = last
            } else {
                out.append(Range(firstSeq: e.seq, lastSeq: e.seq, count: 1, madeFrom: e.made, madeTo: e.made,
                                 disposeAfter: RetentionIndex.disposeAfter(e.made), disposable: d))
            }
        }
        return out
    }

    /// Entries that a `retention.disposed` event covers but that are still in the log: a disposal
    /// interrupted before every line was replaced by its stub. The next disposal finishes them.
    public func unfinishedDisposal(_ state: LedgerState) -> [Int] {
        let covered = state.disposals.flatMap { $0.event.ranges.map { $0.firstSeq...$0.lastSeq } }
        guard !covered.isEmpty else { return [] }
        return entries.filter { e in covered.contains { $0.contains(e.seq) } }.map(\.seq)
    }
}
