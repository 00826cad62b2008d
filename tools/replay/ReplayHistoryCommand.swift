import RollbookCommandLine
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
        ledger = try ReplayOptions.ledger(&arguments)
        let upn = try arguments.required("--upn")
        guard let date = try ReplayOptions.date(&arguments, "--date") else { throw UsageError("missing required option --date") }
        let sessionText = try arguments.required("--session")
        guard let session = Session(sessionText) else { throw UsageError("--session must be AM or PM") }
        focus = AmendmentHistory.Focus(upn: upn, date: date, session: session)
        asOf = try ReplayOptions.time(&arguments, "--as-of")
        format = try ReplayOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        var history = AmendmentHistory(focus: focus)
        let replay = try LedgerReplay.load(directory: ledger, asOf: asOf) { envelope, state in history.apply(envelope, state: state) }
        ReplayOptions.warnTail(replay, directory: ledger, &output)
        guard replay.state.pupilIndex[focus.upn] != nil else {
            throw CommandFailure("No pupil with UPN \(focus.upn) is on the admission register of this ledger.")
        }
        output.write(SessionHistoryReport(history: history, state: replay.state).render(format))
    }
}
