import RollbookCommandLine
import RollbookDomain
import RollbookLedger
import RollbookOptions

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
    var request: LedgerSession.Amendment

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        let upn = try arguments.requiredUPN()
        let date = try arguments.required("--date", as: SchoolDate.self)
        let session = try arguments.required("--session", as: Session.self)
        let code = try arguments.code()
        let minutes = try arguments.option("--minutes-late", as: MinutesLate.self)?.minutes
        guard let reason = try arguments.option("--reason") else {
            throw UsageError("an amendment needs --reason (the regulations require the reason to be recorded)")
        }
        do { try Rules.checkText(reason, at: .option("--reason"), optional: false) } catch {
            throw UsageError("--reason: \(error.problem ?? "the reason is not usable") (the regulations require the reason to be recorded)")
        }
        request = LedgerSession.Amendment(upn: upn, date: date, session: session, code: code, minutesLate: minutes, reason: reason)
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let (amendment, appended) = try session.amend(request)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Amended UPN \(request.upn) on \(request.date) \(request.session) from \(amendment.original) to \(amendment.amended) (seq \(appended.first)).")
    }
}
