import Foundation
import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import RollbookTestSupport
import Testing

/// The stage tracker and the worklist against their first implementations (``ReferenceStageTracker``,
/// ``Worklist/init(referenceState:stages:on:pastSessionsOnDay:today:)``), kept as the oracles: the same
/// stages, reasons, flags, actions, day-by-day histories and worklist sections under every preset policy,
/// on generated schools evaluated before and after 19 August 2024, across 1 August, with closures,
/// re-admissions, legacy codes and what the ledger knew at earlier moments.
struct ReferenceStageTrackerTests {
    /// Evaluation dates: before any term, mid-year, the last and first days of academic years, either side
    /// of 19 August 2024, and after the last term.
    static let dates = ["2023-08-01", "2023-09-01", "2024-03-12", "2024-07-31", "2024-08-01", "2024-08-18", "2024-08-19",
                        "2024-08-30", "2025-03-12", "2025-07-31", "2025-10-01"].map { SchoolDate($0)! }

    /// What the comparisons saw, so that a test can show it compared something.
    struct Seen {
        var pupils = 0, staged = 0, flagged = 0, escalated = 0, actions = 0, changed = 0
        var calls = 0, unexplained = 0, missing = 0
    }

    static func compareStages(_ state: LedgerState, _ policy: StagePolicy, on: SchoolDate, _ seen: inout Seen) -> [PupilStage] {
        var fast = StageTracker(policy: policy, on: on)
        var reference = ReferenceStageTracker(policy: policy, on: on)
        let a = fast.stages(state), b = reference.stages(state)
        #expect(a.count == b.count, "\(policy.id) on \(on)")
        for (x, y) in zip(a, b) where x != y {
            Issue.record("\(policy.id) on \(on): pupil \(y.upn) differs:\nfast      \(x)\nreference \(y)")
            break
        }
        #expect(a == b)
        for pupil in state.pupils.indices {
            let history = fast.stageHistory(pupil: pupil)
            #expect(history == reference.stageHistory(pupil: pupil), "\(policy.id) on \(on): history of pupil \(pupil)")
            for date in [on, on.adding(days: -7), on.academicYearStart] {
                #expect(fast.stageIndex(pupil: pupil, on: date) == reference.stageIndex(pupil: pupil, on: date))
            }
        }
        seen.pupils += b.count
        seen.staged += b.filter { $0.stageIndex > 0 }.count
        seen.flagged += b.filter { !$0.flags.isEmpty }.count
        seen.escalated += b.filter { $0.reason.contains("so the pupil is") }.count
        seen.actions += b.map(\.actionsDue.count).reduce(0, +)
        seen.changed += b.filter { $0.previousStage != nil && $0.previousStage != $0.stage }.count
        return a
    }

    static func compareWorklist(_ state: LedgerState, _ stages: [PupilStage], on: SchoolDate, past: Int, today: SchoolDate?,
                                _ seen: inout Seen) {
        let a = Worklist(state: state, stages: stages, on: on, pastSessionsOnDay: past, today: today)
        let b = Worklist(referenceState: state, stages: stages, on: on, pastSessionsOnDay: past, today: today)
        let context = "worklist on \(on), \(past) past sessions, today \(String(describing: today))"
        #expect(a.on == b.on)
        #expect(a.calls == b.calls, "\(context): calls")
        #expect(a.unexplained == b.unexplained, "\(context): unexplained")
        #expect(a.missingMarks.count == b.missingMarks.count, "\(context): missing marks")
        #expect(a.missingMarks == b.missingMarks, "\(context): missing marks")
        #expect(a.stageChanges == b.stageChanges, "\(context): stage changes")
        #expect(a.actionsDue == b.actionsDue, "\(context): actions due")
        seen.calls += b.calls.count
        seen.unexplained += b.unexplained.count
        seen.missing += b.missingMarks.count
    }

    @Test(arguments: PresetPolicies.ids)
    func stagesEqualTheReferenceOnGeneratedSchools(policyID: String) throws {
        let policy = try #require(StagePolicy.preset(policyID))
        var seen = Seen()
        for seed: UInt64 in [11, 29] {
            let state = GeneratedSchool(seed: seed).state()
            #expect(state.pupils.contains { !$0.earlierSpells.isEmpty }, "re-admissions")
            #expect(state.calendar.closures.count > 10)
            for on in ReferenceStageTrackerTests.dates {
                _ = ReferenceStageTrackerTests.compareStages(state, policy, on: on, &seen)
            }
        }
        #expect(seen.pupils > 100)
        #expect(seen.staged > 10)
        if !policy.flags.isEmpty { #expect(seen.flagged > 0) }
        #expect(seen.actions > 0)
        #expect(seen.changed > 0)
        if !policy.escalations.isEmpty { #expect(seen.escalated > 0) }
    }

    /// What the ledger knew at earlier moments: marks, amendments, closures and interventions made later are not known.
    @Test(arguments: [("2024-08-19T12:00:00Z", "2024-08-30"), ("2025-01-01T00:00:00Z", "2025-03-12"),
                      ("2025-03-12T10:00:00Z", "2025-03-12"), ("2024-07-31T23:00:00Z", "2024-08-01")])
    func stagesAndWorklistEqualTheReferenceAsOfEarlierMoments(asOf: String, on: String) throws {
        let school = GeneratedSchool(seed: 47)
        let state = school.state(asOf: Timestamp(parsing: asOf)!)
        #expect(state.eventCount < school.envelopes.count)
        let day = SchoolDate(on)!
        var seen = Seen()
        for id in PresetPolicies.ids {
            let stages = ReferenceStageTrackerTests.compareStages(state, StagePolicy.preset(id)!, on: day, &seen)
            for past in 0...2 {
                ReferenceStageTrackerTests.compareWorklist(state, stages, on: day, past: past, today: nil, &seen)
            }
        }
        #expect(seen.pupils > 0)
        #expect(seen.missing > 0)
    }

    @Test func worklistEqualsTheReferenceOnGeneratedSchools() throws {
        var seen = Seen()
        for seed: UInt64 in [83] {
            let state = GeneratedSchool(seed: seed).state()
            for on in ReferenceStageTrackerTests.dates {
                for id in ["dfe", "wimborne"] {
                    let stages = ReferenceStageTrackerTests.compareStages(state, StagePolicy.preset(id)!, on: on, &seen)
                    for (past, today) in [(2, nil), (1, on), (0, on), (2, on.adding(days: -3))] as [(Int, SchoolDate?)] {
                        ReferenceStageTrackerTests.compareWorklist(state, stages, on: on, past: past, today: today, &seen)
                    }
                }
            }
        }
        #expect(seen.calls > 0)
        #expect(seen.unexplained > 0)
        #expect(seen.missing > 0)
        #expect(seen.changed > 0)
    }

    /// A ledger from tools/bench/generate.py (the older year migrated, with legacy codes and recorded_at),
    /// read as the commands read it, evaluated on days of each of its terms and after them.
    @Test func stagesAndWorklistEqualTheReferenceOnABenchLedger() throws {
        let (dir, ledger) = try LedgerReplayTests.generated()
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = try LedgerReplay.load(directory: ledger).state
        #expect(state.pupils.count > 30)
        var dates: [SchoolDate] = []
        for term in state.calendar.terms { dates += [term.from.adding(days: 9), term.to, term.to.adding(days: 40)] }
        #expect(!dates.isEmpty)
        var seen = Seen()
        for on in dates {
            for id in PresetPolicies.ids {
                let stages = ReferenceStageTrackerTests.compareStages(state, StagePolicy.preset(id)!, on: on, &seen)
                if id == "dfe" {
                    ReferenceStageTrackerTests.compareWorklist(state, stages, on: on, past: 2, today: nil, &seen)
                }
            }
        }
        #expect(seen.pupils > 0)
        #expect(seen.staged > 0)
    }
}
