import RollbookLog

/// Encodes many `mark.recorded` records by one author quickly, byte for byte as ``Event/record(by:)`` does.
///
/// `marks import` writes up to a million of these in one batch. The author's part of the record is
/// encoded once; dates, sessions, codes and times are written straight as bytes. A mark with a note,
/// or a UPN needing a JSON escape, is encoded by ``Event/record(by:)`` itself.
public struct MarkRecordEncoder {
    private let author: Author
    private let head: [UInt8]

    /// Creates an encoder for records made by `author`.
    public init(author: Author) {
        self.author = author
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.member(EventMember.type, EventType.markRecorded.rawValue)
        w.member(EventMember.v, 1)  // the version Event.record(by:) writes; MarkRecordEncoderTests checks they agree
        w.member(EventMember.author, author.name)
        w.member(EventMember.position, author.position)
        head = w.bytes
    }

    // The byte patterns, built from the names declared once in EventMember.
    private static let upnKey = EventMember.stringKey(EventMember.upn)
    private static let dateKey = EventMember.stringKey(EventMember.date)
    private static let amCodeKey = EventMember.stringKey(EventMember.session) + Array("AM\"".utf8) + EventMember.stringKey(EventMember.code)
    private static let pmCodeKey = EventMember.stringKey(EventMember.session) + Array("PM\"".utf8) + EventMember.stringKey(EventMember.code)
    private static let minutesKey = EventMember.numberKey(EventMember.minutesLate)
    private static let recordedAtKey = EventMember.stringKey(EventMember.recordedAt)

    /// The record of one mark: the same bytes as `Event.markRecorded(mark).record(by: author)`.
    public func record(_ mark: MarkRecorded) -> [UInt8] {
        guard mark.note == nil, mark.upn.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) else {
            return Event.markRecorded(mark).record(by: author)
        }
        var out: [UInt8] = []
        out.reserveCapacity(head.count + 120)
        append(upn: mark.upn, date: mark.date, session: mark.session, code: mark.code, minutesLate: mark.minutesLate,
               recordedAt: mark.recordedAt, to: &out)
        return out
    }

    /// Appends the record of a mark without a note to `out`: the same bytes as ``record(_:)`` gives. The
    /// UPN must need no JSON escape (no control character, quote or backslash; a well-formed UPN never does).
    public func append(upn: String, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int?,
                       recordedAt: Timestamp?, to out: inout [UInt8]) {
        out.append(contentsOf: head)
        out.append(contentsOf: MarkRecordEncoder.upnKey)
        out.append(contentsOf: upn.utf8)
        out.append(0x22)
        out.append(contentsOf: MarkRecordEncoder.dateKey)
        MarkRecordEncoder.append(date, to: &out)
        out.append(0x22)
        out.append(contentsOf: session == .am ? MarkRecordEncoder.amCodeKey : MarkRecordEncoder.pmCodeKey)
        if code == .presentPM {
            out.append(contentsOf: #"\\"#.utf8)
        } else {
            out.append(contentsOf: code.text.utf8)
        }
        out.append(0x22)
        if let minutes = minutesLate {
            out.append(contentsOf: MarkRecordEncoder.minutesKey)
            out.append(contentsOf: String(minutes).utf8)
        }
        if let recordedAt {
            out.append(contentsOf: MarkRecordEncoder.recordedAtKey)
            out.append(contentsOf: recordedAt.logBytes)
            out.append(0x22)
        }
        out.append(0x7D)
    }

    /// `YYYY-MM-DD` (as ``SchoolDate/description`` writes it, for years 1–9999).
    @inline(__always)
    static func append(_ date: SchoolDate, to out: inout [UInt8]) {
        let (y, m, d) = date.components
        guard (0...9999).contains(y) else {
            out.append(contentsOf: date.description.utf8)
            return
        }
        out.append(UInt8(0x30 + y / 1000)); out.append(UInt8(0x30 + y / 100 % 10)); out.append(UInt8(0x30 + y / 10 % 10)); out.append(UInt8(0x30 + y % 10))
        out.append(0x2D); out.append(UInt8(0x30 + m / 10)); out.append(UInt8(0x30 + m % 10))
        out.append(0x2D); out.append(UInt8(0x30 + d / 10)); out.append(UInt8(0x30 + d % 10))
    }
}
