import Foundation
import RollbookCommandLine
import RollbookLog
import RollbookReports

/// `rollbook-replay verify`: the same verification as `rollbook verify`, read-only.
struct ReplayVerifyCommand: Command {
    static let name = "verify"
    static let summary = "Check the chain, sequence and checkpoint (and that the log extends a digest)."
    static let usage = "Usage: rollbook-replay verify [--digest FILE] [--format text|json] [--ledger DIR]"

    var ledger: String
    var digest: String?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try ReplayOptions.ledger(&arguments)
        digest = try arguments.option("--digest")
        format = try ReplayOptions.format(&arguments, allowed: [.text, .json])
    }

    func run(_ output: inout Output) throws {
        let result = try LedgerVerification.run(directory: ledger, digestPath: digest)
        output.write(result.render(format))
        if let fault = result.fault { throw CommandFailure(fault.description) }
    }
}

/// Options every replay command shares.
enum ReplayOptions {
    static func ledger(_ arguments: inout Arguments) throws(UsageError) -> String {
        try arguments.option("--ledger") ?? ProcessInfo.processInfo.environment["ROLLBOOK_LEDGER"] ?? "ledger"
    }

    static func format(_ arguments: inout Arguments, allowed: [OutputFormat] = OutputFormat.allCases) throws(UsageError) -> OutputFormat {
        let text = try arguments.option("--format") ?? "text"
        guard let f = OutputFormat(rawValue: text), allowed.contains(f) else {
            throw UsageError("--format must be one of " + allowed.map(\.rawValue).joined(separator: ", "))
        }
        return f
    }
}
