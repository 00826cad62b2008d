import RollbookDomain
import RollbookLog
import RollbookProjections

/// A ledger built in memory, one event at a time, folded into ``LedgerState`` and the audit folds.
struct ProjectionFixture {
    var state = LedgerState()
    var history: AmendmentHistory
    var changes: RegisterChanges
    var anomalies = AuditAnomalies()
    var seq = 0

    init(focus: AmendmentHistory.Focus? = nil, changesAfter: Timestamp? = nil) {
        history = AmendmentHistory(focus: focus)
        changes = RegisterChanges(after: changesAfter)
    }

    static func date(_ text: String) -> SchoolDate { SchoolDate(text)! }
    static func code(_ text: String) -> AttendanceCode { AttendanceCode(text)! }

    /// Appends an event at a time (`YYYY-MM-DD` means 10:00 that day) and returns its seq.
    @discardableResult
    mutating func add(_ event: Event, at: String, by author: String = "Sam Patel", position: String = "Attendance Officer") -> Int {
        seq += 1
        let time = Timestamp(parsing: at.count == 10 ? at + "T10:00:00Z" : at)!
        let envelope = EventEnvelope(seq: seq, at: time, version: 1, author: Author(name: author, position: position), event: event)
        changes.willApply(envelope, state: state)
        state.apply(envelope)
        changes.didApply(envelope, state: state)
        history.apply(envelope, state: state)
        anomalies.apply(envelope, state: state)
        return seq
    }

    /// A school with the autumn 1 term (3 September to 24 October 2025).
    mutating func school() {
        add(.termAdded(TermAdded(name: "Autumn 1", from: Self.date("2025-09-03"), to: Self.date("2025-10-24"))), at: "2025-09-01")
    }

    @discardableResult
    mutating func admit(_ upn: String, on admitted: String = "2025-09-03", at: String = "2025-09-01", group: String = "7A") -> Int {
        add(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "F", surname: "S", dob: Self.date("2014-01-01"), yearGroup: "7",
                                         group: group, admitted: Self.date(admitted), flags: PupilFlags())), at: at)
    }

    @discardableResult
    mutating func mark(_ upn: String, _ date: String, _ session: Session, _ code: String, at: String, minutes: Int? = nil,
                       recordedAt: String? = nil, by author: String = "Sam Patel") -> Int {
        add(.markRecorded(MarkRecorded(upn: upn, date: Self.date(date), session: session, code: Self.code(code), minutesLate: minutes,
                                       recordedAt: recordedAt.flatMap { Timestamp(parsing: $0) })), at: at, by: author)
    }

    @discardableResult
    mutating func amend(_ upn: String, _ date: String, _ session: Session, to code: String, at: String, minutes: Int? = nil,
                        reason: String = "reason", by author: String = "Sam Patel", position: String = "Attendance Officer") -> Int {
        let pupil = state.pupilIndex[upn]!
        let existing = state.mark(pupil: pupil, date: Self.date(date), session: session)!
        let time = Timestamp(parsing: at.count == 10 ? at + "T10:00:00Z" : at)!
        return add(.markAmended(MarkAmended(upn: upn, date: Self.date(date), session: session, original: existing.code,
                                            originalMinutesLate: existing.minutesLate, amended: Self.code(code), minutesLate: minutes,
                                            reason: reason, amendedOn: SchoolDate(day: time.dayNumber))),
                   at: at, by: author, position: position)
    }

    @discardableResult
    mutating func close(_ from: String, _ to: String, _ session: Session?, _ code: String, at: String) -> Int {
        add(.closureRecorded(ClosureRecorded(from: Self.date(from), to: Self.date(to), session: session, code: Self.code(code), reason: "closed")), at: at)
    }
}
