import RollbookCommandLine
import RollbookDomain
import RollbookLedger
import RollbookOptions

/// `rollbook pupils leave`: deletes a pupil from the admission register.
struct PupilsLeaveCommand: Command {
    static let name = "pupils leave"
    static let summary = "Delete a pupil from the admission register (not on roll from --on)."
    static let usage = """
        Usage: rollbook pupils leave --upn U --on YYYY-MM-DD --ground S [--ledger DIR] --author NAME --position POSITION

          --on     the date of deletion: the pupil is on roll up to the day before
          --ground the ground for deletion (e.g. "moved to another school", "education otherwise")
        """

    var environment: CommandEnvironment
    var upn: String
    var on: SchoolDate
    var ground: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        upn = try arguments.requiredUPN()
        on = try arguments.required("--on", as: SchoolDate.self)
        guard let ground = try arguments.text("--ground") else { throw UsageError("missing required option --ground") }
        self.ground = ground
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let deleted = try session.leave(upn: upn, on: on, ground: ground)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Deleted UPN \(upn) from roll on \(on) (seq \(deleted.appended.first)).")
        if deleted.marksAfter > 0 {
            output.warn("note: \(deleted.marksAfter) mark(s) recorded on or after \(on) are now outside the pupil's time on roll and no longer count.")
        }
    }
}
