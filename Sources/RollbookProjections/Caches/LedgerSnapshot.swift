import RollbookDomain
import RollbookLog

/// A snapshot of ``LedgerState`` after line ``position`` of a ledger's log: a cache the writer keeps in
/// `DIR/snapshot` so that reading commands replay only the lines after it (`events/FORMAT.md`).
///
/// The log stays the single source of truth: a reader uses a snapshot only when its format version and
/// label match and the log still holds the line it records (``LogReader/lineMatches(_:)``), and reads the
/// whole log otherwise. The encoding is binary and written by hand: a magic line, the format version,
/// the label, the position, the state, and a 64-bit checksum of everything before it.
public struct LedgerSnapshot: Sendable {
    /// The version of the fold and of this encoding: bump it whenever ``LedgerState/apply(_:)`` or the
    /// encoding changes, so that snapshots written by an older build are ignored.
    public static let formatVersion: UInt32 = 3
    static let magic = Array("ROLLBOOK-SNAPSHOT\n".utf8)

    /// The ledger's label (`rollbook/<URN>`).
    public var label: String
    /// The last line the state covers.
    public var position: LogPosition
    /// The state after folding every line up to ``position`` (as of no moment: all of them).
    public var state: LedgerState

    /// Creates a snapshot.
    public init(label: String, position: LogPosition, state: LedgerState) {
        self.label = label
        self.position = position
        self.state = state
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var e = SnapshotEncoder(capacity: 256 + state.markStore.encodedSizeEstimate)
        e.bytes.append(contentsOf: LedgerSnapshot.magic)
        e.uint32(LedgerSnapshot.formatVersion)
        e.string(label)
        e.int(position.seq)
        e.digest(position.head)
        e.int(position.segment)
        e.int(position.offset)
        e.optional(position.lastAt) { $0.timestamp($1) }
        state.encode(into: &e)
        e.uint64(LedgerSnapshot.checksum(e.bytes[...]))
        return e.bytes
    }

    /// Reads a snapshot file's bytes; throws on a wrong magic, version or checksum, or any malformed part.
    public init(bytes: [UInt8]) throws(SnapshotDecodingError) {
        guard bytes.count >= LedgerSnapshot.magic.count + 12, bytes.starts(with: LedgerSnapshot.magic) else {
            throw SnapshotDecodingError("it does not start with the snapshot magic line")
        }
        var tail = SnapshotDecoder(bytes, from: bytes.count - 8, end: bytes.count)
        guard try tail.fixed(UInt64.self) == LedgerSnapshot.checksum(bytes[..<(bytes.count - 8)]) else {
            throw SnapshotDecodingError("the checksum does not match (the file is truncated or damaged)")
        }
        var d = SnapshotDecoder(bytes, from: LedgerSnapshot.magic.count, end: bytes.count - 8)
        let version = try d.fixed(UInt32.self)
        guard version == LedgerSnapshot.formatVersion else {
            throw SnapshotDecodingError("it has format version \(version), not \(LedgerSnapshot.formatVersion)")
        }
        label = try d.string()
        position = LogPosition(seq: try d.int(), head: try d.digest(), segment: try d.int(), offset: try d.int(),
                               lastAt: try d.optional { d throws(SnapshotDecodingError) in try d.timestamp() })
        state = try LedgerState(decoding: &d)
        guard d.atEnd else { throw SnapshotDecodingError("bytes follow the state") }
    }

    /// A fast 64-bit checksum (FNV-1a over 8-byte words) that catches truncation and damage; it is not
    /// a defence against deliberate changes (the file is a cache, never trusted over the log).
    package static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01B3
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* prime
                h ^= h >> 29
            }
            for i in (words * 8)..<raw.count { h = (h ^ UInt64(raw[i])) &* prime }
        }
        return h ^ UInt64(bytes.count)
    }
}
