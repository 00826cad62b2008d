import Foundation
import RollbookCommandLine
import RollbookOptions
import RollbookLog
import RollbookReports

/// `rollbook verify`: checks the whole chain, the sequence, the checkpoint and optionally a digest.
struct VerifyCommand: Command {
    static let name = "verify"
    static let summary = "Check the log's chain, sequence and checkpoint (and that it extends a digest)."
    static let usage = """
        Usage: rollbook verify [--digest FILE] [--format text|csv|json] [--ledger DIR]

          --digest FILE  a checkpoint printed earlier by `rollbook digest` (or an earlier three-line
                         digest): also check that the log still extends it, by a consistency proof
                         when it carries a tree root (catches a consistently re-chained rewrite)
          Exits 0 when the ledger verifies, 1 naming the first bad sequence number when it does not.
        """

    var environment: CommandEnvironment
    var digestPath: String?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        digestPath = try arguments.option("--digest")
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        let result = try LedgerVerification.run(directory: environment.ledger, digestPath: digestPath)
        output.write(result.render(format))
        if let fault = result.fault { throw VerificationFailure(fault: fault) }
    }
}

/// A failed verification: the report is already printed; the exit is 1.
struct VerificationFailure: Error, CustomStringConvertible {
    var fault: LogFault
    var description: String { fault.description }
}
