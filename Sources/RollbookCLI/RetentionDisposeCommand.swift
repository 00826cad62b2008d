import RollbookCommandLine
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

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
        before = try Parse.date(try arguments.required("--before"), option: "--before")
    }

    func run(_ output: inout Output) throws {
        var index = RetentionIndex()
        let session = try WriteSession(environment, output: &output) { envelope, _ in index.add(envelope) }
        let state = session.state
        let today = SchoolDate(day: session.now.dayNumber)
        let unfinished = index.unfinishedDisposal(state)
        let covered = Set(unfinished)
        let chosen = index.disposable(on: today, before: before, state: state).filter { !covered.contains($0) }
        let ranges = RetentionDisposeCommand.runs(chosen)
        let made = Dictionary(uniqueKeysWithValues: index.entries.map { ($0.seq, $0.made) })

        output.line("Disposal of entries made before \(before) and past six years' retention on \(today):")
        if chosen.isEmpty {
            output.line("  nothing is due.")
        } else {
            for r in ranges {
                let dates = (r.firstSeq...r.lastSeq).compactMap { made[$0] }
                output.line("  seq \(r.firstSeq)–\(r.lastSeq): \(r.lastSeq - r.firstSeq + 1) entries made \(dates.min()!) to \(dates.max()!)")
            }
            output.line("  \(chosen.count) entries in all.")
        }
        if !unfinished.isEmpty {
            output.line("  and \(unfinished.count) entries an earlier, interrupted disposal covers, still to be replaced by stubs.")
        }
        guard confirm else {
            output.line("Nothing was removed (--dry-run). Run again without --dry-run to dispose of these entries.")
            return
        }
        guard !chosen.isEmpty || !unfinished.isEmpty else { return }
        // The snapshot holds what is about to be removed: delete it before any line changes.
        try session.writer.removeSnapshot()

        // The hashes of the lines to remove, read under the lock.
        let wanted = Set(chosen).union(unfinished)
        var hashes: [(seq: Int, hash: SHA256Digest)] = []
        hashes.reserveCapacity(wanted.count)
        let scan = try LogReader(directory: environment.ledger).scan { line in
            if !line.isStub && wanted.contains(line.seq) { hashes.append((line.seq, line.hash)) }
        }
        if let fault = scan.fault { throw LogError.verificationFailed(fault) }

        if !chosen.isEmpty {
            let chosenSet = Set(chosen)
            var sealInput: [UInt8] = []
            sealInput.reserveCapacity(chosen.count * 64)
            for h in hashes where chosenSet.contains(h.seq) { h.hash.appendHex(to: &sealInput) }
            // What was removed was made before both dates: record the earlier, which the verifiers check.
            let event = RetentionDisposed(before: min(before, RetentionIndex.sixYearsBefore(today)), ranges: ranges, count: chosen.count, seal: SHA256.hash(sealInput))
            let result = try session.writer.append([Event.retentionDisposed(event).record(by: session.author)], at: environment.now(),
                                                   startingNewSegment: true)
            output.line("Recorded the disposal (seq \(result.first), seal \(event.seal.hex)).")
        }
        let replaced = try session.writer.replaceWithStubs(hashes)
        output.line("Removed \(replaced) entries; each is now a stub that keeps the chain. `rollbook verify` checks the log.")
    }

    /// Sorted sequence numbers as inclusive runs.
    static func runs(_ seqs: [Int]) -> [RetentionDisposed.Range] {
        var out: [RetentionDisposed.Range] = []
        for s in seqs {
            if let last = out.last, last.lastSeq + 1 == s { out[out.count - 1].lastSeq = s } else { out.append(.init(firstSeq: s, lastSeq: s)) }
        }
        return out
    }
}
