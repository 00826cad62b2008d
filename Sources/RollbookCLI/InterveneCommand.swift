import RollbookCommandLine
import RollbookDomain
import RollbookLedger
import RollbookOptions

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
        let upn = try arguments.requiredUPN()
        let action = try arguments.required("--action")
        guard InterventionRecorded.actions.contains(action) else {
            throw UsageError("--action must be one of " + InterventionRecorded.actions.joined(separator: ", "))
        }
        let date = try arguments.required("--date", as: SchoolDate.self)
        intervention = InterventionRecorded(upn: upn, action: action, date: date, note: try arguments.option("--note"))
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let appended = try session.intervene(intervention)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Recorded \(intervention.action) for UPN \(intervention.upn) on \(intervention.date) (seq \(appended.first)).")
    }
}
