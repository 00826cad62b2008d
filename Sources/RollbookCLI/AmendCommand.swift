import RollbookCommandLine
import RollbookDomain

/// `rollbook amend`: amends a mark, recording the five statutory facts.
struct AmendCommand: Command {
    static let name = "amend"
    static let summary = "Amend a mark (original, amended entry, reason, date, name and position are recorded)."
    static let usage = """
        Usage: rollbook amend --upn U --date YYYY-MM-DD --session AM|PM --code C --reason S [--minutes-late N]
                              [--ledger DIR] --author NAME --position POSITION

          The original entry stays in the log; the amendment records the original and amended entries,
          the reason, the date of the amendment, and your name and position.
        """

    var environment: CommandEnvironment
    var upn: String
    var date: SchoolDate
    var session: Session
    var code: AttendanceCode
    var minutes: Int?
    var reason: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        upn = try arguments.required("--upn")
        date = try Parse.date(try arguments.required("--date"), option: "--date")
        session = try Parse.session(try arguments.required("--session"))
        let codeText = try arguments.required("--code")
        guard let code = AttendanceCode(codeText) else { throw UsageError("--code \"\(codeText)\" is not an attendance code") }
        self.code = code
        minutes = try Parse.minutes(try arguments.option("--minutes-late"))
        guard let reason = try arguments.option("--reason"), !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError("an amendment needs --reason (the regulations require the reason to be recorded)")
        }
        self.reason = reason
    }

    func run(_ output: inout Output) throws {
        let write = try WriteSession(environment, output: &output)
        let state = write.state
        let pupil = try state.requirePupil(upn, field: "--upn")
        guard let existing = state.mark(pupil: pupil.index, date: date, session: session) else {
            if let disposal = state.disposal(reaching: date) {
                throw InputError("there is no mark for UPN \(upn) on \(date) \(session) to amend: entries made before \(disposal.event.before) were disposed of after six years (retention, seq \(disposal.seq))", place: "--date/--session")
            }
            throw InputError("there is no mark for UPN \(upn) on \(date) \(session) to amend; record one with `rollbook mark`", place: "--date/--session")
        }
        if existing.code == code && existing.minutesLate == minutes {
            throw InputError("the mark is already \(code); an amendment must change it", place: "--code")
        }
        try state.checkCode(code, date: date, session: session, minutesLate: minutes, fields: ("--code", "--minutes-late"))
        let amendment = MarkAmended(upn: upn, date: date, session: session, original: existing.code, originalMinutesLate: existing.minutesLate,
                                    amended: code, minutesLate: minutes, reason: reason, amendedOn: SchoolDate(day: write.now.dayNumber))
        let result = try write.append([.markAmended(amendment)])
        output.line("Amended UPN \(upn) on \(date) \(session) from \(existing.code) to \(code) (seq \(result.first)).")
    }
}
