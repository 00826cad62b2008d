import RollbookCommandLine
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

extension PolicyName {
    /// The policy a name refers to: a preset id, or the path of a policy JSON file.
    static func load(_ name: String) throws -> StagePolicy {
        if let preset = StagePolicy.preset(name) { return preset }
        let bytes: [UInt8]
        do { bytes = try FileSystemAccessForPolicies.read(name) } catch {
            throw CommandFailure("The stage policy \"\(name)\" is neither a preset (\(presets.joined(separator: ", "))) nor a readable policy file.")
        }
        return try StagePolicy(json: bytes, source: name)
    }
}

/// Reads policy files (the log layer's file reader).
enum FileSystemAccessForPolicies {
    static func read(_ path: String) throws -> [UInt8] { try FileSystem.read(path) }
}

/// What "today" is for a reading command, and which of today's sessions are past.
enum SchoolClock {
    /// The UTC date of a moment.
    static func date(_ t: Timestamp) -> SchoolDate { SchoolDate(day: t.dayNumber) }

    /// Minutes since midnight in UK local time (GMT, or BST from 01:00 UTC on the last Sunday of March
    /// to 01:00 UTC on the last Sunday of October).
    static func ukMinutes(_ t: Timestamp) -> (date: SchoolDate, minutes: Int) {
        let day = date(t)
        let year = day.components.year
        func lastSunday(_ month: Int) -> SchoolDate {
            var d = SchoolDate(year: year, month: month, day: 31)!
            while d.isoWeekday != 7 { d = d.adding(days: -1) }
            return d
        }
        let start = Timestamp(milliseconds: Int64(lastSunday(3).day) * 86_400_000 + 3_600_000)
        let end = Timestamp(milliseconds: Int64(lastSunday(10).day) * 86_400_000 + 3_600_000)
        let local = Timestamp(milliseconds: t.milliseconds + (start <= t && t < end ? 3_600_000 : 0))
        let localDay = date(local)
        return (localDay, Int((local.milliseconds - Int64(localDay.day) * 86_400_000) / 60_000))
    }
}
