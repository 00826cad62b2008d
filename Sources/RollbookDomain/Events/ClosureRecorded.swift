/// `calendar.closure-recorded`: the school closed for some sessions.
public struct ClosureRecorded: Sendable, Hashable {
    /// The first day.
    public var from: SchoolDate
    /// The last day.
    public var to: SchoolDate
    /// One session only, or nil for whole days.
    public var session: Session?
    /// `#` (planned) or `Y1`–`Y7` (unplanned).
    public var code: AttendanceCode
    /// Why the school closed.
    public var reason: String
    /// Creates the event.
    public init(from: SchoolDate, to: SchoolDate, session: Session?, code: AttendanceCode, reason: String) {
        self.from = from; self.to = to; self.session = session; self.code = code; self.reason = reason
    }
}
