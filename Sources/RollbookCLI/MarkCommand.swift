import RollbookCommandLine
import RollbookDomain
import RollbookOptions

/// `rollbook mark`: records one mark, durably.
struct MarkCommand: Command {
    static let name = "mark"
    static let summary = "Record one attendance mark."
    static let usage = """
        Usage: rollbook mark --upn U --date YYYY-MM-DD --session AM|PM --code C [--minutes-late N] [--note S]
                             [--ledger DIR] --author NAME --position POSITION

          --code          an attendance code: / (AM) \\ (PM) L K V P W B C1 M J1 S C2 C T R I E G N O U D X Q Y1-Y7 Z #
          --minutes-late  required with L (arrived before the register closed) and U (after it closed),
                          counted from when the register opened
          A session that already has a mark is changed with `rollbook amend`, never overwritten.
        """

    var environment: CommandEnvironment
    var mark: MarkRecorded

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        mark = MarkRecorded(upn: try arguments.requiredUPN(), date: try arguments.required("--date", as: SchoolDate.self),
                            session: try arguments.required("--session", as: Session.self), code: try arguments.code(),
                            minutesLate: try arguments.option("--minutes-late", as: MinutesLate.self)?.minutes,
                            note: try arguments.option("--note"))
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let appended = try session.record(mark)
        output.warn(contentsOf: session.takeWarnings())
        let late = mark.minutesLate.map { " (\($0) minutes late)" } ?? ""
        output.line("Recorded \(mark.code)\(late) for UPN \(mark.upn) on \(mark.date) \(mark.session) (seq \(appended.first)).")
    }
}
