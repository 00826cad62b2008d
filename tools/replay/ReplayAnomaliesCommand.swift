import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook-replay anomalies`: explainable findings for an auditor, each naming its sequence numbers.
struct ReplayAnomaliesCommand: Command {
    static let name = "anomalies"
    static let summary = "Flag late amendments, N codes left past 5 school days, one author's share, post-census changes, early marks."
    static let usage = """
        Usage: rollbook-replay anomalies [--on YYYY-MM-DD] [--late-after DAYS] [--author-minimum N] [--author-share PERCENT]
                                         [--as-of T] [--format text|csv|json] [--ledger DIR]

          Rules (each finding names the seq numbers behind it):
          late-amendment         an amendment made more than --late-after school days (default 10: twice the
                                 5 school days the regulations allow to settle an N, so routine follow-up and
                                 N-to-O conversions are not flagged; holidays do not count) after its session
          n-past-deadline        an N not replaced within 5 school days of its session: replaced after the 5th
                                 school day, or still standing on --on (default: the date of the last event)
          author-share           one author made at least --author-minimum amendments (default 10) and more
                                 than --author-share percent of all amendments (default 50)
          after-census           an amendment that changed the session's census figures (possible, authorised,
                                 unauthorised, or the absence reason) made after a census day on or after the
                                 session; census days: first Thursday of October, third Thursday of January,
                                 third Thursday of May
          mark-before-admission  marks for a day before the pupil's admission date or before the day the
                                 admission was recorded (a back-filled register), or with no admission at all;
                                 migrated history (marks with recorded_at) is not flagged
          School days come from the ledger's calendar; a session whose 5th school day is beyond the calendar
          is not judged for n-past-deadline.
        """

    var ledger: String
    var on: SchoolDate?
    var rules = AnomalyRules()
    var asOf: Timestamp?
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        on = try arguments.option("--on", as: SchoolDate.self)
        if let n = try arguments.option("--late-after", as: Count.self)?.value { rules.lateAmendmentSchoolDays = n }
        if let n = try arguments.option("--author-minimum", as: Count.self)?.value { rules.authorMinimum = n }
        if let n = try arguments.option("--author-share", as: Count.self)?.value {
            guard n <= 100 else { throw UsageError("--author-share must be a percentage from 0 to 100") }
            rules.authorSharePercent = n
        }
        asOf = try arguments.option("--as-of", as: Timestamp.self)
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        var anomalies = AuditAnomalies()
        let replay = try LedgerReplay.load(directory: ledger, asOf: asOf) { envelope, state in anomalies.apply(envelope, state: state) }
        ReadWarnings.report(replay.scan, into: &output)
        let judgedOn = on ?? replay.state.lastAt.map { SchoolDate(day: $0.dayNumber) } ?? SchoolDate(day: 0)
        let findings = anomalies.findings(state: replay.state, on: judgedOn, rules: rules)
        output.write(AnomalyReport(on: judgedOn, rules: rules, findings: findings).render(format))
    }
}
