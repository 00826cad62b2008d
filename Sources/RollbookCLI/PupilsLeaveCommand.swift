import RollbookCommandLine
import RollbookDomain

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
        upn = try arguments.required("--upn")
        on = try Parse.date(try arguments.required("--on"), option: "--on")
        ground = try arguments.required("--ground")
        guard !ground.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError("--ground must not be empty") }
    }

    func run(_ output: inout Output) throws {
        let session = try WriteSession(environment, output: &output)
        let pupil = try session.state.requirePupil(upn, field: "--upn")
        if let left = pupil.left { throw InputError("the pupil with UPN \(upn) was already deleted from roll on \(left)", place: "--upn") }
        guard pupil.admitted < on else {
            throw InputError("the date of deletion must be after the admission date \(pupil.admitted)", place: "--on")
        }
        var later = 0
        session.state.forEachMark(of: pupil.index) { date, _, _ in if date >= on { later += 1 } }
        let result = try session.append([.pupilDeleted(PupilDeleted(upn: upn, on: on, ground: ground))])
        output.line("Deleted UPN \(upn) from roll on \(on) (seq \(result.first)).")
        if later > 0 {
            output.warn("note: \(later) mark(s) recorded on or after \(on) are now outside the pupil's time on roll and no longer count.")
        }
    }
}
