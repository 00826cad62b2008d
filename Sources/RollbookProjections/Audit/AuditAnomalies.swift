import RollbookDomain
import RollbookLog

/// The thresholds of `rollbook-replay anomalies`; each rule is stated with its threshold in `--help` and
/// the README.
public struct AnomalyRules: Sendable, Hashable {
    /// An amendment is late when made more than this many school days after its session.
    public var lateAmendmentSchoolDays = 10
    /// An `N` must be replaced within this many school days of its session (the regulations' 5).
    public var noReasonSchoolDays = 5
    /// An author is flagged only with at least this many amendments …
    public var authorMinimum = 10
    /// … and more than this percentage of all amendments.
    public var authorSharePercent = 50
    /// Creates the default rules.
    public init() {}
}

/// Explainable findings for an auditor, each naming the sequence numbers behind it: the fold behind
/// `rollbook-replay anomalies`.
///
/// A pure fold: feed ``apply(_:state:)`` each envelope with the state after it, then ask for
/// ``findings(state:on:rules:)`` with the final state and the date to judge open `N` codes on.
public struct AuditAnomalies: Sendable {
    /// The rules, by id.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        /// An amendment made long after its session.
        case lateAmendment = "late-amendment"
        /// An `N` not replaced within 5 school days.
        case noReasonPastDeadline = "n-past-deadline"
        /// One author made an unusual share of the amendments.
        case authorShare = "author-share"
        /// An amendment changed census figures after a census day had passed.
        case afterCensus = "after-census"
        /// A mark for a day before the pupil's admission was recorded.
        case markBeforeAdmission = "mark-before-admission"
    }

    /// One finding.
    public struct Finding: Sendable, Hashable {
        /// The rule that found it.
        public var rule: Rule
        /// The pupil, when the finding is about one.
        public var upn: String?
        /// The session's date, when it is about one session.
        public var date: SchoolDate?
        /// The session, when it is about one session.
        public var session: Session?
        /// The author, when it is about one person.
        public var author: String?
        /// The sequence numbers of the entries behind the finding, ascending.
        public var seqs: [Int]
        /// One sentence explaining it.
        public var message: String
    }

    struct AmendmentFact {
        var seq: Int
        var markSeq: Int?
        var at: Timestamp
        var author: Author
        var event: MarkAmended
        var changesCensusFigures: Bool
    }

    struct NoReason {
        var upn: String
        var date: SchoolDate
        var session: Session
        var seq: Int
        var replacedSeq: Int?
        var replacedOn: SchoolDate?
    }

    struct EarlyMark {
        var seq: Int
        var date: SchoolDate
        var session: Session
    }

    var amendments: [AmendmentFact] = []
    var openNoReason: [MarkKey: Int] = [:]
    var noReasons: [NoReason] = []
    var admissionRecorded: [String: (seq: Int, on: SchoolDate)] = [:]
    var earlyMarks: [String: [EarlyMark]] = [:]
    var earlyMarkOrder: [String] = []

    /// Creates an empty fold.
    public init() {}

    /// Folds one envelope; `state` is the ledger state after the envelope was applied.
    public mutating func apply(_ envelope: EventEnvelope, state: LedgerState) {
        switch envelope.event {
        case .pupilAdmitted(let e):
            admissionRecorded[e.upn] = (envelope.seq, SchoolDate(day: envelope.at.dayNumber))
        case .markRecorded(let e):
            guard let pupil = state.pupilIndex[e.upn] else {
                noteEarly(e.upn, EarlyMark(seq: envelope.seq, date: e.date, session: e.session))
                return
            }
            if e.recordedAt == nil, let admission = admissionRecorded[e.upn],
               e.date < state.pupils[pupil].admitted || e.date < admission.on {
                noteEarly(e.upn, EarlyMark(seq: envelope.seq, date: e.date, session: e.session))
            }
            track(MarkKey(pupil: pupil, date: e.date, session: e.session), upn: e.upn, date: e.date, session: e.session,
                  code: e.code, seq: envelope.seq, at: envelope.at)
        case .markAmended(let e):
            let pupil = state.pupilIndex[e.upn]
            let entry = pupil.flatMap { state.mark(pupil: $0, date: e.date, session: e.session) }
            var original = e.original, amended = e.amended
            if let closure = state.calendar.closure(e.date, e.session) {
                if LedgerState.closureOverrides(closure.code, original) { original = closure.code }
                if LedgerState.closureOverrides(closure.code, amended) { amended = closure.code }
            }
            let changes = AuditAnomalies.censusContribution(original, e.date) != AuditAnomalies.censusContribution(amended, e.date)
            amendments.append(AmendmentFact(seq: envelope.seq, markSeq: entry?.seq, at: envelope.at, author: envelope.author,
                                            event: e, changesCensusFigures: changes))
            if let pupil, entry?.amendedSeq == envelope.seq {
                track(MarkKey(pupil: pupil, date: e.date, session: e.session), upn: e.upn, date: e.date, session: e.session,
                      code: e.amended, seq: envelope.seq, at: envelope.at)
            }
        case .ledgerOpened, .termAdded, .closureRecorded, .pupilDetailsChanged, .pupilDeleted, .registerTaken,
             .interventionRecorded, .returnsSent, .retentionDisposed:
            return
        }
    }

    mutating func noteEarly(_ upn: String, _ mark: EarlyMark) {
        if earlyMarks[upn] == nil { earlyMarkOrder.append(upn) }
        earlyMarks[upn, default: []].append(mark)
    }

    mutating func track(_ key: MarkKey, upn: String, date: SchoolDate, session: Session, code: AttendanceCode, seq: Int, at: Timestamp) {
        if let open = openNoReason[key] {
            if code == .noReason { return }
            noReasons[open].replacedSeq = seq
            noReasons[open].replacedOn = SchoolDate(day: at.dayNumber)
            openNoReason[key] = nil
        } else if code == .noReason {
            openNoReason[key] = noReasons.count
            noReasons.append(NoReason(upn: upn, date: date, session: session, seq: seq))
        }
    }

    /// What a code contributes to the census: possible, authorised, unauthorised, and the absence reason.
    static func censusContribution(_ code: AttendanceCode, _ date: SchoolDate) -> [String] {
        let category = code.category(on: date)
        return [category.isPossible ? "possible" : "", category.isAuthorisedAbsence ? "authorised" : "",
                category.isUnauthorisedAbsence ? "unauthorised" : "", category.isAbsence ? code.text : ""]
    }

    /// The findings, rule by rule (in ``Rule`` order), each rule's findings in log order.
    ///
    /// `on` is the date open `N` codes are judged on (an auditor's tool has no clock: the caller passes
    /// the date of the last event, or a date the auditor chose).
    public func findings(state: LedgerState, on: SchoolDate, rules: AnomalyRules = AnomalyRules()) -> [Finding] {
        var out: [Finding] = []
        let calendar = state.calendar
        for a in amendments {
            let e = a.event
            let madeOn = SchoolDate(day: a.at.dayNumber)
            guard e.date < madeOn else { continue }
            let schoolDays = calendar.schoolDays(from: e.date.adding(days: 1), to: madeOn).count
            guard schoolDays > rules.lateAmendmentSchoolDays else { continue }
            out.append(Finding(rule: .lateAmendment, upn: e.upn, date: e.date, session: e.session, author: a.author.name,
                               seqs: ([a.markSeq, a.seq].compactMap { $0 }).sorted(),
                               message: "Amendment seq \(a.seq) (\(e.original) to \(e.amended)) was made on \(madeOn), \(schoolDays) school days "
                                   + "(\(madeOn.day - e.date.day) calendar days) after the session, more than the \(rules.lateAmendmentSchoolDays) allowed."))
        }
        for n in noReasons {
            if let pupil = state.pupilIndex[n.upn], state.effectiveCode(pupil: pupil, date: n.date, session: n.session)?.closure != nil { continue }
            guard let deadline = calendar.schoolDay(rules.noReasonSchoolDays, after: n.date) else { continue }
            if let replacedSeq = n.replacedSeq, let replacedOn = n.replacedOn {
                guard replacedOn > deadline else { continue }
                out.append(Finding(rule: .noReasonPastDeadline, upn: n.upn, date: n.date, session: n.session, author: nil,
                                   seqs: [n.seq, replacedSeq],
                                   message: "N entered at seq \(n.seq) was replaced only on \(replacedOn) (seq \(replacedSeq)), after its deadline \(deadline) "
                                       + "(\(rules.noReasonSchoolDays) school days after the session)."))
            } else if on > deadline {
                out.append(Finding(rule: .noReasonPastDeadline, upn: n.upn, date: n.date, session: n.session, author: nil, seqs: [n.seq],
                                   message: "N entered at seq \(n.seq) still stands on \(on), past its deadline \(deadline) "
                                       + "(\(rules.noReasonSchoolDays) school days after the session); it should have become a reason or O."))
            }
        }
        var byAuthor: [String: [Int]] = [:]
        var authorOrder: [String] = []
        for a in amendments {
            if byAuthor[a.author.name] == nil { authorOrder.append(a.author.name) }
            byAuthor[a.author.name, default: []].append(a.seq)
        }
        for name in authorOrder {
            let seqs = byAuthor[name]!
            guard seqs.count >= rules.authorMinimum, seqs.count * 100 > rules.authorSharePercent * amendments.count else { continue }
            let share = Double(seqs.count * 1000 / amendments.count) / 10
            out.append(Finding(rule: .authorShare, upn: nil, date: nil, session: nil, author: name, seqs: seqs,
                               message: "\(name) made \(seqs.count) of the \(amendments.count) amendments (\(share)%), more than "
                                   + "\(rules.authorSharePercent)% with at least \(rules.authorMinimum)."))
        }
        for a in amendments where a.changesCensusFigures {
            let e = a.event
            let madeOn = SchoolDate(day: a.at.dayNumber)
            guard let census = CensusDays.latest(onOrAfter: e.date, before: madeOn) else { continue }
            out.append(Finding(rule: .afterCensus, upn: e.upn, date: e.date, session: e.session, author: a.author.name,
                               seqs: ([a.markSeq, a.seq].compactMap { $0 }).sorted(),
                               message: "Amendment seq \(a.seq) (\(e.original) to \(e.amended)) on \(madeOn) changed the session's census figures "
                                   + "after the census day \(census)."))
        }
        for upn in earlyMarkOrder {
            let marks = earlyMarks[upn]!
            let admission = admissionRecorded[upn]
            let first = marks.map(\.date).min()!, last = marks.map(\.date).max()!
            let span = first == last ? "\(first)" : "\(first) to \(last)"
            let what: String
            if let admission, let pupil = state.pupil(upn) {
                what = "before the admission (admitted \(pupil.admitted), recorded on \(admission.on) at seq \(admission.seq))"
            } else {
                what = "with no admission recorded before them"
            }
            out.append(Finding(rule: .markBeforeAdmission, upn: upn, date: nil, session: nil, author: nil,
                               seqs: ((admission.map { [$0.seq] } ?? []) + marks.map(\.seq)).sorted(),
                               message: "\(marks.count) mark\(marks.count == 1 ? "" : "s") for \(span) \(marks.count == 1 ? "was" : "were") recorded for a day \(what)."))
        }
        return out
    }
}
