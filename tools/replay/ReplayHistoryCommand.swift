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
                                       [--format text|csv|json] [--ledger DIR] [--cache DIR | --no-cache]

          Lists, oldest first, the original mark, then each amendment (with its reason), with the seq,
          time, author and position of each. A closure that overrode the session (`#` over anything but
          D; Y1-Y7 over / \\ L N O U or an empty session) is listed too, its reason being the closure's.

          The first query of a ledger verifies its whole log (chain, sequence, times, checkpoint) and keeps
          this tool's own cache of it, outside the ledger: where each verified line is, its SHA-256, and
          which lines touch each pupil-session. Later queries check that the log still holds the line the
          cache was verified up to, verify only the lines appended since, read only the lines the answer
          needs and re-hash each against its verified hash: a line changed since is refused, naming it. The
          cache is never evidence (every value shown comes from the log's own lines); a damaged cache, or
          one for a log since rewritten, is rebuilt with a warning. It does not re-verify the lines the
          answer does not need: `rollbook-replay verify` checks the whole log.
          --cache DIR   keep the cache in DIR (default $XDG_CACHE_HOME/rollbook-replay, else
                        $HOME/.cache/rollbook-replay; one file per ledger, named from its label and a
                        hash of its absolute path); never inside the ledger
          --no-cache    verify and replay the whole log, reading and writing no cache
        """

    var ledger: String
    var focus: AmendmentHistory.Focus
    var asOf: Timestamp?
    var format: OutputFormat
    var cacheDirectory: String?
    var noCache: Bool
    var environment: ProcessEnvironment

    init(_ arguments: inout Arguments) throws {
        environment = .current
        ledger = try CommonOptions.ledger(&arguments, environment)
        let upn = try arguments.required("--upn")
        let date = try arguments.required("--date", as: SchoolDate.self)
        let session = try arguments.required("--session", as: Session.self)
        focus = AmendmentHistory.Focus(upn: upn, date: date, session: session)
        asOf = try arguments.option("--as-of", as: Timestamp.self)
        format = try CommonOptions.format(&arguments)
        cacheDirectory = try arguments.option("--cache")
        noCache = arguments.flag("--no-cache")
        if noCache && cacheDirectory != nil { throw UsageError("give --cache DIR or --no-cache, not both") }
    }

    func run(_ output: inout Output) throws {
        if !noCache, let label = (try? LogReader(directory: ledger).checkpoint())??.label,
           let cache = try HistoryCache.locate(ledger: ledger, label: label, directory: cacheDirectory, environment: environment),
           let replay = try cache.history(focus: focus, asOf: asOf, output: &output) {
            try render(history: replay.history, state: replay.state, into: &output)
            return
        }
        // The reference: verify and replay the whole log.
        var history = AmendmentHistory(focus: focus)
        let replay = try LedgerReplay.load(directory: ledger, asOf: asOf) { envelope, state in history.apply(envelope, state: state) }
        ReadWarnings.report(replay.scan, directory: ledger, into: &output)
        try render(history: history, state: replay.state, into: &output)
    }

    func render(history: AmendmentHistory, state: LedgerState, into output: inout Output) throws {
        guard state.pupilIndex[focus.upn] != nil else {
            throw CommandFailure("No pupil with UPN \(focus.upn) is on the admission register of this ledger.")
        }
        output.write(SessionHistoryReport(history: history, state: state).render(format))
    }
}
