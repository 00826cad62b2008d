import RollbookDomain
@testable import RollbookProjections
import Testing

/// One walk of a pupil to a boundary a seed names, with the stage and flags expected on the day.
struct BoundaryCase: Sendable, CustomTestStringConvertible {
    var policy: String
    var name: String
    /// The evaluation day as a school-day number (0 = Mon 1 Sep 2025; 49 = Fri 14 Nov, 100 possible sessions).
    var onDay: Int = 49
    var stage: String
    var flags: [String] = []
    var build: @Sendable (inout PolicyLedger) -> Void
    var testDescription: String { "\(policy): \(name)" }
}

/// Absence sessions of M (authorised, no flag) out of 100 possible give exact percentages and days.
private func medical(_ n: Int) -> @Sendable (inout PolicyLedger) -> Void { { $0.absent("M", sessions: n) } }
/// Every PM from day `from` to `to` is M.
private func pmAbsent(_ from: Int, _ to: Int) -> @Sendable (inout PolicyLedger) -> Void {
    { l in for d in from...to { l.codes[l.day(d)] = [.am: "/", .pm: "M"] } }
}

let boundaryCases: [BoundaryCase] = [
    // dfe (seed 004 8.4: persistent 10%+, severe 50%+; 5.2 penalty threshold; 3.2 LA notifications)
    BoundaryCase(policy: "dfe", name: "no possible sessions yet", onDay: 0, stage: "none") { $0.set($0.day(0), "-") },
    BoundaryCase(policy: "dfe", name: "9% absence", stage: "none", build: medical(9)),
    BoundaryCase(policy: "dfe", name: "exactly 10% absence", stage: "persistent", build: medical(10)),
    BoundaryCase(policy: "dfe", name: "49% absence", stage: "persistent", build: medical(49)),
    BoundaryCase(policy: "dfe", name: "exactly 50% absence", stage: "severe", build: medical(50)),
    BoundaryCase(policy: "dfe", name: "10 O sessions in 10 school weeks across half term", onDay: 54, stage: "none", flags: ["penalty-threshold"]) {
        $0.absent("O", sessions: 5, fromDay: 5); $0.absent("O", sessions: 5, fromDay: 50)
    },
    BoundaryCase(policy: "dfe", name: "10 O sessions spread over 11 school weeks", onDay: 54, stage: "none") {
        $0.absent("O", sessions: 5, fromDay: 0); $0.absent("O", sessions: 5, fromDay: 50)
    },
    BoundaryCase(policy: "dfe", name: "10 consecutive school days of O across half term", stage: "persistent",
                 flags: ["penalty-threshold", "la-10-day"]) { $0.absent("G", sessions: 10, fromDay: 35); $0.absent("O", sessions: 10, fromDay: 40) },
    BoundaryCase(policy: "dfe", name: "9 consecutive school days of O", stage: "persistent", flags: ["penalty-threshold"]) {
        $0.absent("O", sessions: 18, fromDay: 35)
    },
    BoundaryCase(policy: "dfe", name: "30 sessions of I in total", stage: "persistent", flags: ["sickness-15"]) { l in
        for d in 0..<30 { l.codes[l.day(d)] = [.am: "I", .pm: "\\"] }
    },
    BoundaryCase(policy: "dfe", name: "29 sessions of I in total", stage: "persistent") { l in
        for d in 0..<29 { l.codes[l.day(d)] = [.am: "I", .pm: "\\"] }
    },
    // burton-pru (seed 000: stages by days of absence; days = absence sessions / 2)
    BoundaryCase(policy: "burton-pru", name: "no possible sessions yet", onDay: 0, stage: "none") { $0.set($0.day(0), "-") },
    BoundaryCase(policy: "burton-pru", name: "0 days", stage: "none", build: medical(0)),
    BoundaryCase(policy: "burton-pru", name: "half a day", stage: "welfare-call", build: medical(1)),
    BoundaryCase(policy: "burton-pru", name: "exactly 1 day", stage: "welfare-call", build: medical(2)),
    BoundaryCase(policy: "burton-pru", name: "1.5 days", stage: "stage-1", build: medical(3)),
    BoundaryCase(policy: "burton-pru", name: "exactly 5 days", stage: "stage-1", build: medical(10)),
    BoundaryCase(policy: "burton-pru", name: "5.5 days", stage: "stage-2", build: medical(11)),
    BoundaryCase(policy: "burton-pru", name: "exactly 10 days", stage: "stage-2", build: medical(20)),
    BoundaryCase(policy: "burton-pru", name: "10.5 days", stage: "stage-3", build: medical(21)),
    BoundaryCase(policy: "burton-pru", name: "exactly 15 days", stage: "stage-3", build: medical(30)),
    BoundaryCase(policy: "burton-pru", name: "15.5 days", stage: "stage-4", build: medical(31)),
    BoundaryCase(policy: "burton-pru", name: "exactly 25 days", stage: "stage-4", build: medical(50)),
    BoundaryCase(policy: "burton-pru", name: "25.5 days", stage: "stage-5", build: medical(51)),
    BoundaryCase(policy: "burton-pru", name: "exactly 40 days", stage: "stage-5", build: medical(80)),
    BoundaryCase(policy: "burton-pru", name: "40.5 days", stage: "stage-6", build: medical(81)),
    // wimborne (seed 001: absence thresholds; leave of absence 10 sessions in 12 weeks)
    BoundaryCase(policy: "wimborne", name: "no possible sessions yet", onDay: 0, stage: "none") { $0.set($0.day(0), "-") },
    BoundaryCase(policy: "wimborne", name: "exactly 95.0%", stage: "none", build: medical(5)),
    BoundaryCase(policy: "wimborne", name: "94%", stage: "standard-letter", build: medical(6)),
    BoundaryCase(policy: "wimborne", name: "exactly 90.0%", stage: "standard-letter", build: medical(10)),
    BoundaryCase(policy: "wimborne", name: "89%", stage: "below-90", build: medical(11)),
    BoundaryCase(policy: "wimborne", name: "94% after one standard letter", stage: "standard-letter") {
        $0.absent("M", sessions: 6); $0.interventions = [($0.day(30), "standard-letter")]
    },
    BoundaryCase(policy: "wimborne", name: "94% after two standard letters in succession", stage: "below-90") {
        $0.absent("M", sessions: 6); $0.interventions = [($0.day(30), "standard-letter"), ($0.day(40), "standard-letter")]
    },
    BoundaryCase(policy: "wimborne", name: "94% after two standard letters with a meeting between", stage: "standard-letter") {
        $0.absent("M", sessions: 6)
        $0.interventions = [($0.day(30), "standard-letter"), ($0.day(35), "meeting"), ($0.day(40), "standard-letter")]
    },
    BoundaryCase(policy: "wimborne", name: "below 90%, not risen, last intervention exactly 15 school days ago", onDay: 35, stage: "la-referral") {
        pmAbsent(0, 49)(&$0); $0.interventions = [($0.day(20), "letter")]
    },
    BoundaryCase(policy: "wimborne", name: "below 90%, not risen, last intervention 14 school days ago", onDay: 34, stage: "below-90") {
        pmAbsent(0, 49)(&$0); $0.interventions = [($0.day(20), "letter")]
    },
    BoundaryCase(policy: "wimborne", name: "below 90%, risen since the intervention 15 school days ago", onDay: 35, stage: "below-90") {
        pmAbsent(0, 20)(&$0); $0.interventions = [($0.day(20), "letter")]
    },
    BoundaryCase(policy: "wimborne", name: "10 G sessions within 12 weeks (half term week counts)", onDay: 59, stage: "standard-letter",
                 flags: ["leave-penalty-referral"]) { $0.absent("G", sessions: 5, fromDay: 0); $0.absent("G", sessions: 5, fromDay: 50) },
    BoundaryCase(policy: "wimborne", name: "10 G sessions over 13 weeks", onDay: 59, stage: "standard-letter") {
        $0.absent("G", sessions: 5, fromDay: 0); $0.absent("G", sessions: 5, fromDay: 55)
    },
    // primary-bands (seed 002: 97-100, 95-97, 93-95, 90-93, persistent, severe; lower bounds included)
    BoundaryCase(policy: "primary-bands", name: "no possible sessions yet", onDay: 0, stage: "excellent") { $0.set($0.day(0), "-") },
    BoundaryCase(policy: "primary-bands", name: "exactly 97%", stage: "excellent", build: medical(3)),
    BoundaryCase(policy: "primary-bands", name: "96%", stage: "at-risk", build: medical(4)),
    BoundaryCase(policy: "primary-bands", name: "exactly 95%", stage: "at-risk", build: medical(5)),
    BoundaryCase(policy: "primary-bands", name: "94%", stage: "letter-2", build: medical(6)),
    BoundaryCase(policy: "primary-bands", name: "exactly 93%", stage: "letter-2", build: medical(7)),
    BoundaryCase(policy: "primary-bands", name: "92%", stage: "notice-to-improve", build: medical(8)),
    BoundaryCase(policy: "primary-bands", name: "exactly 90%", stage: "notice-to-improve", build: medical(10)),
    BoundaryCase(policy: "primary-bands", name: "89%", stage: "persistent", build: medical(11)),
    BoundaryCase(policy: "primary-bands", name: "exactly 50%", stage: "persistent", build: medical(50)),
    BoundaryCase(policy: "primary-bands", name: "49%", stage: "severe", build: medical(51)),
    // danesgate (seed 004: tiers 90+, 70-90, 20-70, 0-20; safeguarding steps by day of absence)
    BoundaryCase(policy: "danesgate", name: "no possible sessions yet", onDay: 0, stage: "tier-1") { $0.set($0.day(0), "-") },
    BoundaryCase(policy: "danesgate", name: "exactly 90%", stage: "tier-1", build: medical(10)),
    BoundaryCase(policy: "danesgate", name: "89%", stage: "tier-2", build: medical(11)),
    BoundaryCase(policy: "danesgate", name: "exactly 70%", stage: "tier-2", build: medical(30)),
    BoundaryCase(policy: "danesgate", name: "69%", stage: "tier-3", build: medical(31)),
    BoundaryCase(policy: "danesgate", name: "exactly 20%", stage: "tier-3", build: medical(80)),
    BoundaryCase(policy: "danesgate", name: "19%", stage: "tier-4", build: medical(81)),
    BoundaryCase(policy: "danesgate", name: "3 days of absence ending on the day", stage: "tier-1", flags: ["safeguarding-day-3"]) {
        $0.absent("I", sessions: 6, fromDay: 47)
    },
    BoundaryCase(policy: "danesgate", name: "3 days of absence across a weekend", onDay: 50, stage: "tier-1", flags: ["safeguarding-day-3"]) {
        $0.absent("N", sessions: 6, fromDay: 48)
    },
    BoundaryCase(policy: "danesgate", name: "6 days of absence (capped at 5)", stage: "tier-2", flags: ["safeguarding-day-5"]) {
        $0.absent("O", sessions: 12, fromDay: 44)
    },
    BoundaryCase(policy: "danesgate", name: "absent yesterday, present today", stage: "tier-1") { $0.absent("I", sessions: 2, fromDay: 48) },
    BoundaryCase(policy: "danesgate", name: "absent only this morning", stage: "tier-1") { $0.absent("I", sessions: 1, fromDay: 49) },
]

struct StagePolicyBoundaryTests {
    @Test(arguments: boundaryCases)
    func stageAndFlagsAtTheBoundary(_ c: BoundaryCase) throws {
        var ledger = PolicyLedger()
        c.build(&ledger)
        let on = ledger.day(c.onDay)
        let result = try #require(ledger.stage(c.policy, on: on))
        #expect(result.stage == c.stage, "\(result.reason)")
        #expect(result.flags == c.flags, "\(result.reason)")
        // The same marks entered in one batch on the day (counted by moving sessions between counters and
        // recounting runs from the first changed day) give the same stage, flags and reason.
        let batched = try #require(ledger.stage(c.policy, on: on, batched: true))
        #expect(batched.stage == result.stage)
        #expect(batched.flags == result.flags)
        #expect(batched.reason == result.reason)
    }

    @Test(arguments: PresetPolicies.ids)
    func everyPresetCoversAllItsStagesInTheseCases(_ id: String) throws {
        let policy = try #require(StagePolicy.preset(id))
        let reached = Set(boundaryCases.filter { $0.policy == id }.map(\.stage))
        #expect(reached == Set(policy.stages.map(\.id)))
    }
}
