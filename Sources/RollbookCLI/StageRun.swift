import RollbookCommandLine
import RollbookLedger
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections

/// The stages of every pupil on a day of the school's calendar, with what the ledger knew at a moment.
///
/// The state is built from the events known at `asOf` (all when nil); the stage tracker then works
/// through the academic year to `on` from the pupils' marks by session date. The policy is
/// `--policy P` (a preset id or a policy JSON file), else the one the ledger was opened with.
struct StageRun {
    var replay: LedgerReplay
    var policy: StagePolicy
    var stages: [PupilStage]
    /// The tracker after the evaluation (each pupil's stage day by day, for the report).
    var tracker: StageTracker

    init(ledger: String, on: SchoolDate, asOf: Timestamp?, policyName: String?, warn: (String) -> Void) throws {
        let replay = try LedgerReplay.loadUsingSnapshot(directory: ledger, asOf: asOf, checkingAllPages: true, warn: warn).replay
        try ReadWarnings.requireSchool(replay.state.school, ledger: ledger, asOf: asOf)
        guard let school = replay.state.school else {
            throw CommandFailure("The ledger at \(ledger) has not been opened for a school yet; run rollbook init first.")
        }
        let policy = try policyName.map { try PolicyName.load($0) }
            ?? school.policyDocument.map { try StagePolicy(json: Array($0.utf8), source: school.policy) }
            ?? PolicyName.load(school.policy)
        var tracker = StageTracker(policy: policy, on: on)
        self.replay = replay
        self.policy = policy
        stages = tracker.stages(replay.state)
        self.tracker = tracker
    }
}
