import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook register`: the register for a date as it stands, or as it stood at `--as-of`.
struct RegisterCommand: Command {
    static let name = "register"
    static let summary = "Show a day's register as it stands, or as it stood at --as-of."
    static let usage = """
        Usage: rollbook register --date YYYY-MM-DD [--session AM|PM] [--group G] [--as-of T]
                                 [--format text|csv|json] [--ledger DIR]

          --as-of T  what the ledger knew at T: an ISO 8601 UTC time (2025-10-01T12:00:00Z), or a date
                     for the end of that day (UK time); marks entered after T are hidden (migrated
                     history counts from its recorded_at) and amendments after T are not applied
        """

    var environment: CommandEnvironment
    var date: SchoolDate
    var session: Session?
    var group: String?
    var asOf: Timestamp?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        date = try arguments.required("--date", as: SchoolDate.self)
        session = try arguments.option("--session", as: Session.self)
        group = try arguments.option("--group")
        asOf = try CommonOptions.asOf(&arguments)
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        let meter = ProgressMeter("reading the ledger")
        var warnings: [String] = []
        // A page of the snapshot found damaged while the register is read makes it read again from the log.
        let (replay, rendered) = try LedgerReplay.computeUsingSnapshot(directory: environment.ledger, asOf: asOf,
                                                                       warn: { warnings.append($0) },
                                                                       progress: meter.update) { replay in
            (replay, RegisterReport(state: replay.state, date: date, session: session, group: group, asOf: asOf).render(format))
        }
        for warning in warnings { output.warn(warning) }
        meter.finish()
        ReadWarnings.report(replay.scan, into: &output)
        try ReadWarnings.requireSchool(replay.state.school, ledger: environment.ledger, asOf: asOf)
        if let group, !replay.state.pupils.contains(where: { $0.group == group }) {
            throw CommandFailure("--group: no pupil has ever been in group \"\(group)\".")
        }
        output.write(rendered)
        if !output.standard.hasSuffix("\n") { output.write("\n") }
    }
}
