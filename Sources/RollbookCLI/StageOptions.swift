import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookReports

/// The options `rollbook stages` and `rollbook worklist` share: the day, the policy and the format.
struct StageOptions {
    var environment: CommandEnvironment
    /// The evaluation day (default: today).
    var on: SchoolDate?
    /// Another policy to evaluate instead of the ledger's.
    var policy: String?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        on = try arguments.option("--on", as: SchoolDate.self)
        policy = try arguments.option("--policy")
        format = try CommonOptions.format(&arguments)
    }
}
