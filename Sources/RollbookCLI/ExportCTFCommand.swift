import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook export ctf`: the Common Transfer File attendance block for a pupil.
struct ExportCTFCommand: Command {
    static let name = "export ctf"
    static let summary = "The CTF attendance block (Attendance/YearData) for a pupil, e.g. a leaver."
    static let usage = """
        Usage: rollbook export ctf --upn U [--as-of T] [--ledger DIR]

          --as-of T  what the ledger knew at T (ISO 8601 UTC, or a date for the end of that day, UK time)

          One YearData per school year on roll: Year, LEA, Estab, SchoolName, SessionsPossible,
          SessionsAuthorised, SessionsAttended, SessionsUnauthorised and AttendSessions with the
          AttendanceStartDate and the AttendanceMarks: two per calendar day (AM, PM) from the start
          date, comma-separated so two-character codes survive; '#' for a day that is not a school
          day, '-' for an unmarked school session.
        """

    var environment: CommandEnvironment
    var upn: String
    var asOf: Timestamp?

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        upn = try arguments.requiredUPN()
        asOf = try arguments.option("--as-of", as: Timestamp.self)
    }

    func run(_ output: inout Output) throws {
        let replay = try LedgerReplay.load(directory: environment.ledger, asOf: asOf)
        ReadWarnings.report(replay.scan, into: &output)
        try ReadWarnings.requireSchool(replay.state.school, ledger: environment.ledger, asOf: asOf)
        let state = replay.state
        guard let school = state.school else { throw CommandFailure("The ledger at \(environment.ledger) has not been opened for a school yet.") }
        guard let pupil = state.pupil(upn) else {
            throw CommandFailure("--upn: no pupil with UPN \(upn) is on the admission register.")  // a read: nothing to say about writing
        }
        let today = SchoolClock.date(asOf ?? environment.now())
        output.write(CTFAttendance(state: state, school: school, pupil: pupil, today: today).xml())
    }
}
