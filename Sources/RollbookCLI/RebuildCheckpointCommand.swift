import RollbookCommandLine
import RollbookLedger

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
        let rebuilt = try LedgerSession.rebuildCheckpoint(environment.context)
        if let moved = rebuilt.moved { output.warn(moved) }
        if rebuilt.after == rebuilt.before {
            output.line("The checkpoint already commits every event that chains (\(rebuilt.after) events); it was not changed.")
        } else {
            output.line("Rebuilt the checkpoint: it now commits \(rebuilt.after) events (it committed \(rebuilt.before)).")
        }
        if let fault = rebuilt.scan.fault { throw CommandFailure("The log still fails verification: \(fault)") }
        output.line("`rollbook verify` passes: \(rebuilt.scan.linesRead) events, head \(rebuilt.scan.head.hex).")
    }
}
