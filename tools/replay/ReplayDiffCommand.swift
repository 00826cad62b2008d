import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook-replay diff`: every register change appended between two moments, and who made it.
struct ReplayDiffCommand: Command {
    static let name = "diff"
    static let summary = "List every change to the registers appended after --from up to --to, and by whom."
    static let usage = """
        Usage: rollbook-replay diff --from T1 --to T2 [--format text|csv|json] [--ledger DIR]

          T1 and T2 are ISO 8601 UTC times (2025-10-01T12:00:00Z) or dates (meaning the end of that day).
          Lists every session whose standing code (closures applied, as `register` shows it) was changed by
          an event appended in (T1, T2]: marks recorded (before is null), amendments, closures (one row per
          pupil-session they override), and deletions from roll or re-admissions that take marked sessions
          out of the registers (after is null) or bring them back. The register --as-of T1 with these
          changes applied is the register --as-of T2.
        """

    var ledger: String
    var from: Timestamp
    var to: Timestamp
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        guard let from = try arguments.option("--from", as: Timestamp.self) else { throw UsageError("missing required option --from") }
        guard let to = try arguments.option("--to", as: Timestamp.self) else { throw UsageError("missing required option --to") }
        guard from <= to else { throw UsageError("--to must not be before --from") }
        self.from = from
        self.to = to
        format = try CommonOptions.format(&arguments)
    }

    func run(_ output: inout Output) throws {
        var changes = RegisterChanges(after: from)
        let replay = try LedgerReplay.load(directory: ledger, asOf: to,
                                           visit: { envelope, state in changes.didApply(envelope, state: state) },
                                           before: { envelope, state in changes.willApply(envelope, state: state) })
        ReadWarnings.report(replay.scan, into: &output)
        output.write(RegisterDiffReport(from: from, to: to, changes: changes.changes).render(format))
    }
}
