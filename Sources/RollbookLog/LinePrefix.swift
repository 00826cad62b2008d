/// The members every line starts with, parsed straight from the bytes: `{"seq":N,"at":"…","prev":"…"`,
/// or a disposal stub `{"seq":N,"prev":"…","disposed":"…"}`.
///
/// The prefix is *readable* (the line takes part in the link-by-link chain check of `events/FORMAT.md`)
/// when those bytes are there with `at` any string without `"` or `\`; whether `at` is a real time is
/// a separate fault of the line (``badAt``), as is anything wrong after `prev` (the line is not JSON).
struct LinePrefix {
    var seq: Int
    /// The time, or nil for a stub or when ``badAt``.
    var at: Timestamp?
    /// The `at` member is readable but not exactly `YYYY-MM-DDTHH:MM:SS.sssZ` as a real UTC time.
    var badAt = false
    var prev: SHA256Digest
    var disposed: SHA256Digest?
    /// Whether the line is a disposal stub.
    var isStub: Bool { disposed != nil }
    /// The offset just past the prefix (at the `,` before the event's members, or the stub's `}`).
    var end: Int

    private static let seqKey = Array(#"{"seq":"#.utf8)
    private static let atKey = Array(#","at":""#.utf8)
    private static let prevKey = Array(#"","prev":""#.utf8)
    private static let stubPrevKey = Array(#","prev":""#.utf8)
    private static let disposedKey = Array(#"","disposed":""#.utf8)
    private static let disposalType = Array(#","type":"retention.disposed""#.utf8)
    private static let clockCorrectionType = Array(#","type":"clock.corrected""#.utf8)

    /// Whether the line is a `clock.corrected` event: the only line whose `at` may be earlier than the
    /// line before it (`events/FORMAT.md`).
    static func isClockCorrection(_ line: UnsafeRawBufferPointer, prefix: LinePrefix) -> Bool {
        var i = prefix.end
        return prefix.at != nil && match(clockCorrectionType, in: line, at: &i)
    }

    init?(_ line: UnsafeRawBufferPointer) {
        var i = 0
        guard LinePrefix.match(LinePrefix.seqKey, in: line, at: &i) else { return nil }
        var seq = 0
        let digitsStart = i
        while i < line.count, line[i] >= 0x30, line[i] <= 0x39, i - digitsStart < 18 {
            seq = seq * 10 + Int(line[i] &- 0x30)
            i += 1
        }
        guard i > digitsStart, !(line[digitsStart] == 0x30 && i - digitsStart > 1) else { return nil }
        self.seq = seq
        if LinePrefix.match(LinePrefix.atKey, in: line, at: &i) {
            let atStart = i
            while i < line.count, line[i] != 0x22, line[i] != 0x5C { i += 1 }
            guard i < line.count, line[i] == 0x22 else { return nil }
            self.at = Timestamp(logBytes: UnsafeRawBufferPointer(rebasing: line[atStart..<i]))
            self.badAt = self.at == nil
            guard LinePrefix.match(LinePrefix.prevKey, in: line, at: &i), i + 65 <= line.count,
                  let prev = SHA256Digest(hex: UnsafeRawBufferPointer(rebasing: line[i..<(i + 64)])), line[i + 64] == 0x22 else { return nil }
            self.prev = prev
            self.disposed = nil
            i += 65
            // What follows (more members, the closing brace) is checked as JSON by the reader.
            self.end = i
        } else {
            self.at = nil
            guard LinePrefix.match(LinePrefix.stubPrevKey, in: line, at: &i), i + 64 <= line.count,
                  let prev = SHA256Digest(hex: UnsafeRawBufferPointer(rebasing: line[i..<(i + 64)])) else { return nil }
            i += 64
            guard LinePrefix.match(LinePrefix.disposedKey, in: line, at: &i), i + 64 <= line.count,
                  let disposed = SHA256Digest(hex: UnsafeRawBufferPointer(rebasing: line[i..<(i + 64)])) else { return nil }
            i += 64
            guard line.count == i + 2, line[i] == 0x22, line[i + 1] == 0x7D else { return nil }
            self.prev = prev
            self.disposed = disposed
            self.end = i + 1
        }
    }

    private static func match(_ literal: [UInt8], in line: UnsafeRawBufferPointer, at i: inout Int) -> Bool {
        guard i + literal.count <= line.count else { return false }
        for (k, byte) in literal.enumerated() where line[i + k] != byte { return false }
        i += literal.count
        return true
    }

    /// The `first_seq`…`last_seq` ranges of a `retention.disposed` line, or nil for any other line.
    static func disposalRanges(_ line: UnsafeRawBufferPointer) -> [ClosedRange<Int>]? {
        guard let prefix = LinePrefix(line), prefix.at != nil, prefix.end < line.count else { return nil }
        var i = prefix.end
        guard match(disposalType, in: line, at: &i) else { return nil }
        guard let value = try? JSONValue.parse(line), let ranges = value["ranges"]?.arrayValue else { return [] }
        return ranges.compactMap { range in
            guard let first = range["first_seq"]?.intValue, let last = range["last_seq"]?.intValue, first <= last else { return nil }
            return first...last
        }
    }
}
