import RollbookCommandLine
import RollbookLog

/// `rollbook digest`: prints the checkpoint (C2SP tlog-checkpoint form) an auditor keeps outside the ledger.
struct DigestCommand: Command {
    static let name = "digest"
    static let summary = "Print a checkpoint (label, count, tree root, head) to keep outside the ledger."
    static let usage = """
        Usage: rollbook digest [--ledger DIR]

          Prints a C2SP tlog-checkpoint: rollbook/<URN>, the event count, the root of the RFC 6962 tree
          over the log (base64), and `chain <head hash>`. Keep it somewhere the school cannot change;
          `rollbook verify --digest FILE` and `rollbook-replay consistency --from FILE` later prove the
          log only grew since.
          The ledger is verified first; a ledger that fails verification gets no digest.
        """

    var environment: CommandEnvironment

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
    }

    func run(_ output: inout Output) throws {
        output.write(try LogReader(directory: environment.ledger).tree(allowingUncommittedTail: false).digest.text)
    }
}
