import RollbookLog
import RollbookLogWriter

extension LedgerSession {
    /// What rebuilding a checkpoint did.
    public struct CheckpointRebuilt {
        /// How many events the checkpoint committed before (0 when it was missing).
        public var before: Int
        /// How many it commits now.
        public var after: Int
        /// The warning about bytes moved to `DIR/recovered/`, when any were.
        public var moved: String?
        /// The full verification of the log afterwards.
        public var scan: LogScan
    }

    /// Makes a missing checkpoint, or one older than the log (restored from an older backup), commit
    /// every complete event that continues the chain, moving whatever follows them to `DIR/recovered/`;
    /// then verifies the whole log. For a missing checkpoint the label comes from the `ledger.opened`
    /// event on the first line.
    public static func rebuildCheckpoint(_ context: LedgerContext) throws -> CheckpointRebuilt {
        let reader = LogReader(directory: context.directory)
        let label = try reader.checkpoint()?.label ?? labelFromFirstEvent(reader)
        let writer = try LogWriter(directory: context.directory, label: label, lockTimeout: context.lockTimeout,
                                   faults: context.faults, rebuilding: true)
        let result = try writer.rebuildCheckpoint(at: context.clock())
        let scan = try reader.scan { _ in }
        return CheckpointRebuilt(before: result.before, after: result.after,
                                 moved: result.moved.map { $0.report(ledger: context.directory) }, scan: scan)
    }

    /// `rollbook/<URN>` from the `ledger.opened` event on the first line.
    static func labelFromFirstEvent(_ reader: LogReader) throws -> String {
        let bytes = try FileSystem.read(reader.paths.segment(1), from: 0, limit: 1 << 20)
        let first = bytes.firstIndex(of: 0x0A).flatMap { try? JSONValue.parse(Array(bytes[0..<$0])) }
        guard let first, first["type"]?.stringValue == "ledger.opened", let urn = first["urn"]?.stringValue,
              urn.count == 6, urn.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw LedgerError.rejected("the first line of segments/000001.jsonl is not a ledger.opened event, so the school's URN is unknown and no checkpoint can be rebuilt")
        }
        return "rollbook/\(urn)"
    }
}
