/// and position of the person who made it).
public struct MarkAmended: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The date of the session.
    public var date: SchoolDate
    /// AM or PM.
    public var session: Session
    /// The entry before the amendment.
    public var original: AttendanceCode
    /// Minutes late recorded with the original entry.
    public var originalMinutesLate: Int?
    /// The entry after the amendment.
    public var amended: AttendanceCode
    /// Minutes late with the amended entry, for `L` and `U`.
    public var minutesLate: Int?
    /// Why the mark was amended.
    public var reason: String
    /// The date of the amendment (the UTC date of the event's time).
    public var amendedOn: SchoolDate
    /// Creates the event.
    public init(upn: String, date: SchoolDate, session: Session, original: AttendanceCode, originalMinutesLate: Int?, amended: AttendanceCode, minutesLate: Int?, reason: String, amendedOn: SchoolDate) {
        self.upn = upn; self.date = date; self.session = session; self.original = original; self.originalMinutesLate = originalMinutesLate
        self.amended = amended; self.minutesLate = minutesLate; self.reason = reason; self.amendedOn = amendedOn
    }
}
