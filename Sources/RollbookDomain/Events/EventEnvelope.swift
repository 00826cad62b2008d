import RollbookLog

/// An event as stored: its place in the log, when it was appended, who made it, and its schema version.
public struct EventEnvelope: Sendable, Hashable {
    /// The sequence number (1, 2, 3 … with no gaps).
    public var seq: Int
    /// When it was appended (UTC, milliseconds).
    public var at: Timestamp
    /// The schema version of the event's type.
    public var version: Int
    /// Who made the entry.
    public var author: Author
    /// The event.
    public var event: Event

    /// Creates an envelope.
    public init(seq: Int, at: Timestamp, version: Int, author: Author, event: Event) {
        self.seq = seq
        self.at = at
        self.version = version
        self.author = author
        self.event = event
    }
}
