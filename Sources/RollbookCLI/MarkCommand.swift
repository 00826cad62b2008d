import RollbookCommandLine
import RollbookDomain

/// `rollbook mark`: records one mark, durably.
struct MarkCommand: Command {
    static let name = "mark"
    static let summary = "Record one attendance mark."
    static let usage = """
        Usage: rollbook mark --upn U --date YYYY-MM-DD --session AM|PM --code C [--minutes-late N] [--note S]
                             [--ledger DIR] --author NAME --position POSITION

          --code          an attendance code: / (AM) \\ (PM) L K V P W B C1 M J1 S C2 C T R I E G N O U D X Q Y1-Y7 Z #
          --minutes-late  required with L (arrived before the register closed) and U (after it closed)
          A session that already has a mark is changed with `rollbook amend`, never overwritten.
        """

    var environment: CommandEnvironment
    var mark: MarkRecorded
    var codeText: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        let upn = try arguments.required("--upn")
        let date = try Parse.date(try arguments.required("--date"), option: "--date")
        let session = try Parse.session(try arguments.required("--session"))
        codeText = try arguments.required("--code")
        guard let code = AttendanceCode(codeText) else { throw UsageError("--code \"\(codeText)\" is not an attendance code") }
        let minutes = try Parse.minutes(try arguments.option("--minutes-late"))
        let note = try arguments.option("--note")
        mark = MarkRecorded(upn: upn, date: date, session: session, code: code, minutesLate: minutes, note: note)
    }

    func run(_ output: inout Output) throws {
        let session = try WriteSession(environment, output: &output)
        let pupil = try session.state.checkMark(upn: mark.upn, date: mark.date, session: mark.session, code: mark.code,
                                                minutesLate: mark.minutesLate, fields: ("--upn", "--date", "--code", "--minutes-late"))
        try session.state.refuseDuplicate(pupil: pupil, date: mark.date, session: mark.session)
        let result = try session.append([.markRecorded(mark)])
        let late = mark.minutesLate.map { " (\($0) minutes late)" } ?? ""
        output.line("Recorded \(mark.code)\(late) for UPN \(mark.upn) on \(mark.date) \(mark.session) (seq \(result.first)).")
    }
}
