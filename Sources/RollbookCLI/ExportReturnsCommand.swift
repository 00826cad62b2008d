import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLedger
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook export returns`: the notifications due to the local authority, optionally marked as sent.
struct ExportReturnsCommand: Command {
    static let name = "export returns"
    static let summary = "LA statutory returns: 10 days' continuous unauthorised absence, 15 days' sickness, deletions, admissions."
    static let usage = """
        Usage: rollbook export returns [--from YYYY-MM-DD] --to YYYY-MM-DD [--mark-sent] [--all] [--as-of T]
                                       [--format text|csv|json] [--ledger DIR] [--author NAME --position POSITION]

          --from       the first date (default: 1 August of the school year of --to)
          --as-of T    what the ledger knew at T (ISO 8601 UTC, or a date for the end of that day, UK
                       time); not with --mark-sent
          --mark-sent  record the listed notifications as sent (a returns.sent event; needs the
                       author and position); later exports leave them out
          --all        also list notifications already sent
          Kinds: continuous-unauthorised-10 (10 consecutive school days whose possible sessions are
          all G/N/O/U; one per continuous period), sickness-15 (code I on 30 sessions in the school
          year, consecutively or in total; one per pupil and year), deletion (with the ground),
          admission. A notification is the same one while its first date is the same.
        """

    var environment: CommandEnvironment
    var from: SchoolDate?
    var to: SchoolDate
    var markSent: Bool
    var all: Bool
    var format: OutputFormat
    var asOf: Timestamp?

    init(_ arguments: inout Arguments) throws {
        markSent = arguments.flag("--mark-sent")
        all = arguments.flag("--all")
        environment = try CommandEnvironment.parse(&arguments, writes: markSent)
        let range = try CommonOptions.range(&arguments, requireTo: true)
        guard let to = range.to else { throw UsageError("missing required option --to") }
        from = range.from
        self.to = to
        format = try CommonOptions.format(&arguments)
        asOf = try arguments.option("--as-of", as: Timestamp.self)
        if asOf != nil && markSent { throw UsageError("--mark-sent records what is sent now; it cannot be combined with --as-of") }
    }

    func run(_ output: inout Output) throws {
        let start = from ?? to.academicYearStart
        if markSent {
            let session = try environment.openSession(&output)
            let returns = StatutoryReturns(state: session.state, from: start, to: to)
            let unsent = returns.notifications.filter { !$0.sent }
            if unsent.isEmpty {
                output.warn("Nothing new to mark as sent.")
            } else {
                // Recorded as sent first: the returns are printed only once the record is durable.
                let appended = try session.markSent(unsent.map(\.entry))
                output.warn("Recorded \(unsent.count) notification(s) as sent to the local authority (seq \(appended.first)).")
            }
            output.write(ReturnsReport(notifications: all ? returns.notifications : unsent).render(format))
            return
        }
        let replay = try LedgerReplay.load(directory: environment.ledger, asOf: asOf)
        ReadWarnings.report(replay.scan, into: &output)
        try ReadWarnings.requireSchool(replay.state.school, ledger: environment.ledger, asOf: asOf)
        let returns = StatutoryReturns(state: replay.state, from: start, to: to)
        output.write(ReturnsReport(notifications: all ? returns.notifications : returns.notifications.filter { !$0.sent }).render(format))
    }
}
