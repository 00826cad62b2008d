import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook stages`: each pupil's stage under the ledger's policy, or another.
struct StagesCommand: Command {
    static let name = "stages"
    static let summary = "Each pupil's stage, flags and actions due under the ledger's policy."
    static let usage = """
        Usage: rollbook stages [--on YYYY-MM-DD] [--as-of T] [--policy P] [--format text|csv|json]
                               [--ledger DIR]

          --on D      the school's calendar: the figures of the academic year up to and including D
                      (default: today, or the --as-of date)
          --as-of T   what the ledger knew: only entries made by T (ISO 8601 UTC, or a date for the end of
                      that day, UK time); migrated history counts from its recorded_at (default: everything)
          --policy P  dfe, burton-pru, wimborne, primary-bands, danesgate, or a policy JSON file
                      (default: the policy the ledger was opened with); see README "Stage policies"

          "since" is the day the pupil entered the stage on the school's calendar: every day of the year up
          to D is evaluated from the marks for its sessions, so a term imported today reads as if it had
          been recorded day by day. `stages --on D --as-of D` prints what `stages` printed on D.
          JSON: {"pupils": [{"upn", "stage", "since", "flags", "reason", "actions_due"}]}; actions_due
          lists the `rollbook intervene --action` ids the policy says are due and not yet recorded.
        """

    var options: StageOptions

    init(_ arguments: inout Arguments) throws {
        options = try StageOptions(&arguments)
    }

    func run(_ output: inout Output) throws {
        let day = options.on ?? SchoolClock.date(options.asOf ?? options.environment.now())
        var warnings: [String] = []
        let run = try StageRun(ledger: options.environment.ledger, on: day, asOf: options.asOf, policyName: options.policy,
                               warn: { warnings.append($0) })
        for warning in warnings { output.warn(warning) }
        ReadWarnings.report(run.replay.scan, into: &output)
        output.write(StagesReport(on: day, policy: run.policy, pupils: run.stages, state: run.replay.state).render(options.format))
    }
}
