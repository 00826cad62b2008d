import Foundation
import RollbookCommandLine
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
        ledger = try ReplayOptions.ledger(&arguments)
        digest = try arguments.option("--digest")
        format = try ReplayOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        let result = try LedgerVerification.run(directory: ledger, digestPath: digest)
        output.write(result.render(format))
        if let failure = result.failureDescription { throw CommandFailure(failure) }
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

    /// Parses an optional `YYYY-MM-DD` option.
    static func date(_ arguments: inout Arguments, _ name: String) throws(UsageError) -> SchoolDate? {
        guard let text = try arguments.option(name) else { return nil }
        guard let date = InputDates.date(text) else { throw UsageError("\(name) must be a real date YYYY-MM-DD \(InputDates.rangeText)") }
        return date
    }

    /// Parses an optional ISO 8601 UTC time (or a date, meaning the end of that day).
    static func time(_ arguments: inout Arguments, _ name: String) throws(UsageError) -> Timestamp? {
        guard let text = try arguments.option(name) else { return nil }
        guard let time = InputDates.time(text) else {
            throw UsageError("\(name) must be an ISO 8601 UTC time such as 2025-10-01T12:00:00Z, or a date YYYY-MM-DD")
        }
        return time
    }

    /// Parses an optional non-negative whole number.
    static func count(_ arguments: inout Arguments, _ name: String) throws(UsageError) -> Int? {
        guard let text = try arguments.option(name) else { return nil }
        guard let n = Int(text), n >= 0 else { throw UsageError("\(name) must be a whole number, 0 or more") }
        return n
    }

    /// Warns about an uncommitted tail (bytes after the last committed line), which is ignored.
    static func warnTail(_ replay: LedgerReplay, directory: String, _ output: inout Output) {
        guard let tail = replay.scan.uncommittedTail else { return }
        if LogReader(directory: directory).writerIsActive {
            output.warn("note: a write is in progress (the writer holds the lock): the \(tail.bytes) bytes after seq \(tail.firstSeq - 1) are not committed yet and are not shown.")
        } else {
            output.warn("warning: \(tail); it is ignored.")
        }
    }
}
