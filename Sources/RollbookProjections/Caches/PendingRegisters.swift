import RollbookDomain
import Synchronization

/// The registers taken as a snapshot holds them: their bytes, checked for shape when the snapshot is
/// opened and decoded into keys the first time they are read.
final class PendingRegisters: Sendable {
    /// The encoded keys (group, date, session each), as ``LedgerState`` writes them.
    let bytes: [UInt8]
    /// How many keys.
    let count: Int
    private let decoded = Mutex<Set<LedgerState.RegisterKey>?>(nil)

    /// Takes the keys' bytes from the decoder (their count, then their length in bytes), building none.
    init(decoding d: inout SnapshotDecoder) throws(SnapshotDecodingError) {
        count = try d.count()
        let range = try d.take(try d.count())
        bytes = Array(d.bytes[range])
    }

    /// The keys (decoded once).
    var keys: Set<LedgerState.RegisterKey> {
        decoded.withLock { keys in
            if let keys { return keys }
            var d = SnapshotDecoder(bytes, from: 0, end: bytes.count)
            var set = Set<LedgerState.RegisterKey>(minimumCapacity: count)
            for _ in 0..<count {
                // The shape was checked when the snapshot was opened; a group that is not UTF-8 (only a
                // forged file has one) is read with replacement characters and `verify` reports it.
                guard let length = try? d.count(), let range = try? d.take(length), let date = try? d.date(),
                      let session = try? d.session() else { break }
                set.insert(LedgerState.RegisterKey(group: String(decoding: bytes[range], as: UTF8.self), date: date, session: session))
            }
            keys = set
            return set
        }
    }
}
