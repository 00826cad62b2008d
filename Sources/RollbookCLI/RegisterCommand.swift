import RollbookCommandLine
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
        date = try Parse.date(try arguments.required("--date"), option: "--date")
        session = try arguments.option("--session").map { text throws(UsageError) in try Parse.session(text) }
        group = try arguments.option("--group")
        asOf = try arguments.option("--as-of").map { text throws(UsageError) in try Parse.timestamp(text, option: "--as-of") }
        format = OutputFormat(rawValue: try Parse.format(try arguments.option("--format")))!
    }

    func run(_ output: inout Output) throws {
        let meter = ProgressMeter("reading the ledger")
        var warnings: [String] = []
        let replay = try LedgerReplay.loadUsingSnapshot(directory: environment.ledger, asOf: asOf, warn: { warnings.append($0) },
                                                        progress: meter.update).replay
        for warning in warnings { output.warn(warning) }
        meter.finish()
        ReadWarnings.report(replay.scan, into: &output)
        try ReadWarnings.requireSchool(replay.state, ledger: environment.ledger, asOf: asOf)
        if let group, !replay.state.pupils.contains(where: { $0.group == group }) {
            throw CommandFailure("--group: no pupil has ever been in group \"\(group)\".")
        }
        let report = RegisterReport(state: replay.state, date: date, session: session, group: group, asOf: asOf)
        output.write(report.render(format))
        if !output.standard.hasSuffix("\n") { output.write("\n") }
    }
}

/// Warnings every reading command gives about the log it read.
enum ReadWarnings {
    static func report(_ scan: LogScan, into output: inout Output) {
        if let tail = scan.uncommittedTail {
            output.warn("warning: \(tail); it is ignored here and the next write will cut it off.")
        }
    }

    /// Fails, in the school's words, when nothing was known yet at the as-of moment.
    static func requireSchool(_ state: LedgerState, ledger: String, asOf: Timestamp?) throws {
        guard state.school == nil, let asOf else { return }
        throw CommandFailure("The ledger at \(ledger) did not exist yet at \(asOf): nothing had been recorded by then; give a later --as-of.")
    }
}
