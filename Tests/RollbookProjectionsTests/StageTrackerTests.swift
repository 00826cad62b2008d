import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import Testing

struct StageTrackerTests {
    let dfe = StagePolicy.preset("dfe")!

    /// Absent (M) all of Wed 3 Sep: persistent from that day (2 of 6 sessions); present after, the pupil
    /// drops below 10% at the end of day 10 (2 of 22), Mon 15 Sep.
    func ledger() -> PolicyLedger {
        var l = PolicyLedger()
        l.set(l.day(2), "M")
        return l
    }

    @Test func sinceIsTheFirstDayOfTheCurrentStage() throws {
        let l = ledger()
        let on9 = try #require(l.stage("dfe", on: l.day(9)))
        #expect(on9.stage == "persistent")
        #expect(on9.since == l.day(2))
        let on20 = try #require(l.stage("dfe", on: l.day(20)))
        #expect(on20.stage == "none")
        #expect(on20.since == l.day(10))
    }

    @Test func sinceIsFoundOnTheCalendarWithTheChosenKnowledge() throws {
        // On day 20, four sessions of days 12-13 are amended from present to O. With everything the ledger
        // knows, the pupil was persistent again from day 12 (the school's calendar), not from day 20 when the
        // amendment was made; as of the end of day 19 the amendment was not known and the pupil is "none".
        let l = ledger()
        var events = l.events(through: l.day(20))
        for d in [12, 13] {
            for s in Session.allCases {
                let amend = MarkAmended(upn: PolicyLedger.upn, date: l.day(d), session: s, original: s == .am ? .present : .presentPM,
                                        originalMinutesLate: nil, amended: .unauthorisedOther, minutesLate: nil, reason: "no reason given",
                                        amendedOn: l.day(20))
                events.append(EventEnvelope(seq: events.count + 1, at: Timestamp(parsing: "\(l.day(20))T16:30:00Z")!, version: 1,
                                            author: Author(name: "T", position: "P"), event: .markAmended(amend)))
            }
        }
        // 2 + 2 absences of 26 sessions at the end of day 12: 15%; it stays at least 10% to day 20 (6 of 42).
        let after = try #require(PolicyLedger.run(events, policy: dfe, on: l.day(20)).stages.first)
        #expect(after.stage == "persistent")
        #expect(after.since == l.day(12))
        let known19 = try #require(PolicyLedger.run(events, policy: dfe, on: l.day(20), asOf: Timestamp(parsing: "\(l.day(19))")).stages.first)
        #expect(known19.stage == "none")
        #expect(known19.since == l.day(10))
        let before = try #require(PolicyLedger.run(events, policy: dfe, on: l.day(19)).stages.first)
        #expect(before.stage == "persistent")
    }

    @Test func actionsDueUntilRecordedOnOrAfterEnteringTheStage() throws {
        var l = ledger()
        let due = try #require(l.stage("dfe", on: l.day(5)))
        #expect(due.actionsDue.map(\.action) == ["meeting", "improvement-plan"])
        l.interventions = [(l.day(1), "meeting"), (l.day(4), "improvement-plan")]  // the meeting predates the stage
        let after = try #require(l.stage("dfe", on: l.day(5)))
        #expect(after.actionsDue.map(\.action) == ["meeting"])
    }

    @Test func reasonIsOneSentenceWithTheFigures() throws {
        let l = ledger()
        let s = try #require(l.stage("dfe", on: l.day(9)))
        #expect(s.reason == "Overall absence this academic year is 10.00% (2 of 20 possible sessions), at least 10% and below 50%, so persistent.")
        var w = PolicyLedger()
        w.absent("M", sessions: 6)
        w.interventions = [(w.day(30), "standard-letter"), (w.day(40), "standard-letter")]
        let wimborne = try #require(w.stage("wimborne", on: w.day(49)))
        #expect(wimborne.reason.hasPrefix("Attendance this academic year is 94.00% (94 of 100 possible sessions), at least 90% and below 95% (standard-letter); 2 standard-letter interventions were recorded in succession (the second on 2025-11-03), so the pupil is treated as below-90."))
    }

    @Test func aPupilNotYetAdmittedIsNotListed() throws {
        let l = ledger()
        #expect(PolicyLedger.run(l.events(through: l.day(0)), policy: dfe, on: SchoolDate("2025-08-31")!).stages.isEmpty)
    }
}

struct WimborneEscalationTests {
    @Test func treatedAsBelow90StaysAfterTheFollowUpLetterAndMeeting() throws {
        var l = PolicyLedger()
        l.absent("M", sessions: 6)
        l.interventions = [(l.day(20), "standard-letter"), (l.day(30), "standard-letter"), (l.day(35), "letter"), (l.day(36), "meeting")]
        let s = try #require(l.stage("wimborne", on: l.day(49)))
        #expect(s.stage == "below-90")
        #expect(s.since == l.day(30))
        #expect(s.actionsDue.map(\.action) == ["improvement-plan"])
    }

    @Test func recordingTheReferralDoesNotRestartTheClock() throws {
        var l = PolicyLedger()
        for d in 0...49 { l.codes[l.day(d)] = [.am: "/", .pm: "M"] }
        l.interventions = [(l.day(20), "letter"), (l.day(36), "la-referral")]
        let s = try #require(l.stage("wimborne", on: l.day(40)))
        #expect(s.stage == "la-referral")
        #expect(s.since == l.day(35))
        #expect(s.actionsDue.map(\.action) == ["meeting"])
    }
}

struct DanesgateSafeguardingTests {
    @Test(arguments: [(3, ["welfare-call", "home-visit"]), (5, ["welfare-call", "home-visit", "other"]), (1, ["welfare-call"])])
    func safeguardingStepsByDayOfAbsence(days: Int, due: [String]) throws {
        var l = PolicyLedger()
        l.absent("N", sessions: days * 2, fromDay: 50 - days)
        let s = try #require(l.stage("danesgate", on: l.day(49)))
        #expect(s.flags == ["safeguarding-day-\(days)"])
        #expect(s.actionsDue.map(\.action) == due)
        l.interventions = [(l.day(49), "welfare-call")]  // today's call made: the daily call is no longer due
        #expect(l.stage("danesgate", on: l.day(49))?.actionsDue.map(\.action) == Array(due.dropFirst()))
    }
}

struct StageTrackerAmendmentTests {
    /// Ten O sessions across half term raise the penalty flag; amending one of them to I on a later day lowers it.
    @Test func amendingAPastSessionMovesItBetweenCounters() throws {
        var l = PolicyLedger()
        l.absent("O", sessions: 5, fromDay: 5)
        l.absent("O", sessions: 5, fromDay: 50)
        let on = l.day(54)
        var events = l.events(through: on)
        #expect(PolicyLedger.run(events, policy: StagePolicy.preset("dfe")!, on: on).stages.first?.flags == ["penalty-threshold"])
        let amend = MarkAmended(upn: PolicyLedger.upn, date: l.day(5), session: .am, original: .unauthorisedOther, originalMinutesLate: nil,
                                amended: .sick, minutesLate: nil, reason: "doctor's note", amendedOn: l.day(53))
        events.append(EventEnvelope(seq: events.count + 1, at: Timestamp(parsing: "\(l.day(53))T17:00:00Z")!, version: 1,
                                    author: Author(name: "T", position: "P"), event: .markAmended(amend)))
        events.sort { $0.at < $1.at }
        let after = try #require(PolicyLedger.run(events, policy: StagePolicy.preset("dfe")!, on: on).stages.first)
        #expect(after.flags == [])
        #expect(after.absence == 10)
        #expect(after.possible == 110)
    }
}
