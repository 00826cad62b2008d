import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook worklist`: the attendance officer's day.
struct WorklistCommand: Command {
    static let name = "worklist"
    static let summary = "The officer's day: calls, N codes, missing marks, stage changes, actions due."
    static let usage = """
        Usage: rollbook worklist [--on YYYY-MM-DD] [--as-of T] [--policy P] [--format text|csv|json]
                                 [--ledger DIR]

          --on D      the day on the school's calendar (default: today, or the --as-of date)
          --as-of T   what the ledger knew: only entries made by T (ISO 8601 UTC, or a date for the
                      end of that day, UK time); `worklist --on D --as-of D` prints what `worklist`
                      printed on D
          --policy P  the stage policy for sections 4 and 5 (default: the ledger's)

          Sections, in this order:
          1. calls          pupils with an unexplained absence (N) on D: the first-day call and each
                            further day's call. Vulnerable first: EHCP, then SEN, then PP/FSM, then
                            the rest; then by group and UPN. Each shows the day of absence (1 = first).
          2. unexplained    N codes standing 3 or more school days after their session, in any year
                            (an N never resolved stays): those past the 5-school-day limit (they must
                            become O) first, then those nearing it; oldest first.
          3. missing_marks  past sessions of pupils on roll with no mark (closures count as marked),
                            from 1 August of last year; today's sessions count once their register has
                            closed (UK time). Text: one line per register (group, date, session, how
                            many); JSON and CSV list every pupil-session.
          4. stage_changes  pupils whose stage differs from the end of the last school week; most
                            serious first.
          5. actions_due    letters, meetings, calls and referrals the policy says are due and not yet
                            recorded with `rollbook intervene`; most serious stage first, then group
                            and UPN.
        """

    var options: StageOptions

    init(_ arguments: inout Arguments) throws {
        options = try StageOptions(&arguments)
    }

    func run(_ output: inout Output) throws {
        // The moment the worklist is for: what the ledger knew then, and which of that day's registers had closed.
        let moment = options.asOf ?? options.environment.now()
        let today = SchoolClock.date(moment)
        let day = options.on ?? today
        var warnings: [String] = []
        let run = try StageRun(ledger: options.environment.ledger, on: day, asOf: options.asOf, policyName: options.policy,
                               warn: { warnings.append($0) })
        for warning in warnings { output.warn(warning) }
        ReadWarnings.report(run.replay.scan, into: &output)
        // Sessions up to today count as missing once their register has closed (UK time); later ones not yet.
        var past = 2
        if day >= today, let school = run.replay.state.school {
            let minutes = SchoolClock.ukMinutes(moment).minutes
            past = minutes >= school.pmRegister.closes.minutes ? 2 : minutes >= school.amRegister.closes.minutes ? 1 : 0
        }
        let worklist = Worklist(state: run.replay.state, stages: run.stages, on: day, pastSessionsOnDay: past,
                                today: SchoolClock.date(moment))
        output.write(WorklistReport(worklist: worklist, policy: run.policy.id, state: run.replay.state).render(options.format))
    }
}
