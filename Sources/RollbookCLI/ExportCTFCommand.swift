import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook export ctf`: a whole Common Transfer File (CTF 25) for a pupil, e.g. a leaver.
struct ExportCTFCommand: Command {
    static let name = "export ctf"
    static let summary = "A Common Transfer File (CTF 25) for a pupil, e.g. a leaver."
    static let usage = """
        Usage: rollbook export ctf --upn U [--dest-la NNN --dest-estab NNNN] [--as-of T] [--ledger DIR]

          --dest-la, --dest-estab  the receiving school, when known (written as Header/DestSchool)
          --as-of T  what the ledger knew at T (ISO 8601 UTC, or a date for the end of that day, UK time)

          CTfile/Header (CTF 25.0, this school as SourceSchool) and CTFpupilData/Pupil with UPN,
          names, DOB, sex where held, and one Attendance/YearData per academic year on roll (every
          spell). The AttendanceMarks hold one character per session, AM then PM of every calendar
          day from the AttendanceStartDate, with no separator: the code ('C' for C1, C2, J1; 'Q' for
          Y1-Y7), '#' for a day without school, '-' for a session with no mark. Warns on standard
          error when the time on roll holds unmarked school days or no term.
        """

    var environment: CommandEnvironment
    var upn: String
    var destination: CommonTransferFile.School?
    var asOf: Timestamp?

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        upn = try arguments.requiredUPN()
        let la = try arguments.option("--dest-la"), estab = try arguments.option("--dest-estab")
        func digits(_ s: String, _ n: Int) -> Bool { s.utf8.count == n && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        switch (la, estab) {
        case (nil, nil): destination = nil
        case let (la?, estab?):
            guard digits(la, 3) else { throw UsageError("--dest-la must be the 3-digit local-authority code") }
            guard digits(estab, 4) else { throw UsageError("--dest-estab must be the 4-digit establishment number") }
            destination = CommonTransferFile.School(lea: la, estab: estab)
        default: throw UsageError("give both --dest-la and --dest-estab for the receiving school, or neither")
        }
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
        let made = asOf ?? environment.now()
        let (file, warnings) = CommonTransferFile.export(state: state, school: school, pupil: pupil, destination: destination,
                                                         made: made, today: SchoolClock.date(made))
        for warning in warnings { output.warn(WarningText.wrapped(warning)) }
        output.write(file.xml())
    }
}
