import RollbookCommandLine
import RollbookDomain
import RollbookLog
import RollbookLogWriter

/// `rollbook rebuild-checkpoint`: makes a lost (or older, restored) checkpoint commit the events that chain.
struct RebuildCheckpointCommand: Command {
    static let name = "rebuild-checkpoint"
    static let summary = "Rebuild a lost or older checkpoint from the events that chain."
    static let usage = """
        Usage: rollbook rebuild-checkpoint [--ledger DIR] --author NAME --position POSITION

          For a ledger whose checkpoint is missing, or older than its segments (restored from an older
          backup). The new checkpoint commits every complete event that continues the chain (sequence
          and prev links checked) after the old checkpoint, or from the first event when there is none;
          anything after them is moved to DIR/recovered/, never deleted. Then the whole log is verified.
          Prefer restoring the checkpoint from the backup taken with the segments when you have it: a
          rebuilt checkpoint cannot tell you whether events were removed from the end.
        """

    var environment: CommandEnvironment

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
    }

    func run(_ output: inout Output) throws {
        let reader = LogReader(directory: environment.ledger)
        let label = try reader.checkpoint()?.label ?? RebuildCheckpointCommand.labelFromFirstEvent(reader)
        let writer = try LogWriter(directory: environment.ledger, label: label, lockTimeout: environment.lockTimeout,
                                   faults: StorageFaults.fromEnvironment(), rebuilding: true)
        let result = try writer.rebuildCheckpoint(at: environment.now())
        if let moved = result.moved { output.warn(moved.report(ledger: environment.ledger)) }
        if result.after == result.before {
            output.line("The checkpoint already commits every event that chains (\(result.after) events); it was not changed.")
        } else {
            output.line("Rebuilt the checkpoint: it now commits \(result.after) events (it committed \(result.before)).")
        }
        let scan = try reader.scan { _ in }
        if let fault = scan.fault {
            throw CommandFailure("The log still fails verification: \(fault)")
        }
        output.line("`rollbook verify` passes: \(scan.linesRead) events, head \(scan.head.hex).")
    }

    /// `rollbook/<URN>` from the ledger.opened event on the first line, for a ledger with no checkpoint.
    static func labelFromFirstEvent(_ reader: LogReader) throws -> String {
        let bytes = try FileSystem.read(reader.paths.segment(1), from: 0, limit: 1 << 20)
        guard let end = bytes.firstIndex(of: 0x0A) else {
            throw CommandFailure("The first segment holds no complete event, so there is no ledger.opened event to rebuild a checkpoint from.")
        }
        let first = try? JSONValue.parse(Array(bytes[0..<end]))
        guard let first, first["type"]?.stringValue == "ledger.opened", let urn = first["urn"]?.stringValue,
              urn.count == 6, urn.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CommandFailure("The first line of segments/000001.jsonl is not a ledger.opened event, so the school's URN is unknown and no checkpoint was written.")
        }
        return "rollbook/\(urn)"
    }
}
