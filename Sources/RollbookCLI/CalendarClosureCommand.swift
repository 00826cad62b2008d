import RollbookCommandLine
import RollbookDomain

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
        let from = try Parse.date(try arguments.required("--from"), option: "--from")
        let to = try Parse.date(try arguments.required("--to"), option: "--to")
        guard from <= to else { throw UsageError("--from must not be after --to") }
        let session = try arguments.option("--session").map { text throws(UsageError) in try Parse.session(text) }
        let codeText = try arguments.required("--code")
        guard let code = AttendanceCode(codeText), code.isClosureCode else {
            throw UsageError("--code must be '#' (planned closure) or one of Y1-Y7 (unplanned)")
        }
        let reason = try arguments.required("--reason")
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError("--reason must not be empty") }
        closure = ClosureRecorded(from: from, to: to, session: session, code: code, reason: reason)
    }

    func run(_ output: inout Output) throws {
        let session = try WriteSession(environment, output: &output)
        let days = session.state.calendar.schoolDays(from: closure.from, to: closure.to)
        guard !days.isEmpty else {
            throw InputError("there is no school day from \(closure.from) to \(closure.to) (weekends and dates outside terms cannot be closed)", place: "--from/--to")
        }
        for day in days {
            for s in Session.allCases where closure.session == nil || closure.session == s {
                if let problem = closure.code.validate(on: day, session: s) { throw InputError("--code: \(problem)") }
            }
        }
        let result = try session.append([.closureRecorded(closure)])
        let sessions = closure.session.map { "\($0) sessions" } ?? "whole days"
        output.line("Recorded closure \(closure.code) on \(days.count) school day(s) from \(closure.from) to \(closure.to), \(sessions) (seq \(result.first)).")
    }
}
