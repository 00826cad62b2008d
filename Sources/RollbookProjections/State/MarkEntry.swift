import RollbookDomain
import RollbookLog

/// The current value of one session's mark for one pupil.
public struct MarkEntry: Sendable, Hashable {
    /// The code as it now stands.
    public var code: AttendanceCode
    /// Minutes late, for `L` and `U`.
    public var minutesLate: Int?
    /// When the mark was first entered (its `recorded_at` for migrated history, else the event time).
    public var recordedAt: Timestamp
    /// The event that recorded it.
    public var seq: Int
    /// How many times it has been amended.
    public var amendments: Int
    /// When it was last amended.
    public var amendedAt: Timestamp?
    /// The event of the last amendment.
    public var amendedSeq: Int?
}

/// A pupil-session key for mark dictionaries: pupil index, day and session packed in 64 bits.
public struct MarkKey: Sendable, Hashable, Comparable {
    /// The packed value: pupil (high 32 bits), day number + 2^23 and session.
    public let raw: UInt64
    /// Creates a key.
    @inline(__always)
    public init(pupil: Int, date: SchoolDate, session: Session) {
        raw = UInt64(UInt32(pupil)) << 32 | UInt64(UInt32(bitPattern: date.day &+ (1 << 23))) << 1 | UInt64(session.rawValue)
    }
    /// Recreates a key from its packed value.
    public init(raw: UInt64) { self.raw = raw }
    /// The pupil index.
    public var pupil: Int { Int(raw >> 32) }
    /// The date.
    public var date: SchoolDate { SchoolDate(day: Int32(bitPattern: UInt32(truncatingIfNeeded: (raw >> 1) & 0x7FFF_FFFF)) &- (1 << 23)) }
    /// The session.
    public var session: Session { raw & 1 == 0 ? .am : .pm }
    public static func < (a: MarkKey, b: MarkKey) -> Bool { a.raw < b.raw }
}
