import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook-replay history`: every value one pupil-session ever had, oldest first.
struct ReplayHistoryCommand: Command {
    static let name = "history"
    static let summary = "Show every value one pupil's session ever had: the original mark, each amendment, overriding closures."
    static let usage = """
        Usage: rollbook-replay history --upn U --date YYYY-MM-DD --session AM|PM [--as-of T]
                                       [--format text|csv|json] [--ledger DIR]

          Lists, oldest first, the original mark, then each amendment (with its reason), with the seq,
          time, author and position of each. A closure that overrode the session (`#` over anything but
          D; Y1-Y7 over / \\ L N O U or an empty session) is listed too, its reason being the closure's.
        """

    var ledger: String
    var focus: AmendmentHistory.Focus
    var asOf: Timestamp?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        let upn = try arguments.required("--upn")
        let date = try arguments.required("--date", as: SchoolDate.self)
        let session = try arguments.required("--session", as: Session.self)
        focus = AmendmentHistory.Focus(upn: upn, date: date, session: session)
        asOf = try arguments.option("--as-of", as: Timestamp.self)
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        var history = AmendmentHistory(focus: focus)
        let replay = try LedgerReplay.load(directory: ledger, asOf: asOf) { envelope, state in history.apply(envelope, state: state) }
        ReadWarnings.report(replay.scan, into: &output)
        guard replay.state.pupilIndex[focus.upn] != nil else {
            throw CommandFailure("No pupil with UPN \(focus.upn) is on the admission register of this ledger.")
        }
        output.write(SessionHistoryReport(history: history, state: replay.state).render(format))
    }
}
