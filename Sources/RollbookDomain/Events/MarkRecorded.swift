import RollbookLog

/// `mark.recorded`: one attendance mark.
public struct MarkRecorded: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The date of the session.
    public var date: SchoolDate
    /// AM or PM.
    public var session: Session
    /// The code as recorded.
    public var code: AttendanceCode
    /// Minutes late, for `L` and `U`.
    public var minutesLate: Int?
    /// A free-text note.
    public var note: String?
    /// For history migrated from another system: when the entry was originally made there.
    public var recordedAt: Timestamp?
    /// Creates the event.
    public init(upn: String, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int? = nil, note: String? = nil, recordedAt: Timestamp? = nil) {
        self.upn = upn; self.date = date; self.session = session; self.code = code
        self.minutesLate = minutesLate; self.note = note; self.recordedAt = recordedAt
    }
}

/// `mark.amended`: a mark changed, with the five facts the 2024 regulations require (the original

/// entry, the amended entry, the reason, the date of the amendment, and — in the envelope — the name
