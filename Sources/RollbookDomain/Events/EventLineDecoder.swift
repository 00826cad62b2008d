import RollbookLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes committed log lines into envelopes, reading the common events straight from the bytes.
///
/// A six-year ledger is almost entirely `mark.recorded`, with some `register.taken` and
/// `mark.amended`. For those three types, written exactly as Rollbook writes them (members in the
/// catalogue's order, ASCII strings without escapes), the decoder matches the line's bytes against
/// the expected layout and builds the event without any general JSON parse. Any other line, and any
/// line that departs from that layout in the smallest way (an escape, a non-ASCII byte, an unknown or
/// reordered member, whitespace), goes to the general decoder ``EventEnvelope/init(line:)``, which
/// is the reference: the fast path only ever accepts lines the reference decodes to the same envelope.
///
/// The decoder remembers the last author and position it read, so a run of lines by the same person
/// shares one `String` instead of allocating two per line.
public struct EventLineDecoder {
    private var authorBytes: [UInt8] = []
    private var author = Author(name: "", position: "")
    private var positionBytes: [UInt8] = []
    /// How many lines took the fast path (for the benchmark's report).
    public private(set) var fastLines = 0
    /// How many lines went to the general decoder.
    public private(set) var generalLines = 0

    /// Creates a decoder.
    public init() {}

    /// Decodes one committed line, or throws naming the member at fault (as ``EventEnvelope/init(line:)`` does).
    public mutating func decode(_ line: borrowing LogLine) throws(EventDecodingError) -> EventEnvelope {
        if let at = line.at, let envelope = fast(line.bytes, seq: line.seq, at: at) {
            fastLines += 1
            return envelope
        }
        generalLines += 1
        return try EventEnvelope(line: line)
    }

    /// Decodes a line only if it is exactly in the writer's layout (the fast path), else returns nil.
    ///
    /// A line this accepts is one strict JSON object: a fixed sequence of distinct members whose values
    /// are printable ASCII strings without escapes (except the code `"\\"`), plain integers and dates,
    /// after the reader's own checked prefix. The log reader relies on that to skip its JSON check of the
    /// line (`LogReader.scan(digest:exact:_:)`); anything else goes to ``decode(_:)``.
    public mutating func decodeExact(_ line: borrowing LogLine) -> EventEnvelope? {
        guard let at = line.at, let envelope = fast(line.bytes, seq: line.seq, at: at) else { return nil }
        fastLines += 1
        return envelope
    }

    // The byte patterns of the writer's layout, built from the names declared once in EventType and EventMember.
    private static let typeKey = EventMember.stringKey(EventMember.type)
    private static func typeHead(_ type: EventType) -> [UInt8] {
        Array(type.rawValue.utf8) + Array("\",\"\(EventMember.v)\":1".utf8) + EventMember.stringKey(EventMember.author)
    }
    private static let markRecorded = typeHead(.markRecorded)
    private static let markAmended = typeHead(.markAmended)
    private static let registerTaken = typeHead(.registerTaken)
    private static let positionKey = EventMember.stringKey(EventMember.position)
    private static let upnKey = EventMember.stringKey(EventMember.upn)
    private static let groupKey = EventMember.stringKey(EventMember.group)
    static let dateKey = EventMember.stringKey(EventMember.date)
    static let sessionKey = EventMember.stringKey(EventMember.session)
    private static let codeKey = EventMember.stringKey(EventMember.code)
    private static let minutesKey = EventMember.numberKey(EventMember.minutesLate)
    private static let recordedAtKey = EventMember.stringKey(EventMember.recordedAt)
    private static let originalKey = EventMember.stringKey(EventMember.original)
    private static let originalMinutesKey = EventMember.numberKey(EventMember.originalMinutesLate)
    private static let amendedKey = EventMember.stringKey(EventMember.amended)
    private static let reasonKey = EventMember.stringKey(EventMember.reason)
    private static let amendedOnKey = EventMember.stringKey(EventMember.amendedOn)

    /// The fast path: nil whenever the line is not exactly in the writer's layout.
    private mutating func fast(_ b: UnsafeRawBufferPointer, seq: Int, at: Timestamp) -> EventEnvelope? {
        var s = LineCursor(b: b, i: LineCursor.prefixEnd(b))
        guard s.i > 0, s.literal(EventLineDecoder.typeKey), s.i < b.count else { return nil }
        let kind: UInt8
        switch b[s.i] {
        case UInt8(ascii: "m"):
            if s.literal(EventLineDecoder.markRecorded) { kind = 0 }
            else if s.literal(EventLineDecoder.markAmended) { kind = 1 }
            else { return nil }
        case UInt8(ascii: "r"):
            guard s.literal(EventLineDecoder.registerTaken) else { return nil }
            kind = 2
        default:
            return nil
        }
        guard let nameRange = s.stringBody(), s.literal(EventLineDecoder.positionKey), let positionRange = s.stringBody() else { return nil }
        let author = internAuthor(b, nameRange, positionRange)
        let event: Event
        switch kind {
        case 0:
            guard s.literal(EventLineDecoder.upnKey), let upn = s.string(), let (date, session) = s.dateAndSession(),
                  s.literal(EventLineDecoder.codeKey), let code = s.code() else { return nil }
            var minutes: Int?
            if s.literal(EventLineDecoder.minutesKey) {
                guard let m = s.integer() else { return nil }
                minutes = m
            }
            var recordedAt: Timestamp?
            if s.literal(EventLineDecoder.recordedAtKey) {
                guard let range = s.stringBody() else { return nil }
                let bytes = UnsafeRawBufferPointer(rebasing: b[range])
                // The writer's own form (24 bytes, milliseconds, Z) reads directly; anything else as the reference does.
                guard let t = bytes.count == 24 ? Timestamp(logBytes: bytes)
                        : Timestamp(parsing: String(decoding: bytes, as: UTF8.self)) else { return nil }
                recordedAt = t
            }
            guard s.end() else { return nil }
            event = .markRecorded(MarkRecorded(upn: upn, date: date, session: session, code: code, minutesLate: minutes,
                                               note: nil, recordedAt: recordedAt))
        case 1:
            guard s.literal(EventLineDecoder.upnKey), let upn = s.string(), let (date, session) = s.dateAndSession(),
                  s.literal(EventLineDecoder.originalKey), let original = s.code() else { return nil }
            var originalMinutes: Int?
            if s.literal(EventLineDecoder.originalMinutesKey) {
                guard let m = s.integer() else { return nil }
                originalMinutes = m
            }
            guard s.literal(EventLineDecoder.amendedKey), let amended = s.code() else { return nil }
            var minutes: Int?
            if s.literal(EventLineDecoder.minutesKey) {
                guard let m = s.integer() else { return nil }
                minutes = m
            }
            guard s.literal(EventLineDecoder.reasonKey), let reason = s.string(),
                  s.literal(EventLineDecoder.amendedOnKey), let amendedOn = s.date(), s.end() else { return nil }
            event = .markAmended(MarkAmended(upn: upn, date: date, session: session, original: original,
                                             originalMinutesLate: originalMinutes, amended: amended, minutesLate: minutes,
                                             reason: reason, amendedOn: amendedOn))
        default:
            guard s.literal(EventLineDecoder.groupKey), let group = s.string(), let (date, session) = s.dateAndSession(),
                  s.end() else { return nil }
            event = .registerTaken(RegisterTaken(group: group, date: date, session: session))
        }
        return EventEnvelope(seq: seq, at: at, version: 1, author: author, event: event)
    }

    /// The offset of the `,` after the `prev` member of `{"seq":N,"at":"…","prev":"…"`, or 0 if the
    /// line does not start that way. (The reader has already checked the prefix; this only finds its end.)
    private mutating func internAuthor(_ b: UnsafeRawBufferPointer, _ name: Range<Int>, _ position: Range<Int>) -> Author {
        let nameBytes = UnsafeRawBufferPointer(rebasing: b[name])
        let positionBytes = UnsafeRawBufferPointer(rebasing: b[position])
        if !EventLineDecoder.same(nameBytes, authorBytes) {
            authorBytes = Array(nameBytes)
            author.name = String(decoding: nameBytes, as: UTF8.self)
        }
        if !EventLineDecoder.same(positionBytes, self.positionBytes) {
            self.positionBytes = Array(positionBytes)
            author.position = String(decoding: positionBytes, as: UTF8.self)
        }
        return author
    }

    @inline(__always)
    private static func same(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return b.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
    }
}

extension LineCursor {
    /// `,"date":"YYYY-MM-DD","session":"AM"` (or `PM`), as every mark and register carries them.
    mutating func dateAndSession() -> (SchoolDate, Session)? {
        guard literal(EventLineDecoder.dateKey), let date = date(), literal(EventLineDecoder.sessionKey),
              let session = session() else { return nil }
        return (date, session)
    }
}
