import RollbookLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `mark.recorded` or `mark.amended` line read straight from its bytes, without a `String` or an
/// ``EventEnvelope``: what a fold of the marks needs, and where the pupil's UPN lies in the line.
public struct MarkLine: Sendable, Equatable {
    /// Which of the two events the line holds.
    public enum Kind: Sendable, Equatable {
        /// `mark.recorded`.
        case recorded
        /// `mark.amended`.
        case amended
    }

    /// The event type.
    public var kind: Kind
    /// The byte offsets of the UPN in the line (printable ASCII, no escapes).
    public var upn: Range<Int>
    /// The session's date.
    public var date: SchoolDate
    /// The session.
    public var session: Session
    /// The code recorded (for an amendment, the code it amends to).
    public var code: AttendanceCode
    /// Minutes late with ``code``.
    public var minutesLate: Int?
    /// A recorded mark's `recorded_at`, when present (nil for an amendment).
    public var recordedAt: Timestamp?
    /// An amendment's original code (equal to ``code`` for a recorded mark).
    public var original: AttendanceCode
    /// An amendment's original minutes late (nil for a recorded mark).
    public var originalMinutesLate: Int?
}

/// Decodes the two mark events from a line's bytes, for the fused reader.
///
/// It accepts only what ``EventLineDecoder/decodeExact(_:)`` accepts for these two types (the writer's
/// exact layout: members in the catalogue's order, printable ASCII strings without escapes, a
/// `recorded_at` only in the log's own 24-byte form), and anything else returns nil for the caller to
/// decode as before. So a line it accepts is one strict JSON object, and the fields it gives are those
/// of the envelope ``EventLineDecoder`` (and the general decoder) would build; the tests compare them
/// on generated and damaged lines.
public struct MarkLineDecoder {
    private let typeKey = LineCursor.Literal(EventMember.stringKey(EventMember.type))
    private let recordedHead = LineCursor.Literal(MarkLineDecoder.typeHead(.markRecorded))
    private let amendedHead = LineCursor.Literal(MarkLineDecoder.typeHead(.markAmended))
    private let positionKey = LineCursor.Literal(EventMember.stringKey(EventMember.position))
    private let upnKey = LineCursor.Literal(EventMember.stringKey(EventMember.upn))
    private let dateKey = LineCursor.Literal(EventMember.stringKey(EventMember.date))
    private let sessionKey = LineCursor.Literal(EventMember.stringKey(EventMember.session))
    private let codeKey = LineCursor.Literal(EventMember.stringKey(EventMember.code))
    private let minutesKey = LineCursor.Literal(EventMember.numberKey(EventMember.minutesLate))
    private let recordedAtKey = LineCursor.Literal(EventMember.stringKey(EventMember.recordedAt))
    private let originalKey = LineCursor.Literal(EventMember.stringKey(EventMember.original))
    private let originalMinutesKey = LineCursor.Literal(EventMember.numberKey(EventMember.originalMinutesLate))
    private let amendedKey = LineCursor.Literal(EventMember.stringKey(EventMember.amended))
    private let reasonKey = LineCursor.Literal(EventMember.stringKey(EventMember.reason))
    private let amendedOnKey = LineCursor.Literal(EventMember.stringKey(EventMember.amendedOn))

    /// The last date read and its bytes (`YYYY-MM-DD`): marks come a register at a time, one date for many lines.
    private var lastDate: (low: UInt64, high: UInt16, date: SchoolDate)?

    /// Creates a decoder.
    public init() {}

    private static func typeHead(_ type: EventType) -> [UInt8] {
        Array(type.rawValue.utf8) + Array("\",\"\(EventMember.v)\":1".utf8) + EventMember.stringKey(EventMember.author)
    }

    /// The mark in a committed line (not a stub) whose opening members the reader has checked, or nil
    /// when the line is not a mark event in the writer's exact layout.
    @inline(__always)
    public mutating func decode(_ b: UnsafeRawBufferPointer) -> MarkLine? {
        var s = LineCursor(b: b, i: LineCursor.prefixEnd(b), lastDate: lastDate)
        defer { lastDate = s.lastDate }
        // `,"type":"m`: both kinds share it; anything else is not a mark.
        guard s.i > 0, s.literal(typeKey), s.i < b.count, b[s.i] == UInt8(ascii: "m") else { return nil }
        let kind: MarkLine.Kind
        if s.literal(recordedHead) { kind = .recorded } else if s.literal(amendedHead) { kind = .amended } else { return nil }
        guard s.skipString(), s.literal(positionKey), s.skipString(), s.literal(upnKey), let upn = s.stringBody(),
              s.literal(dateKey), let date = s.date(), s.literal(sessionKey), let session = s.session() else { return nil }
        switch kind {
        case .recorded:
            guard s.literal(codeKey), let code = s.code() else { return nil }
            var minutes: Int?
            if s.literal(minutesKey) {
                guard let m = s.integer() else { return nil }
                minutes = m
            }
            var recordedAt: Timestamp?
            if s.literal(recordedAtKey) {
                // Only the log's own form; any other (the general decoder reads it) goes the long way.
                guard s.i + 25 <= b.count, b[s.i + 24] == 0x22,
                      let t = Timestamp(logBytes: UnsafeRawBufferPointer(rebasing: b[s.i..<(s.i + 24)])) else { return nil }
                s.i += 25
                recordedAt = t
            }
            guard s.end() else { return nil }
            return MarkLine(kind: .recorded, upn: upn, date: date, session: session, code: code, minutesLate: minutes,
                            recordedAt: recordedAt, original: code, originalMinutesLate: nil)
        case .amended:
            guard s.literal(originalKey), let original = s.code() else { return nil }
            var originalMinutes: Int?
            if s.literal(originalMinutesKey) {
                guard let m = s.integer() else { return nil }
                originalMinutes = m
            }
            guard s.literal(amendedKey), let amended = s.code() else { return nil }
            var minutes: Int?
            if s.literal(minutesKey) {
                guard let m = s.integer() else { return nil }
                minutes = m
            }
            guard s.literal(reasonKey), s.skipString(), s.literal(amendedOnKey), s.date() != nil, s.end() else { return nil }
            return MarkLine(kind: .amended, upn: upn, date: date, session: session, code: amended, minutesLate: minutes,
                            recordedAt: nil, original: original, originalMinutesLate: originalMinutes)
        }
    }
}
