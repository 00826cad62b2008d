import RollbookDomain
import RollbookLog
import RollbookProjections

/// The replay tool's index of a verified log, in memory: where each line is and its hash, and which lines
/// touch which sessions (``SessionReplay/touch(_:)``). ``HistoryCacheFile`` stores it; a query reads it
/// from there.
struct HistoryIndex {
    /// One line: its chain hash, the byte offset of its first byte in its segment and its length (no `\n`).
    struct Line: Equatable {
        var hash: SHA256Digest
        var offset: UInt32
        var length: UInt32
    }

    /// A line touching the sessions of a range of dates (a term or a closure).
    struct Range: Equatable {
        var from: Int32
        var to: Int32
        var seq: Int
    }

    /// How many lines come before the first this index holds (a tail's base, else 0).
    var base = 0
    /// The segments that hold lines: number and the seq of its first line, in order.
    var segments: [(number: Int, firstSeq: Int)] = []
    /// Every line, `lines[seq - base - 1]`.
    var lines: [Line] = []
    /// (key, seq) for every line touching one session or one pupil; sorted by ``sort()``.
    var keys: [(key: UInt64, seq: Int)] = []
    /// Terms and closures.
    var ranges: [Range] = []
    /// Lines touching every session (retention disposals).
    var everySession: [Int] = []
    /// The position of the last line: what the index was verified up to.
    var position: LogPosition?
    /// Whether a retention disposal was indexed by ``add(_:offset:envelope:)`` since the last ``sort()``.
    var sawDisposal = false

    /// Creates an empty index of the lines after the first `base`.
    init(base: Int = 0) { self.base = base }

    /// Adds every line a scan reads, in order, starting at `offset` of `segment` (where the scan begins):
    /// its place, hash and time, and the event it holds (decoded exactly where it can be). `scan` is
    /// ``LogReader/scan(exact:_:)`` or ``LogReader/scan(after:exact:_:)`` with its arguments passed on.
    mutating func addLines(from segment: Int, offset: Int,
                           scan: ((borrowing LogLine) -> Bool, (borrowing LogLine) throws -> Void) throws -> LogScan) throws -> LogScan {
        var decoder = EventLineDecoder()
        var exact: EventEnvelope?
        var segment = segment, offset = offset
        return try scan({ line in
            exact = decoder.decodeExact(line)
            return exact != nil
        }) { line in
            if line.segment != segment { segment = line.segment; offset = 0 }
            let decoded = exact.take()
            var envelope: EventEnvelope?
            if !line.isStub { envelope = decoded?.seq == line.seq ? decoded : try decoder.decode(line) }
            try add(seq: line.seq, segment: line.segment, offset: offset, bytes: line.bytes.count, hash: line.hash, at: line.at,
                    envelope: envelope)
            offset += line.bytes.count + 1
        }
    }

    /// Records one verified line (`envelope` nil for a stub), which ends at `offset + bytes.count + 1`.
    mutating func add(seq: Int, segment: Int, offset: Int, bytes: Int, hash: SHA256Digest, at: Timestamp?, envelope: EventEnvelope?) throws {
        guard seq == base + lines.count + 1 else { throw HistoryCacheError.unexpectedLine(seq: seq, expected: base + lines.count + 1) }
        guard offset >= 0, offset + bytes < Int(UInt32.max), bytes < Int(UInt32.max) else {
            throw HistoryCacheError.tooLarge(seq: seq)
        }
        if segments.last?.number != segment { segments.append((segment, seq)) }
        lines.append(Line(hash: hash, offset: UInt32(offset), length: UInt32(bytes)))
        position = LogPosition(seq: seq, head: hash, segment: segment, offset: offset + bytes + 1, lastAt: at ?? position?.lastAt)
        guard let envelope else { return }
        if let upn = SessionReplay.migratedMarkPupil(envelope) { keys.append((HistoryIndex.key(migratedMarksOf: upn), seq)) }
        guard let touch = SessionReplay.touch(envelope.event) else { return }
        switch touch {
        case .session(let upn, let date, let session): keys.append((HistoryIndex.key(upn: upn, date: date, session: session), seq))
        case .pupil(let upn): keys.append((HistoryIndex.key(upn: upn), seq))
        case .dates(let from, let to): ranges.append(Range(from: from.day, to: to.day, seq: seq))
        case .everySession:
            everySession.append(seq)
            sawDisposal = true
        }
    }

    /// Appends a tail's lines (the lines right after these).
    mutating func append(_ tail: HistoryIndex) {
        precondition(tail.base == base + lines.count)
        for s in tail.segments where segments.last?.number != s.number { segments.append(s) }
        lines += tail.lines
        keys += tail.keys
        ranges += tail.ranges
        everySession += tail.everySession
        position = tail.position ?? position
    }

    /// Sorts the keys (by key, then seq) for lookup and storage.
    mutating func sort() {
        keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.seq < $1.seq }
    }

    // MARK: keys

    /// The key of one pupil-session's lines.
    static func key(upn: String, date: SchoolDate, session: Session) -> UInt64 {
        var h = fnv(0x73, upn)  // "s"
        withUnsafeBytes(of: date.day.littleEndian) { for b in $0 { h = (h ^ UInt64(b)) &* 0x100000001b3 } }
        h = (h ^ UInt64(session.rawValue)) &* 0x100000001b3
        return finish(h)
    }

    /// The key of one pupil's admissions and leavings.
    static func key(upn: String) -> UInt64 { finish(fnv(0x70, upn)) }  // "p"

    /// The key of one pupil's marks migrated with an earlier `recorded_at`.
    static func key(migratedMarksOf upn: String) -> UInt64 { finish(fnv(0x6D, upn)) }  // "m"

    private static func fnv(_ tag: UInt8, _ upn: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        h = (h ^ UInt64(tag)) &* 0x100000001b3
        for b in upn.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    /// Mixes the bits so the top ones (the bucket) depend on every byte.
    private static func finish(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}
