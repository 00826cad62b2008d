import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook stages`: each pupil's stage under the ledger's policy, or another.
struct StagesCommand: Command {
    static let name = "stages"
    static let summary = "Each pupil's stage, flags and actions due under the ledger's stage policy (or --policy)."
    static let usage = """
        Usage: rollbook stages [--on YYYY-MM-DD] [--policy P] [--format text|csv|json] [--ledger DIR]

          --on D      evaluate on D: the log as it stood at the end of D (events appended up to D 23:59:59.999Z)
                      and the figures of the academic year up to and including D (default: today)
          --policy P  dfe, burton-pru, wimborne, primary-bands, danesgate, or a policy JSON file
                      (default: the policy the ledger was opened with); see README "Stage policies"

          "since" is the day the pupil entered the stage: the stage is replayed through the year, at the
          end of each day, with the log as it stood then, so `stages --on D` for a past D prints exactly
          what `stages` printed on D. JSON: {"pupils": [{"upn", "stage", "since", "flags", "reason",
          "actions_due"}]}; actions_due lists the `rollbook intervene --action` ids the policy says are due
          and not yet recorded.
        """

    var options: StageOptions

    init(_ arguments: inout Arguments) throws {
        options = try StageOptions(&arguments)
    }

    func run(_ output: inout Output) throws {
        let day = options.on ?? SchoolClock.date(options.environment.now())
        let run = try StageRun(ledger: options.environment.ledger, on: day, policyName: options.policy)
        ReadWarnings.report(run.replay.scan, into: &output)
        output.write(StagesReport(on: day, policy: run.policy, pupils: run.stages, state: run.replay.state).render(options.format))
    }
}
