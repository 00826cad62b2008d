import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLedger

/// `rollbook retention dispose`: removes entries past their six-year retention, leaving sealed stubs.
struct RetentionDisposeCommand: Command {
    static let name = "retention dispose"
    static let summary = "Dispose of entries made before a date and past six years' retention (--dry-run to preview)."
    static let usage = """
        Usage: rollbook retention dispose --before YYYY-MM-DD [--dry-run] [--ledger DIR]
                                          --author NAME --position POSITION

          Removes entries made before --before that are past their six years on today's date. It
          lists what it removes; with --dry-run it lists it and removes nothing (see also
          `rollbook retention`). It records a retention.disposed event (the ranges, the count, a seal
          of the removed lines' hashes, and you as the person who authorised it), then replaces each
          removed line by a stub that keeps the chain, so `rollbook verify` and
          tools/verify_ledger.py still pass. (--confirm, which earlier versions required, is accepted.) The school, the calendar, disposal records and the
          details of pupils still on roll are kept. A disposal interrupted by a crash is finished by
          the next one.
        """

    var environment: CommandEnvironment
    var before: SchoolDate
    var confirm: Bool

    init(_ arguments: inout Arguments) throws {
        let dryRun = arguments.flag("--dry-run")
        let confirmed = arguments.flag("--confirm")
        if dryRun && confirmed { throw UsageError("give either --dry-run or --confirm, not both") }
        confirm = !dryRun
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        before = try arguments.required("--before", as: SchoolDate.self)
    }

    func run(_ output: inout Output) throws {
        let (session, index) = try LedgerSession.openForDisposal(environment.context)
        output.warn(contentsOf: session.takeWarnings())
        let plan = session.planDisposal(before: before, index: index)
        output.line("Disposal of entries made before \(before) and past six years' retention on \(plan.today):")
        if plan.count == 0 {
            output.line("  nothing is due.")
        } else {
            for r in plan.ranges {
                output.line("  seq \(r.range.firstSeq)–\(r.range.lastSeq): \(r.range.lastSeq - r.range.firstSeq + 1) entries made \(r.madeFrom) to \(r.madeTo)")
            }
            output.line("  \(plan.count) entries in all.")
        }
        if !plan.unfinished.isEmpty {
            output.line("  and \(plan.unfinished.count) entries an earlier, interrupted disposal covers, still to be replaced by stubs.")
        }
        guard confirm else {
            output.line("Nothing was removed (--dry-run). Run again without --dry-run to dispose of these entries.")
            return
        }
        guard !plan.isEmpty else { return }
        let done = try session.dispose(plan)
        if let recorded = done.recorded {
            output.line("Recorded the disposal (seq \(recorded.appended.first), seal \(recorded.seal.hex)).")
        }
        output.line("Removed \(done.replaced) entries; each is now a stub that keeps the chain. `rollbook verify` checks the log.")
    }
}
