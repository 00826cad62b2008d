import RollbookLog

/// `retention.disposed`: entries past their retention period were removed; the seal says what went.
public struct RetentionDisposed: Sendable, Hashable {
    /// One contiguous run of removed lines.
    public struct Range: Sendable, Hashable {
        /// First removed sequence number.
        public var firstSeq: Int
        /// Last removed sequence number.
        public var lastSeq: Int
        /// Creates a range.
        public init(firstSeq: Int, lastSeq: Int) { self.firstSeq = firstSeq; self.lastSeq = lastSeq }
    }
    /// Entries made before this date were eligible.
    public var before: SchoolDate
    /// The removed runs.
    public var ranges: [Range]
    /// How many lines were removed.
    public var count: Int
    /// SHA-256 over the removed lines' chain hashes, in order (the seal).
    public var seal: SHA256Digest
    /// Creates the event.
    public init(before: SchoolDate, ranges: [Range], count: Int, seal: SHA256Digest) {
        self.before = before; self.ranges = ranges; self.count = count; self.seal = seal
    }
}
