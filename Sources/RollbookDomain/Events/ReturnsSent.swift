/// `returns.sent`: notifications the school sent to the local authority.
public struct ReturnsSent: Sendable, Hashable {
    /// One notification.
    public struct Entry: Sendable, Hashable {
        /// `continuous-unauthorised-10`, `sickness-15`, `deletion` or `admission`.
        public var kind: String
        /// The pupil.
        public var upn: String
        /// The first date it covers.
        public var from: SchoolDate
        /// The last date it covers.
        public var to: SchoolDate
        /// Creates an entry.
        public init(kind: String, upn: String, from: SchoolDate, to: SchoolDate) { self.kind = kind; self.upn = upn; self.from = from; self.to = to }
    }
    /// What was sent.
    public var entries: [Entry]
    /// Creates the event.
    public init(entries: [Entry]) { self.entries = entries }
}
