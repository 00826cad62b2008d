import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook-replay register`: the register for a date exactly as `rollbook register` showed it at a moment.
struct ReplayRegisterCommand: Command {
    static let name = "register"
    static let summary = "Show a day's register as it stood at --as-of (or as it stands)."
    static let usage = "Usage: rollbook-replay register --date YYYY-MM-DD [--session AM|PM] [--group G] [--as-of T] [--format text|csv|json] [--ledger DIR]"

    var ledger: String
    var date: SchoolDate
    var session: Session?
    var group: String?
    var asOf: Timestamp?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        date = try arguments.required("--date", as: SchoolDate.self)
        session = try arguments.option("--session", as: Session.self)
        group = try arguments.option("--group")
        asOf = try CommonOptions.asOf(&arguments)
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        let replay = try LedgerReplay.load(directory: ledger, asOf: asOf)
        ReadWarnings.report(replay.scan, into: &output)
        let report = RegisterReport(state: replay.state, date: date, session: session, group: group, asOf: asOf)
        output.write(report.render(format))
        if !output.standard.hasSuffix("\n") { output.write("\n") }
    }
}
