import RollbookDomain
import RollbookLog

extension LedgerState {
    /// Applies a `mark.recorded` event whose pupil is already known by index: exactly what ``apply(_:)``
    /// does with the event, without the event value or a look-up of its UPN (for `marks import`, which
    /// folds up to a million marks it has just checked).
    public mutating func applyMarkRecorded(pupil: Int, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int?,
                                           recordedAt: Timestamp?, seq: Int, at: Timestamp) {
        eventCount += 1
        lastAt = at
        markStore.record(pupil: pupil, date: date, session: session, code: code, minutesLate: minutesLate,
                         recordedAt: recordedAt ?? at, seq: seq)
    }
}
