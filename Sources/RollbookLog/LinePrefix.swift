/// The members every line starts with, parsed straight from the bytes: `{"seq":N,"at":"…","prev":"…"`,
/// or a disposal stub `{"seq":N,"prev":"…","disposed":"…"}`.
struct LinePrefix {
    var seq: Int
    var at: Timestamp?
    var prev: SHA256Digest
    var disposed: SHA256Digest?
    /// The offset just past the prefix (at the `,` before the event's members, or the stub's `}`).
    var end: Int

    private static let seqKey = Array(#"{"seq":"#.utf8)
    private static let atKey = Array(#","at":""#.utf8)
    private static let prevKey = Array(#"","prev":""#.utf8)
    private static let stubPrevKey = Array(#","prev":""#.utf8)
    private static let disposedKey = Array(#"","disposed":""#.utf8)
    private static let disposalType = Array(#","type":"retention.disposed""#.utf8)

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
            guard i + 24 <= line.count,
                  let at = Timestamp(logBytes: UnsafeRawBufferPointer(rebasing: line[i..<(i + 24)])) else { return nil }
            self.at = at
            i += 24
            guard LinePrefix.match(LinePrefix.prevKey, in: line, at: &i), i + 65 <= line.count,
                  let prev = SHA256Digest(hex: UnsafeRawBufferPointer(rebasing: line[i..<(i + 64)])), line[i + 64] == 0x22 else { return nil }
            self.prev = prev
            self.disposed = nil
            i += 65
            // At least one more member and the closing brace.
            guard i < line.count, line[i] == 0x2C, line[line.count - 1] == 0x7D else { return nil }
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
        guard let prefix = LinePrefix(line), prefix.at != nil else { return nil }
        var i = prefix.end
        guard match(disposalType, in: line, at: &i) else { return nil }
        guard let value = try? JSONValue.parse(line), let ranges = value["ranges"]?.arrayValue else { return [] }
        return ranges.compactMap { range in
            guard let first = range["first_seq"]?.intValue, let last = range["last_seq"]?.intValue, first <= last else { return nil }
            return first...last
        }
    }
}
