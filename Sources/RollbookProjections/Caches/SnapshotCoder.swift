import RollbookDomain
import RollbookLog

/// The little-endian binary encoding a snapshot of projection state is written in, by hand: integers
/// as 8 bytes (or the width named), strings as a length and UTF-8 bytes, optionals as a 0/1 byte first.
struct SnapshotEncoder {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func int(_ v: Int) { int64(Int64(v)) }
    mutating func int64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func uint32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func uint16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func uint64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func byte(_ v: UInt8) { bytes.append(v) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        int(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    mutating func date(_ d: SchoolDate) { int32(d.day) }
    mutating func timestamp(_ t: Timestamp) { int64(t.milliseconds) }
    mutating func digest(_ d: SHA256Digest) { bytes.append(contentsOf: d.hex.utf8) }
    mutating func code(_ c: AttendanceCode) { byte(c.index) }
    mutating func session(_ s: Session) { byte(s.rawValue) }
    mutating func optional<T>(_ v: T?, _ write: (inout SnapshotEncoder, T) -> Void) {
        if let v { byte(1); write(&self, v) } else { byte(0) }
    }
}

/// Reads ``SnapshotEncoder``'s encoding; every read checks bounds and values and throws
/// ``SnapshotDecodingError`` on anything out of place.
struct SnapshotDecoder {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], from position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    var atEnd: Bool { position == end }

    mutating func take(_ n: Int) throws(SnapshotDecodingError) -> Range<Int> {
        guard n >= 0, end - position >= n else { throw SnapshotDecodingError("the file ends early") }
        defer { position += n }
        return position..<(position + n)
    }

    @inline(__always)
    mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws(SnapshotDecodingError) -> T {
        let range = try take(MemoryLayout<T>.size)
        return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: range.lowerBound, as: T.self) })
    }

    mutating func int() throws(SnapshotDecodingError) -> Int { Int(try fixed(Int64.self)) }
    mutating func count() throws(SnapshotDecodingError) -> Int {
        let n = try int()
        guard n >= 0, n <= end - position else { throw SnapshotDecodingError("a count is out of range") }
        return n
    }
    mutating func byte() throws(SnapshotDecodingError) -> UInt8 { bytes[try take(1).lowerBound] }
    mutating func bool() throws(SnapshotDecodingError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw SnapshotDecodingError("a flag is neither 0 nor 1")
        }
    }
    mutating func string() throws(SnapshotDecodingError) -> String {
        let range = try take(try count())
        // Nearly every string is ASCII (UPNs, dates, groups): decode those without the general validator.
        let text: String? = bytes.withUnsafeBufferPointer { all in
            let slice = UnsafeBufferPointer(rebasing: all[range])
            var high: UInt8 = 0
            for byte in slice { high |= byte }
            if high < 0x80 { return String(decoding: slice, as: UTF8.self) }
            return String(validating: slice, as: UTF8.self)
        }
        guard let text else { throw SnapshotDecodingError("a string is not UTF-8") }
        return text
    }
    mutating func date() throws(SnapshotDecodingError) -> SchoolDate { SchoolDate(day: try fixed(Int32.self)) }
    mutating func timestamp() throws(SnapshotDecodingError) -> Timestamp { Timestamp(milliseconds: try fixed(Int64.self)) }
    mutating func digest() throws(SnapshotDecodingError) -> SHA256Digest {
        guard let d = SHA256Digest(hex: bytes[try take(64)]) else { throw SnapshotDecodingError("a hash is not 64 hex digits") }
        return d
    }
    mutating func code() throws(SnapshotDecodingError) -> AttendanceCode {
        let i = Int(try byte())
        guard i < AttendanceCode.all.count else { throw SnapshotDecodingError("an attendance code index is out of range") }
        return AttendanceCode.all[i]
    }
    mutating func session() throws(SnapshotDecodingError) -> Session {
        guard let s = Session(rawValue: try byte()) else { throw SnapshotDecodingError("a session is neither AM nor PM") }
        return s
    }
    mutating func optional<T>(_ read: (inout SnapshotDecoder) throws(SnapshotDecodingError) -> T) throws(SnapshotDecodingError) -> T? {
        try bool() ? try read(&self) : nil
    }
}

/// Why a snapshot file could not be read.
public struct SnapshotDecodingError: Error, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// Creates an error.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "the snapshot cannot be read: \(reason)" }
}
