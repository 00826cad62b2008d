import Foundation
import RollbookCommandLine
import RollbookDomain
import RollbookLog

/// What every command takes from its surroundings: which ledger, who is writing, and the time.
///
/// The ledger is `--ledger DIR`, else `$ROLLBOOK_LEDGER`, else `./ledger`. The author is
/// `--author NAME --position POSITION`, else `$ROLLBOOK_AUTHOR` and `$ROLLBOOK_POSITION`. The clock is
/// the system's, unless `$ROLLBOOK_NOW` gives a fixed UTC time (used to build the demo ledger and
/// tests; the log still never goes back in time).
struct CommandEnvironment {
    var ledger: String
    var author: Author?
    var lockTimeout: Double
    var now: () -> Timestamp

    /// Parses `--ledger`, `--author`, `--position` from the arguments and fills the rest from the environment.
    static func parse(_ arguments: inout Arguments, writes: Bool) throws(UsageError) -> CommandEnvironment {
        let env = ProcessInfo.processInfo.environment
        let ledger = try arguments.option("--ledger") ?? env["ROLLBOOK_LEDGER"] ?? "ledger"
        var author: Author?
        if writes {
            let name = try arguments.option("--author") ?? env["ROLLBOOK_AUTHOR"]
            let position = try arguments.option("--position") ?? env["ROLLBOOK_POSITION"]
            guard let name, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError("every write needs an author: give --author NAME (or set ROLLBOOK_AUTHOR)")
            }
            guard let position, !position.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError("every write needs the author's position: give --position POSITION (or set ROLLBOOK_POSITION)")
            }
            author = Author(name: name.trimmingCharacters(in: .whitespaces), position: position.trimmingCharacters(in: .whitespaces))
        } else {
            // A reading command records nothing, so an identity given out of habit (or by a script that
            // passes one to every command) is accepted and not used.
            _ = try arguments.option("--author")
            _ = try arguments.option("--position")
        }
        let timeout = env["ROLLBOOK_LOCK_TIMEOUT"].flatMap(Double.init) ?? 10
        let fixed = env["ROLLBOOK_NOW"].flatMap { Timestamp(parsing: $0) }
        if env["ROLLBOOK_NOW"] != nil && fixed == nil {
            throw UsageError("ROLLBOOK_NOW is not a UTC time like 2025-09-03T08:41:07.123Z")
        }
        return CommandEnvironment(ledger: ledger, author: author, lockTimeout: timeout, now: {
            fixed ?? Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
        })
    }
}

/// Shared parsing of typed option values, with usage errors naming the option.
enum Parse {
    static func date(_ text: String, option: String) throws(UsageError) -> SchoolDate {
        guard let d = InputDates.date(text) else { throw UsageError("\(option) must be a real date YYYY-MM-DD \(InputDates.rangeText)") }
        return d
    }
    static func session(_ text: String, option: String = "--session") throws(UsageError) -> Session {
        guard let s = Session(text) else { throw UsageError("\(option) must be AM or PM") }
        return s
    }
    static func timestamp(_ text: String, option: String) throws(UsageError) -> Timestamp {
        guard let t = InputDates.time(text) else { throw UsageError("\(option) must be an ISO 8601 UTC time such as 2025-10-01T12:00:00Z, \(InputDates.rangeText)") }
        return t
    }
    static func format(_ text: String?, allowed: [String] = ["text", "csv", "json"]) throws(UsageError) -> String {
        let f = text ?? allowed[0]
        guard allowed.contains(f) else { throw UsageError("--format must be one of " + allowed.joined(separator: ", ")) }
        return f
    }
    static func minutes(_ text: String?, option: String = "--minutes-late") throws(UsageError) -> Int? {
        guard let text else { return nil }
        guard let m = Int(text), m >= 0, m <= 600 else { throw UsageError("\(option) must be a whole number of minutes from 0 to 600") }
        return m
    }
}
