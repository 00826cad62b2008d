import RollbookCommandLine
import RollbookLedger
import RollbookDomain
import RollbookLog
import RollbookProjections

/// One pass over a ledger as it stood at the end of a day, replaying a stage policy through the academic year.
///
/// The policy is `--policy P` (a preset id or a policy JSON file), else the one the ledger was opened with.
struct StageRun {
    var replay: LedgerReplay
    var policy: StagePolicy
    var stages: [PupilStage]
    /// The tracker after the evaluation (each pupil's stage day by day, for the report).
    var tracker: StageTracker

    init(ledger: String, on: SchoolDate, policyName: String?) throws {
        var policy = try policyName.map { try PolicyName.load($0) }
        var tracker = policy.map { StageTracker(policy: $0, on: on) }
        var failure: (any Error)?
        let replay = try LedgerReplay.load(directory: ledger, asOf: Timestamp(parsing: on.description), visit: { envelope, state in
            tracker?.didApply(envelope, state)
        }, before: { envelope, state in
            if tracker == nil, failure == nil, case .ledgerOpened(let opened) = envelope.event {
                do {
                    let loaded = try opened.policyDocument.map { try StagePolicy(json: Array($0.utf8), source: opened.policy) }
                        ?? PolicyName.load(opened.policy)
                    policy = loaded
                    tracker = StageTracker(policy: loaded, on: on)
                } catch { failure = error }
            }
            tracker?.willApply(envelope, state)
        })
        if let failure { throw failure }
        guard var tracker, let policy else { throw CommandFailure("By the end of \(on) the ledger at \(ledger) had no ledger.opened event, so it names no policy; give --policy or a later date.") }
        self.replay = replay
        self.policy = policy
        stages = tracker.finish(replay.state)
        self.tracker = tracker
    }
}
