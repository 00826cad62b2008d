import RollbookCommandLine
import RollbookDomain
import RollbookLog
import RollbookReports

/// The options every command of both executables shares, parsed the same way everywhere.
public enum CommonOptions {
    /// `--ledger DIR`, else `$ROLLBOOK_LEDGER`, else `./ledger`.
    public static func ledger(_ arguments: inout Arguments, _ environment: ProcessEnvironment) throws(UsageError) -> String {
        try arguments.option("--ledger") ?? environment.ledger ?? "ledger"
    }

    /// `--format`, one of `allowed` (the first is the default).
    public static func format(_ arguments: inout Arguments, allowed: [OutputFormat] = OutputFormat.allCases) throws(UsageError) -> OutputFormat {
        guard let text = try arguments.option("--format") else { return allowed[0] }
        guard let format = OutputFormat(rawValue: text), allowed.contains(format) else {
            throw UsageError("--format must be one of " + allowed.map(\.rawValue).joined(separator: ", "))
        }
        return format
    }

    /// `--as-of T`: what the ledger knew at T (a date means the end of that day).
    public static func asOf(_ arguments: inout Arguments) throws(UsageError) -> Timestamp? {
        try arguments.option("--as-of", as: Timestamp.self)
    }

    /// `--from D` and `--to D`, refusing a range that ends before it starts.
    public static func range(_ arguments: inout Arguments, requireTo: Bool = false) throws(UsageError) -> (from: SchoolDate?, to: SchoolDate?) {
        let from = try arguments.option("--from", as: SchoolDate.self)
        let to = requireTo ? try arguments.required("--to", as: SchoolDate.self) : try arguments.option("--to", as: SchoolDate.self)
        if let from, let to, from > to { throw UsageError("--from must not be after --to") }
        return (from, to)
    }

    /// `--author NAME --position POSITION`, else `$ROLLBOOK_AUTHOR` and `$ROLLBOOK_POSITION`, as given
    /// (the ledger layer checks that neither is blank nor holds control characters).
    public static func identity(_ arguments: inout Arguments, _ environment: ProcessEnvironment) throws(UsageError) -> (name: String?, position: String?) {
        (try arguments.option("--author") ?? environment.author, try arguments.option("--position") ?? environment.position)
    }
}
