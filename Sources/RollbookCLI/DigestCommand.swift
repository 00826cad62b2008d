import RollbookCommandLine
import RollbookLog

/// `rollbook digest`: prints the three-line checkpoint an auditor keeps outside the ledger.
struct DigestCommand: Command {
    static let name = "digest"
    static let summary = "Print a digest (label, event count, head hash) to keep outside the ledger."
    static let usage = """
        Usage: rollbook digest [--ledger DIR]

          Prints three lines: rollbook/<URN>, the event count, the head hash. Keep it somewhere the
          school cannot change; `rollbook verify --digest FILE` later proves the log still extends it.
          The ledger is verified first; a ledger that fails verification gets no digest.
        """

    var environment: CommandEnvironment

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
    }

    func run(_ output: inout Output) throws {
        let reader = LogReader(directory: environment.ledger)
        guard reader.exists else { throw LogError.notALedger(path: reader.paths.directory) }
        let scan = try reader.scan { _ in }
        if let fault = scan.fault { throw LogError.verificationFailed(fault) }
        guard let checkpoint = scan.checkpoint else { throw LogError.notALedger(path: reader.paths.directory) }
        output.write(checkpoint.digestText)
    }
}
