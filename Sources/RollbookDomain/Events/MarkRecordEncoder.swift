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
        append(lead: lead(upn: upn), date: date, sessionAndCode: MarkRecordEncoder.sessionAndCode(session, code), minutesLate: minutesLate,
               recordedAt: recordedAt, to: &out)
    }

    /// The bytes a record for this UPN starts with, up to its date: for ``append(lead:date:sessionAndCode:minutesLate:recordedAt:to:)``,
    /// made once per pupil. The UPN must need no JSON escape.
    public func lead(upn: String) -> [UInt8] {
        head + MarkRecordEncoder.upnKey + Array(upn.utf8) + [0x22] + MarkRecordEncoder.dateKey
    }

    /// The bytes that follow a record's date, up to its code's closing quote: made once per session and code.
    public static func sessionAndCode(_ session: Session, _ code: AttendanceCode) -> [UInt8] {
        [0x22] + (session == .am ? amCodeKey : pmCodeKey) + (code == .presentPM ? Array(#"\\"#.utf8) : Array(code.text.utf8)) + [0x22]
    }

    /// Appends a record from its parts (``lead(upn:)``, ``sessionAndCode(_:_:)``): the same bytes as ``record(_:)``
    /// gives for the mark, with three copies and no allocation for a mark with neither minutes nor a time.
    public func append(lead: [UInt8], date: SchoolDate, sessionAndCode: [UInt8], minutesLate: Int?, recordedAt: Timestamp?,
                       to out: inout [UInt8]) {
        lead.withUnsafeBufferPointer { lead in
            sessionAndCode.withUnsafeBufferPointer { sessionAndCode in
                append(lead: lead, date: date, sessionAndCode: sessionAndCode, minutesLate: minutesLate, recordedAt: recordedAt, to: &out)
            }
        }
    }

    /// ``append(lead:date:sessionAndCode:minutesLate:recordedAt:to:)`` with the parts held outside arrays, so
    /// that copying them for a million marks costs no reference counting.
    @inline(__always)
    public func append(lead: UnsafeBufferPointer<UInt8>, date: SchoolDate, sessionAndCode: UnsafeBufferPointer<UInt8>, minutesLate: Int?,
                       recordedAt: Timestamp?, to out: inout [UInt8]) {
        out.append(contentsOf: lead)
        var digits: (UInt64, UInt64) = (0, 0)
        let (y, m, d) = date.components
        if (0...9999).contains(y) {
            withUnsafeMutableBytes(of: &digits) { b in
                b[0] = UInt8(0x30 + y / 1000); b[1] = UInt8(0x30 + y / 100 % 10); b[2] = UInt8(0x30 + y / 10 % 10); b[3] = UInt8(0x30 + y % 10)
                b[4] = 0x2D; b[5] = UInt8(0x30 + m / 10); b[6] = UInt8(0x30 + m % 10)
                b[7] = 0x2D; b[8] = UInt8(0x30 + d / 10); b[9] = UInt8(0x30 + d % 10)
            }
            withUnsafeBytes(of: &digits) { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<10])) }
        } else {
            out.append(contentsOf: date.description.utf8)
        }
        out.append(contentsOf: sessionAndCode)
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
}
