/// One committed line of the log, as the reader hands it to a fold.
///
/// `bytes` is valid only during the callback that receives the line.
public struct LogLine {
    /// The line's sequence number.
    public let seq: Int
    /// When the event was appended, or nil for a disposed line's stub.
    public let at: Timestamp?
    /// The line's stored bytes, without the terminating newline.
    public let bytes: UnsafeRawBufferPointer
    /// The line's chain hash (its SHA-256, or the recorded hash of a disposed line).
    public let hash: SHA256Digest
    /// The segment number holding the line.
    public let segment: Int
    /// The 1-based line number within the segment.
    public let lineNumber: Int

    package init(seq: Int, at: Timestamp?, bytes: UnsafeRawBufferPointer, hash: SHA256Digest, segment: Int, lineNumber: Int) {
        self.seq = seq
        self.at = at
        self.bytes = bytes
        self.hash = hash
        self.segment = segment
        self.lineNumber = lineNumber
    }

    /// Whether this is the stub of a line removed by a retention disposal.
    public var isStub: Bool { at == nil }
}
