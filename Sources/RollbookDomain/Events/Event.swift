import RollbookLog

/// Everything that can happen to a ledger, in the past tense; the log is a sequence of these.
///
/// The JSON of each case (its `type` string, version and members) is written by hand in
/// `Event+JSON.swift` and documented in `events/README.md`. Adding a case breaks every exhaustive
/// `switch` over events, which is where it must be handled.
public enum Event: Sendable, Hashable {
    /// A new ledger was opened for a school.
    case ledgerOpened(LedgerOpened)
    /// A term was added to the calendar.
    case termAdded(TermAdded)
    /// A closure (`#` planned, `Y1`–`Y7` unplanned) was recorded.
    case closureRecorded(ClosureRecorded)
    /// A pupil was entered on the admission register.
    case pupilAdmitted(PupilAdmitted)
    /// A pupil's details changed.
    case pupilDetailsChanged(PupilDetailsChanged)
    /// A pupil was deleted from the admission register.
    case pupilDeleted(PupilDeleted)
    /// A register (a group's session) was taken.
    case registerTaken(RegisterTaken)
    /// A mark was recorded.
    case markRecorded(MarkRecorded)
    /// A mark was amended.
    case markAmended(MarkAmended)
    /// An intervention (letter, meeting, notice …) was recorded.
    case interventionRecorded(InterventionRecorded)
    /// Notifications were sent to the local authority.
    case returnsSent(ReturnsSent)
    /// Entries past retention were disposed of.
    case retentionDisposed(RetentionDisposed)
}
