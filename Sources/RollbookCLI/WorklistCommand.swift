import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook worklist`: the attendance officer's day.
struct WorklistCommand: Command {
    static let name = "worklist"
    static let summary = "The officer's day: calls to make, N codes to resolve, missing marks, stage changes, letters and meetings due."
    static let usage = """
        Usage: rollbook worklist [--on YYYY-MM-DD] [--policy P] [--format text|csv|json] [--ledger DIR]

          --on D      the day (default today); the log as it stood at the end of D
          --policy P  the stage policy for sections 4 and 5 (default: the ledger's)

          Sections, in this order:
          1. calls          pupils with an unexplained absence (N) on D: the first-day call and each further
                            day's call. Vulnerable first: EHCP, then SEN, then PP/FSM, then the rest; then by
                            group and UPN. Each shows the day of absence (1 = first day).
          2. unexplained    N codes standing 3 or more school days after their session: those past the
                            5-school-day limit (they must become O) first, then those nearing it; oldest first.
          3. missing_marks  past sessions of pupils on roll with no mark (closures count as marked); today's
                            sessions count once their register has closed (UK time); by date, session, group.
          4. stage_changes  pupils whose stage differs from the end of the last school week; most serious first.
          5. actions_due    letters, meetings, calls and referrals the policy says are due and not yet recorded
                            with `rollbook intervene`; most serious stage first, then group and UPN.
        """

    var options: StageOptions

    init(_ arguments: inout Arguments) throws {
        options = try StageOptions(&arguments)
    }

    func run(_ output: inout Output) throws {
        let now = options.environment.now()
        let today = SchoolClock.date(now)
        let day = options.on ?? today
        let run = try StageRun(ledger: options.environment.ledger, on: day, policyName: options.policy)
        ReadWarnings.report(run.replay.scan, into: &output)
        var past = 2
        if day >= today, let school = run.replay.state.school {
            let local = SchoolClock.ukMinutes(now)
            if day > local.date { past = 0 } else if day == local.date {
                past = local.minutes >= school.pmRegister.closes.minutes ? 2 : local.minutes >= school.amRegister.closes.minutes ? 1 : 0
            }
        }
        let worklist = Worklist(state: run.replay.state, stages: run.stages, on: day, pastSessionsOnDay: past)
        output.write(WorklistReport(worklist: worklist, policy: run.policy.id, state: run.replay.state).render(options.format))
    }
}
