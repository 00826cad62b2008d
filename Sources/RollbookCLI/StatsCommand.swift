import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook stats`: attendance figures with the DfE names, per pupil and in total.
struct StatsCommand: Command {
    static let name = "stats"
    static let summary = "Attendance figures (DfE names), per pupil and in total, over a date range."
    static let usage = """
        Usage: rollbook stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group G] [--upn U] [--as-of T]
                              [--by group|year|pp|fsm|sen|ehcp] [--format text|csv|json] [--ledger DIR]

          --from, --to  the date range, inclusive (default: the academic year to date, from 1 August
                        to today; with only --to, from the 1 August before it)
          --group G     only pupils in registration group G;  --upn U  only that pupil
          --by COHORT   the same figures per cohort (registration group, year group, or Y/N for pupil
                        premium, free school meals, SEN support, EHC plan), with each cohort's pupils in
                        persistent and severe absence and their share of its pupils (PA%, SA%)
          --as-of T     what the ledger knew at T (ISO 8601 UTC, or YYYY-MM-DD for the end of that day, UK
                        time; migrated history counts from its recorded_at); "today" is then T's date

          Figures: possible_sessions, present_sessions, approved_educational_activity, overall_attendance,
          authorised_absence, unauthorised_absence, overall_absence, late_sessions, attendance_perc,
          overall_absence_perc, persistent_absence (absence >= 10% of possible), severe_absence (>= 50%),
          by_code. Percentages are unrounded in CSV and JSON, rounded to 2 places in text. Possible
          sessions run from admission to leaving (every spell on roll); closures and D X Q Y1-Y7 Z # are
          not possible; unmarked sessions are not counted. Totals are sums of sessions, not averages.
          JSON: {"total": {...}, "pupils": [{"upn": ..., ...}]}; with --by also "by" and "cohorts":
          [{"cohort", "pupils", "persistent_absentees", "severe_absentees", "persistent_absence_perc",
          "severe_absence_perc", and the figures}]; CSV with --by: a row per cohort.
        """

    var environment: CommandEnvironment
    var from: SchoolDate?
    var to: SchoolDate?
    var group: String?
    var upn: String?
    var asOf: Timestamp?
    var by: CohortFigures.Kind?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        from = try arguments.option("--from", as: SchoolDate.self)
        to = try arguments.option("--to", as: SchoolDate.self)
        group = try arguments.option("--group")
        upn = try arguments.upn()
        asOf = try CommonOptions.asOf(&arguments)
        by = try arguments.option("--by").map { text throws(UsageError) in
            guard let kind = CohortFigures.Kind(rawValue: text) else { throw UsageError("--by must be one of group, year, pp, fsm, sen, ehcp") }
            return kind
        }
        format = try CommonOptions.format(&arguments)
        if let from, let to, from > to { throw UsageError("--from must not be after --to") }
    }

    func run(_ output: inout Output) throws {
        var warnings: [String] = []
        let replay = try LedgerReplay.loadUsingSnapshot(directory: environment.ledger, asOf: asOf, checkingAllPages: true, warn: { warnings.append($0) }).replay
        for warning in warnings { output.warn(warning) }
        ReadWarnings.report(replay.scan, into: &output)
        try ReadWarnings.requireSchool(replay.state.school, ledger: environment.ledger, asOf: asOf)
        let state = replay.state
        if let group, !state.pupils.contains(where: { $0.group == group }) {
            throw CommandFailure("--group: no pupil has ever been in group \"\(group)\".")
        }
        if let upn, state.pupil(upn) == nil {
            throw CommandFailure("--upn: no pupil with UPN \(upn) is on the admission register.")
        }
        let today = SchoolClock.date(asOf ?? environment.now())
        let to = self.to ?? (from.map { max($0, today) } ?? today)
        let from = self.from ?? to.academicYearStart
        let report = StatsReport(state: state, from: from, to: to, group: group, upn: upn, asOf: asOf, by: by)
        output.write(report.render(format))
    }
}
