import RollbookLog

/// `clock.corrected`: an authored record that the system clock reads earlier than the last event's time
/// (the clock was wrong then, or is wrong now), and that appends continue from the clock's time.
public struct ClockCorrected: Sendable, Hashable {
    /// Why: what was wrong with the clock, in the author's words.
    public var reason: String
    /// The time of the event before this one (the time the log steps back from).
    public var previousAt: Timestamp
    /// Creates the event.
    public init(reason: String, previousAt: Timestamp) {
        self.reason = reason
        self.previousAt = previousAt
    }
}
