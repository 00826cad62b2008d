import RollbookDomain
import RollbookLog
import RollbookProjections

extension LedgerSession {
    /// What a disposal would remove: entries made before `before` and past six years' retention today.
    public struct DisposalPlan: Sendable {
        /// Entries made before this date are considered.
        public var before: SchoolDate
        /// The date retention is judged on.
        public var today: SchoolDate
        /// The entries chosen, as runs of sequence numbers with the dates they were made.
        public var ranges: [(range: RetentionDisposed.Range, madeFrom: SchoolDate, madeTo: SchoolDate)]
        /// How many entries are chosen.
        public var count: Int
        /// Entries an earlier, interrupted disposal covers, still to be replaced by stubs.
        public var unfinished: [Int]
        let chosen: [Int]
        /// Whether there is nothing to do.
        public var isEmpty: Bool { chosen.isEmpty && unfinished.isEmpty }
    }

    /// What a disposal did.
    public struct DisposalDone: Sendable {
        /// The `retention.disposed` event's append and seal (nil when only an interrupted one was finished).
        public var recorded: (appended: Appended, seal: SHA256Digest)?
        /// How many lines were replaced by stubs.
        public var replaced: Int
    }

    /// Opens the ledger for a disposal: the lock, with every event read into a retention index (no cache
    /// is read or written while lines are being replaced).
    public static func openForDisposal(_ context: LedgerContext) throws -> (session: LedgerSession, index: RetentionIndex) {
        var index = RetentionIndex()
        let session = try LedgerSession(context) { envelope, _ in index.add(envelope) }
        return (session, index)
    }

    /// The entries a disposal of entries made before `before` would remove today.
    public func planDisposal(before: SchoolDate, index: RetentionIndex) -> DisposalPlan {
        let unfinished = index.unfinishedDisposal(state)
        let covered = Set(unfinished)
        let chosen = index.disposable(on: today, before: before, state: state).filter { !covered.contains($0) }
        let made = Dictionary(uniqueKeysWithValues: index.entries.map { ($0.seq, $0.made) })
        let ranges = LedgerSession.runs(chosen).map { r in
            let dates = (r.firstSeq...r.lastSeq).compactMap { made[$0] }
            return (r, dates.min() ?? before, dates.max() ?? before)
        }
        return DisposalPlan(before: before, today: today, ranges: ranges, count: chosen.count, unfinished: unfinished, chosen: chosen)
    }

    /// Carries out a plan: records the disposal with its seal, then replaces each removed line by a stub
    /// that keeps the chain (finishing an interrupted disposal first).
    public func dispose(_ plan: DisposalPlan) throws -> DisposalDone {
        let author = try self.author
        guard !plan.isEmpty else { return DisposalDone(recorded: nil, replaced: 0) }
        // The cache holds what is about to be removed: delete it before any line changes.
        try writer.removeSnapshot()
        // The hashes of the lines to remove, read under the lock.
        let wanted = Set(plan.chosen).union(plan.unfinished)
        var hashes: [(seq: Int, hash: SHA256Digest)] = []
        hashes.reserveCapacity(wanted.count)
        let scan = try LogReader(directory: context.directory).scan { line in
            if !line.isStub && wanted.contains(line.seq) { hashes.append((line.seq, line.hash)) }
        }
        if let fault = scan.fault { throw LogError.verificationFailed(fault) }
        var recorded: (appended: Appended, seal: SHA256Digest)?
        if !plan.chosen.isEmpty {
            let chosenSet = Set(plan.chosen)
            var sealInput: [UInt8] = []
            sealInput.reserveCapacity(plan.chosen.count * 64)
            for h in hashes where chosenSet.contains(h.seq) { h.hash.appendHex(to: &sealInput) }
            let event = RetentionDisposed(before: plan.before, ranges: plan.ranges.map(\.range), count: plan.count, seal: SHA256.hash(sealInput))
            let result = try writer.append([Event.retentionDisposed(event).record(by: author)], at: context.clock(), startingNewSegment: true)
            recorded = (Appended(first: result.first, count: 1, at: result.at), event.seal)
        }
        let replaced = try writer.replaceWithStubs(hashes)
        return DisposalDone(recorded: recorded, replaced: replaced)
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
