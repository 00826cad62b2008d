/// A walk along the complete lines that follow a known position of the log and chain to it, without a
/// checkpoint to trust: how far the log's lines continue the chain, and how many writes made them.
///
/// Recovery uses it to tell the bytes after a checkpoint apart: a torn line or one interrupted batch
/// (never acknowledged), or complete lines from several writes (the checkpoint is older than the log),
/// and `rollbook rebuild-checkpoint` uses it to find the last line a new checkpoint may commit. Only
/// the opening members (`seq`, `at`, `prev`) and the chain are checked here; a full verification
/// checks the rest once a checkpoint exists.
package struct ChainWalk: Sendable {
    /// Where the walk ended: the last line that continued the chain (or the start, if none did).
    package var end: LogPosition
    /// How many complete lines continued the chain.
    package var lines: Int
    /// How many different `at` values those lines carry (one write stamps all its lines alike).
    package var writes: Int
    /// Whether bytes follow the last chained line (a torn line, or lines that do not chain).
    package var bytesAfter: Bool

    /// Walks the segments from `start` (line `start.seq` ends at `start.offset` of `start.segment`, with
    /// chain hash `start.head`; seq 0 and offset 0 for an empty log).
    package static func walk(paths: LedgerPaths, from start: LogPosition) throws(LogError) -> ChainWalk {
        var walk = ChainWalk(end: start, lines: 0, writes: 0, bytesAfter: false)
        var times: Set<Int64> = []
        var segment = start.segment
        var offset = start.offset
        var seq = start.seq
        var head = start.head
        var lastAt = start.lastAt
        while FileSystem.existsOrLink(paths.segment(segment)) {
            let bytes = try FileSystem.read(paths.segment(segment), from: offset)
            var lineStart = 0
            var stopped = false
            while lineStart < bytes.count {
                guard let newline = bytes[lineStart...].firstIndex(of: 0x0A) else { stopped = true; break }
                let next: (hash: SHA256Digest, at: Timestamp?)? = bytes.withUnsafeBytes { all in
                    let line = UnsafeRawBufferPointer(rebasing: all[lineStart..<newline])
                    guard let prefix = LinePrefix(line), prefix.seq == seq + 1, prefix.prev == head, !prefix.badAt,
                          prefix.disposed != nil || (line.last == 0x7D && JSONValidation.isValid(line)) else { return nil }
                    return (prefix.disposed ?? SHA256.hash(line), prefix.at)
                }
                guard let next else { stopped = true; break }
                seq += 1
                head = next.hash
                if let at = next.at {
                    times.insert(at.milliseconds)
                    lastAt = at
                }
                walk.lines += 1
                lineStart = newline + 1
                walk.end = LogPosition(seq: seq, head: head, segment: segment, offset: offset + lineStart, lastAt: lastAt)
            }
            if stopped {
                walk.bytesAfter = true
                break
            }
            segment += 1
            offset = 0
        }
        walk.writes = times.count
        return walk
    }
}
