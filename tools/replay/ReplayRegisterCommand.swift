import RollbookCommandLine
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
        ledger = try ReplayOptions.ledger(&arguments)
        let dateText = try arguments.required("--date")
        guard let date = InputDates.date(dateText) else { throw UsageError("--date must be a real date YYYY-MM-DD \(InputDates.rangeText)") }
        self.date = date
        if let s = try arguments.option("--session") {
            guard let session = Session(s) else { throw UsageError("--session must be AM or PM") }
            self.session = session
        }
        group = try arguments.option("--group")
        if let t = try arguments.option("--as-of") {
            guard let asOf = InputDates.time(t) else { throw UsageError("--as-of must be an ISO 8601 UTC time such as 2025-10-01T12:00:00Z") }
            self.asOf = asOf
        }
        format = try ReplayOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        let replay = try LedgerReplay.load(directory: ledger, asOf: asOf)
        ReplayOptions.warnTail(replay, directory: ledger, &output)
        let report = RegisterReport(state: replay.state, date: date, session: session, group: group, asOf: asOf)
        output.write(report.render(format))
        if !output.standard.hasSuffix("\n") { output.write("\n") }
    }
}
