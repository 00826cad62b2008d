import RollbookDomain
import RollbookLog
@testable import RollbookProjections

/// A small school's events built in memory, and the stage tracker run over the state they fold into, for policy tests.
///
/// Calendar: Autumn 1 is Mon 1 Sep – Fri 24 Oct 2025, half term 27–31 Oct, Autumn 2 is Mon 3 Nov – Fri 19 Dec.
/// Pupil P1 (UPN P000000000001) is admitted on 1 Sep. Marks are appended at 16:00 on their own day.
struct PolicyLedger {
    static let upn = "P000000000001"
    static let start = SchoolDate("2025-09-01")!
    var envelopes: [EventEnvelope] = []
    /// Codes by date and session; days not given are present.
    var codes: [SchoolDate: [Session: String]] = [:]
    var interventions: [(date: SchoolDate, action: String)] = []
    var calendar = SchoolCalendar()

    init() {
        calendar.addTerm(name: "Autumn 1", from: SchoolDate("2025-09-01")!, to: SchoolDate("2025-10-24")!)
        calendar.addTerm(name: "Autumn 2", from: SchoolDate("2025-11-03")!, to: SchoolDate("2025-12-19")!)
    }

    /// The school days from 1 Sep, in order.
    var schoolDays: [SchoolDate] { calendar.schoolDays(from: PolicyLedger.start, to: SchoolDate("2025-12-19")!) }

    /// The n-th school day (0 = Mon 1 Sep).
    func day(_ n: Int) -> SchoolDate { schoolDays[n] }

    /// Sets both sessions of a day.
    mutating func set(_ date: SchoolDate, _ code: String) { codes[date] = [.am: code, .pm: code] }

    /// Sets a number of absence sessions (AM then PM, day by day) starting at school day `first`.
    mutating func absent(_ code: String, sessions: Int, fromDay first: Int = 0) {
        var n = sessions, d = first
        while n > 0 {
            var day = codes[self.day(d)] ?? [:]
            for s in Session.allCases where n > 0 { day[s] = code; n -= 1 }
            codes[self.day(d)] = day
            d += 1
        }
    }

    /// The events up to and including `last` (marks for every school day through it); with `batchedAt`,
    /// every mark and intervention is appended at that one moment instead of on its own day.
    func events(through last: SchoolDate, batchedAt: String? = nil) -> [EventEnvelope] {
        var out: [EventEnvelope] = []
        func add(_ event: Event, _ at: String) {
            var at = at
            if let batchedAt, !at.hasPrefix("2025-08-20") { at = batchedAt }
            out.append(EventEnvelope(seq: out.count + 1, at: Timestamp(parsing: at)!, version: 1,
                                     author: Author(name: "T", position: "Attendance Officer"), event: event))
        }
        add(.ledgerOpened(LedgerOpened(urn: "123456", name: "S", la: "938", estab: "2001", policy: "dfe",
                                       amRegister: .defaultAM, pmRegister: .defaultPM)), "2025-08-20T09:00:00Z")
        for t in calendar.terms { add(.termAdded(TermAdded(name: t.name, from: t.from, to: t.to)), "2025-08-20T09:00:00Z") }
        add(.pupilAdmitted(PupilAdmitted(upn: PolicyLedger.upn, forename: "F", surname: "S", dob: SchoolDate("2012-01-01")!, yearGroup: "8",
                                         group: "8A", admitted: PolicyLedger.start, flags: PupilFlags())), "2025-08-20T09:00:00Z")
        var pending = interventions.sorted { $0.date < $1.date }
        for d in schoolDays where d <= last {
            while let first = pending.first, first.date < d {
                add(.interventionRecorded(InterventionRecorded(upn: PolicyLedger.upn, action: first.action, date: first.date, note: nil)), "\(first.date)T17:00:00Z")
                pending.removeFirst()
            }
            for s in Session.allCases {
                let text = codes[d]?[s] ?? (s == .am ? "/" : "\\")
                if text == "-" { continue }  // unmarked
                add(.markRecorded(MarkRecorded(upn: PolicyLedger.upn, date: d, session: s, code: AttendanceCode(text)!)), "\(d)T16:00:00Z")
            }
        }
        for i in pending where i.date <= last {
            add(.interventionRecorded(InterventionRecorded(upn: PolicyLedger.upn, action: i.action, date: i.date, note: nil)), "\(i.date)T17:00:00Z")
        }
        return out
    }

    /// Runs the tracker over the envelopes known at `asOf` (all when nil), evaluated on `on`.
    static func run(_ envelopes: [EventEnvelope], policy: StagePolicy, on: SchoolDate, asOf: Timestamp? = nil) -> (stages: [PupilStage], state: LedgerState) {
        var state = LedgerState()
        var tracker = StageTracker(policy: policy, on: on)
        for e in envelopes where asOf.map({ e.knownAt <= $0 }) ?? true { state.apply(e) }
        return (tracker.stages(state), state)
    }

    /// The pupil's stage on `on`, with marks appended day by day (or, `batched`, all at 16:00 on `on`).
    func stage(_ policy: String, on: SchoolDate, batched: Bool = false) -> PupilStage? {
        let events = events(through: on, batchedAt: batched ? "\(on)T16:00:00Z" : nil)
        return PolicyLedger.run(events, policy: StagePolicy.preset(policy)!, on: on).stages.first
    }
}
