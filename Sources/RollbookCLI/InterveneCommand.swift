import RollbookCommandLine
import RollbookDomain

/// `rollbook intervene`: records an intervention (a letter, meeting, notice …) about a pupil.
struct InterveneCommand: Command {
    static let name = "intervene"
    static let summary = "Record an intervention: a call, letter, meeting, notice, referral."
    static let usage = """
        Usage: rollbook intervene --upn U --action A --date YYYY-MM-DD [--note S] [--ledger DIR] --author NAME --position POSITION

          --action  one of welfare-call, standard-letter, letter, meeting, home-visit, improvement-plan,
                    notice-to-improve, penalty-notice, la-referral, other
        """

    var environment: CommandEnvironment
    var intervention: InterventionRecorded

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        let upn = try arguments.required("--upn")
        let action = try arguments.required("--action")
        guard InterventionRecorded.actions.contains(action) else {
            throw UsageError("--action must be one of " + InterventionRecorded.actions.joined(separator: ", "))
        }
        let date = try Parse.date(try arguments.required("--date"), option: "--date")
        intervention = InterventionRecorded(upn: upn, action: action, date: date, note: try arguments.option("--note"))
    }

    func run(_ output: inout Output) throws {
        let write = try WriteSession(environment, output: &output)
        let pupil = try write.state.requirePupil(intervention.upn, field: "--upn")
        guard intervention.date >= pupil.admitted else {
            throw InputError("the date is before the pupil's admission on \(pupil.admitted)", place: "--date")
        }
        guard intervention.date.day <= write.now.dayNumber + 1 else { throw InputError("the date is in the future", place: "--date") }
        let result = try write.append([.interventionRecorded(intervention)])
        output.line("Recorded \(intervention.action) for UPN \(intervention.upn) on \(intervention.date) (seq \(result.first)).")
    }
}
