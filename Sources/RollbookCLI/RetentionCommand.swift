import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook retention`: which entries are past their six years and may be disposed of.
struct RetentionCommand: Command {
    static let name = "retention"
    static let summary = "The retention view: every entry's age, and which are past six years and disposable."
    static let usage = """
        Usage: rollbook retention [--on YYYY-MM-DD] [--format text|csv|json] [--ledger DIR]

          Every entry is kept for six years after the date it was made (the day it was appended, or
          for migrated history its recorded_at), then may be disposed of with
          `rollbook retention dispose`. The school, the calendar, disposal records and the details of
          pupils still on roll (or with entries still kept) are never disposed of.
          --on  the date to judge retention on (default: today)
        """

    var environment: CommandEnvironment
    var on: SchoolDate?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        on = try arguments.option("--on", as: SchoolDate.self)
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        let loaded = try RetentionLoad(directory: environment.ledger)
        ReadWarnings.report(loaded.replay.scan, into: &output)
        let day = on ?? SchoolDate(day: environment.now().dayNumber)
        let report = RetentionReport(on: day, ranges: loaded.index.ranges(on: day, state: loaded.replay.state),
                                     unfinished: loaded.index.unfinishedDisposal(loaded.replay.state).count)
        output.write(report.render(format))
    }
}

/// The ledger read once with its retention index.
struct RetentionLoad {
    var replay: LedgerReplay
    var index: RetentionIndex

    init(directory: String) throws {
        var index = RetentionIndex()
        replay = try LedgerReplay.load(directory: directory) { envelope, _ in index.add(envelope) }
        self.index = index
    }
}
