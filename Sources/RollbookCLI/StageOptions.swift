import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookReports

/// The options `rollbook stages` and `rollbook worklist` share: the day, what the ledger knew, the policy and the format.
struct StageOptions {
    var environment: CommandEnvironment
    /// The evaluation day (default: today).
    var on: SchoolDate?
    /// What the ledger knew: events known at this moment (default: everything recorded).
    var asOf: Timestamp?
    /// Another policy to evaluate instead of the ledger's.
    var policy: String?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        on = try arguments.option("--on", as: SchoolDate.self)
        asOf = try arguments.option("--as-of", as: Timestamp.self)
        policy = try arguments.option("--policy")
        format = try CommonOptions.format(&arguments)
    }
}
