import RollbookDomain
import RollbookLog
import RollbookProjections
import Testing

/// The rules of `continuous-unauthorised-10` at the edges: closures, unmarked sessions, the threshold.
struct StatutoryReturnsTests {
    let upn = "Y123456789001"
    let start = SchoolDate("2025-09-01")!  // a Monday

    func state(_ codes: [(day: Int, am: AttendanceCode?, pm: AttendanceCode?)], closure: Int? = nil) -> LedgerState {
        var state = LedgerState()
        var seq = 0
        func apply(_ e: Event) {
            seq += 1
            state.apply(EventEnvelope(seq: seq, at: Timestamp(milliseconds: 1_756_000_000_000), version: 1,
                                      author: Author(name: "T", position: "P"), event: e))
        }
        apply(.termAdded(TermAdded(name: "Autumn", from: start, to: start.adding(days: 60))))
        apply(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "F", surname: "S", dob: SchoolDate("2014-01-01")!, yearGroup: "7",
                                           group: "7A", admitted: start, flags: PupilFlags())))
        for c in codes {
            let date = start.adding(days: c.day)
            if let am = c.am { apply(.markRecorded(MarkRecorded(upn: upn, date: date, session: .am, code: am, minutesLate: am.needsMinutesLate ? 5 : nil))) }
            if let pm = c.pm { apply(.markRecorded(MarkRecorded(upn: upn, date: date, session: .pm, code: pm, minutesLate: pm.needsMinutesLate ? 5 : nil))) }
        }
        if let closure {
            apply(.closureRecorded(ClosureRecorded(from: start.adding(days: closure), to: start.adding(days: closure), session: nil,
                                                   code: .closure, reason: "INSET")))
        }
        return state
    }

    /// The school days (weekdays) from the start, as day offsets.
    func schoolDays(_ n: Int) -> [Int] { (0..<60).filter { !start.adding(days: $0).isWeekend }.prefix(n).map { $0 } }

    func runs(_ state: LedgerState) -> [StatutoryReturns.Notification] {
        StatutoryReturns(state: state, from: start, to: start.adding(days: 60)).notifications.filter { $0.kind == "continuous-unauthorised-10" }
    }

    @Test func aClosedDayNeitherCountsNorBreaksTheRun() throws {
        let o = try #require(AttendanceCode("O"))
        let days = schoolDays(11)
        let marks = days.map { (day: $0, am: Optional(o), pm: Optional(o)) }
        // Day 5 is closed (#): 10 unauthorised days remain, and the run carries across the closure.
        let found = runs(state(marks, closure: days[5]))
        #expect(found.count == 1)
        #expect(found.first?.from == start.adding(days: days[0]))
        #expect(found.first?.to == start.adding(days: days[10]))
        // Without the closure but with only 9 days marked, there is no notification.
        #expect(runs(state(Array(marks.prefix(9)))).isEmpty)
    }

    @Test func anUnmarkedOrAuthorisedSessionBreaksTheRun() throws {
        let g = try #require(AttendanceCode("G")), u = AttendanceCode.unauthorisedLate, sick = AttendanceCode.sick
        let days = schoolDays(12)
        var marks = days.map { (day: $0, am: Optional(g), pm: Optional(u)) }
        #expect(runs(state(marks)).count == 1, "G and U are unauthorised")
        marks[6].pm = nil
        #expect(runs(state(marks)).isEmpty, "an unmarked session is not known to be an absence")
        marks[6].pm = sick
        #expect(runs(state(marks)).isEmpty, "an authorised absence breaks the run")
    }

    @Test func aRunThatGrowsAfterItWasSentIsStillTheSameNotification() throws {
        let o = try #require(AttendanceCode("O"))
        let days = schoolDays(15)
        var state = state(days.map { (day: $0, am: Optional(o), pm: Optional(o)) })
        let firstTen = StatutoryReturns(state: state, from: start, to: start.adding(days: days[9]))
        let sent = try #require(firstTen.notifications.first { $0.kind == "continuous-unauthorised-10" })
        #expect(sent.to == start.adding(days: days[9]))
        state.apply(EventEnvelope(seq: 999, at: Timestamp(milliseconds: 1_757_000_000_000), version: 1, author: Author(name: "T", position: "P"),
                                  event: .returnsSent(ReturnsSent(entries: [sent.entry]))))
        let later = try #require(runs(state).first)
        #expect(later.to == start.adding(days: days[14]), "the run has grown")
        #expect(later.sent, "but the LA was already told of it")
    }
}
