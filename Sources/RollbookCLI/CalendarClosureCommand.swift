import RollbookCommandLine
import RollbookDomain
import RollbookLedger
import RollbookOptions

/// `rollbook calendar closure`: records a planned (`#`) or unplanned (`Y1`–`Y7`) closure.
struct CalendarClosureCommand: Command {
    static let name = "calendar closure"
    static let summary = "Record a school closure: '#' planned, or Y1-Y7 unplanned."
    static let usage = """
        Usage: rollbook calendar closure --from YYYY-MM-DD --to YYYY-MM-DD [--session AM|PM] --code '#'|Y1..Y7 --reason S
                                         [--ledger DIR] --author NAME --position POSITION

          '#' (planned closure) overrides every mark except D; Y1-Y7 override / \\ L N O U.
          Marks stay in the log as recorded; registers and figures show the closure's code.
        """

    var environment: CommandEnvironment
    var closure: ClosureRecorded

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        let range = try CommonOptions.range(&arguments, requireTo: true)
        guard let from = range.from, let to = range.to else { throw UsageError("missing required option --from") }
        let session = try arguments.option("--session", as: Session.self)
        let codeText = try arguments.required("--code")
        guard let code = AttendanceCode(codeText), code.isClosureCode else {
            throw UsageError("--code must be '#' (planned closure) or one of Y1-Y7 (unplanned)")
        }
        guard let reason = try arguments.text("--reason") else { throw UsageError("missing required option --reason") }
        closure = ClosureRecorded(from: from, to: to, session: session, code: code, reason: reason)
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let (appended, days) = try session.recordClosure(closure)
        output.warn(contentsOf: session.takeWarnings())
        let sessions = closure.session.map { "\($0) sessions" } ?? "whole days"
        output.line("Recorded closure \(closure.code) on \(days) school day(s) from \(closure.from) to \(closure.to), \(sessions) (seq \(appended.first)).")
    }
}
