/// `register.taken`: a group's register for one session was taken (the marks are separate events).
public struct RegisterTaken: Sendable, Hashable {
    /// The registration group.
    public var group: String
    /// The date.
    public var date: SchoolDate
    /// The session.
    public var session: Session
    /// Creates the event.
    public init(group: String, date: SchoolDate, session: Session) { self.group = group; self.date = date; self.session = session }
}
