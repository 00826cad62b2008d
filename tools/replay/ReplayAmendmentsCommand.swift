import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook-replay amendments`: every amendment with its five statutory facts and sequence number.
struct ReplayAmendmentsCommand: Command {
    static let name = "amendments"
    static let summary = "List every amendment: original and amended entry, reason, date and time, name and position, seq."
    static let usage = """
        Usage: rollbook-replay amendments [--upn U] [--author NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                          [--as-of T] [--format text|csv|json] [--ledger DIR]

          --upn U        only this pupil's sessions
          --author NAME  only amendments made by this person (the name as recorded, any case)
          --from, --to   only sessions dated from/to these dates (inclusive)
          --as-of T      only amendments appended at or before T
          Text gives one line per amendment naming its seq and the five statutory facts.
        """

    var ledger: String
    var filter: AmendmentReport.Filter
    var asOf: Timestamp?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        filter = AmendmentReport.Filter(upn: try arguments.option("--upn"), author: try arguments.option("--author"),
                                        from: try arguments.option("--from", as: SchoolDate.self), to: try arguments.option("--to", as: SchoolDate.self))
        if let from = filter.from, let to = filter.to, to < from { throw UsageError("--to must not be before --from") }
        asOf = try arguments.option("--as-of", as: Timestamp.self)
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        var history = AmendmentHistory()
        let replay = try LedgerReplay.load(directory: ledger, asOf: asOf) { envelope, state in history.apply(envelope, state: state) }
        ReadWarnings.report(replay.scan, into: &output)
        output.write(AmendmentReport(amendments: history.amendments, filter: filter).render(format))
    }
}
