/// A committed line's place in a log: its sequence number, chain hash, segment, end offset and time.
///
/// A snapshot of projection state records the position of the last line it covers, so that a reader can
/// check the log still holds that line (``LogReader/lineMatches(_:)``) and resume the scan after it
/// (``LogReader/scan(after:_:)``).
public struct LogPosition: Sendable, Hashable {
    /// The line's sequence number.
    public var seq: Int
    /// The line's chain hash (its SHA-256, or the `disposed` hash of a stub).
    public var head: SHA256Digest
    /// The segment holding the line.
    public var segment: Int
    /// The byte offset just past the line's `\n` in that segment.
    public var offset: Int
    /// The time of the last non-stub line up to and including this one (nil when there is none).
    public var lastAt: Timestamp?

    /// Creates a position.
    public init(seq: Int, head: SHA256Digest, segment: Int, offset: Int, lastAt: Timestamp?) {
        self.seq = seq
        self.head = head
        self.segment = segment
        self.offset = offset
        self.lastAt = lastAt
    }
}
