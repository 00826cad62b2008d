import Foundation
import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook-replay verify`: the same verification as `rollbook verify`, read-only.
struct ReplayVerifyCommand: Command {
    static let name = "verify"
    static let summary = "Check the chain, sequence and checkpoint (and that the log extends a digest)."
    static let usage = "Usage: rollbook-replay verify [--digest FILE] [--format text|csv|json] [--ledger DIR]"

    var ledger: String
    var digest: String?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        digest = try arguments.option("--digest")
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        let result = try LedgerVerification.run(directory: ledger, digestPath: digest)
        output.write(result.render(format))
        if let fault = result.fault { throw CommandFailure(fault.description) }
    }
}
