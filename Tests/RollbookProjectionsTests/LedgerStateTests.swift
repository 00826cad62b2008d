import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import Testing

struct LedgerStateTests {
    func envelope(_ seq: Int, _ event: Event, at: String = "2025-09-03T09:00:00.000Z") -> EventEnvelope {
        EventEnvelope(seq: seq, at: Timestamp(parsing: at)!, version: 1, author: Author(name: "T", position: "P"), event: event)
    }

    @Test func closuresOverrideMarksByTheSectionTwoRules() throws {
        var state = LedgerState()
        let day = try #require(SchoolDate("2025-09-03"))
        state.apply(envelope(1, .termAdded(TermAdded(name: "A", from: day, to: day.adding(days: 30)))))
        state.apply(envelope(2, .pupilAdmitted(PupilAdmitted(upn: "Y123456789001", forename: "F", surname: "S", dob: SchoolDate("2014-01-01")!,
                                                              yearGroup: "7", group: "7A", admitted: day, flags: PupilFlags()))))
        state.apply(envelope(3, .pupilAdmitted(PupilAdmitted(upn: "M123456789002", forename: "F", surname: "S", dob: SchoolDate("2014-01-01")!,
                                                              yearGroup: "7", group: "7A", admitted: day, flags: PupilFlags()))))
        state.apply(envelope(4, .markRecorded(MarkRecorded(upn: "Y123456789001", date: day, session: .am, code: .present))))
        state.apply(envelope(5, .markRecorded(MarkRecorded(upn: "M123456789002", date: day, session: .am, code: .dualRegistered))))
        state.apply(envelope(6, .closureRecorded(ClosureRecorded(from: day, to: day, session: .am, code: .closure, reason: "INSET"))))
        #expect(state.effectiveCode(pupil: 0, date: day, session: .am)?.code == .closure)
        #expect(state.effectiveCode(pupil: 1, date: day, session: .am)?.code == .dualRegistered)
        #expect(state.effectiveCode(pupil: 0, date: day, session: .pm) == nil)
        let y4 = try #require(AttendanceCode("Y4"))
        let next = day.adding(days: 1)
        let sick = try #require(AttendanceCode("I"))
        state.apply(envelope(7, .markRecorded(MarkRecorded(upn: "Y123456789001", date: next, session: .am, code: .late, minutesLate: 5))))
        state.apply(envelope(8, .markRecorded(MarkRecorded(upn: "M123456789002", date: next, session: .am, code: sick))))
        state.apply(envelope(9, .closureRecorded(ClosureRecorded(from: next, to: next, session: nil, code: y4, reason: "snow"))))
        #expect(state.effectiveCode(pupil: 0, date: next, session: .am)?.code == y4)
        #expect(state.effectiveCode(pupil: 1, date: next, session: .am)?.code == sick)
        #expect(state.effectiveCode(pupil: 0, date: next, session: .pm)?.code == y4)
    }

    @Test func amendmentsReplaceTheStandingCodeAndCount() throws {
        var state = LedgerState()
        let day = try #require(SchoolDate("2025-09-03"))
        state.apply(envelope(1, .pupilAdmitted(PupilAdmitted(upn: "Y123456789001", forename: "F", surname: "S", dob: SchoolDate("2014-01-01")!,
                                                              yearGroup: "7", group: "7A", admitted: day, flags: PupilFlags()))))
        state.apply(envelope(2, .markRecorded(MarkRecorded(upn: "Y123456789001", date: day, session: .am, code: .noReason))))
        state.apply(envelope(3, .markAmended(MarkAmended(upn: "Y123456789001", date: day, session: .am, original: .noReason, originalMinutesLate: nil,
                                                          amended: .sick, minutesLate: nil, reason: "ill", amendedOn: day)), at: "2025-09-04T10:00:00.000Z"))
        let entry = try #require(state.mark(pupil: 0, date: day, session: .am))
        #expect(entry.code == .sick)
        #expect(entry.amendments == 1)
        #expect(entry.seq == 2)
        #expect(entry.amendedSeq == 3)
    }

    @Test func anAmendmentWhoseOriginalWasDisposedOfStillStands() throws {
        // Retention disposed of the 2018 mark.recorded (its line is a stub the loader skips), but the
        // 2025 amendment of that session was kept: the amended entry must still be the register's.
        var state = LedgerState()
        let day = try #require(SchoolDate("2018-09-03"))
        state.apply(envelope(1, .pupilAdmitted(PupilAdmitted(upn: "Y123456789001", forename: "F", surname: "S", dob: SchoolDate("2011-01-01")!,
                                                              yearGroup: "7", group: "7A", admitted: day, flags: PupilFlags()))))
        state.apply(envelope(3, .markAmended(MarkAmended(upn: "Y123456789001", date: day, session: .am, original: .noReason, originalMinutesLate: nil,
                                                          amended: .late, minutesLate: 10, reason: "late book found", amendedOn: day)),
                             at: "2025-01-06T10:00:00.000Z"))
        let entry = try #require(state.mark(pupil: 0, date: day, session: .am))
        #expect(entry.code == .late)
        #expect(entry.minutesLate == 10)
        #expect(entry.amendments == 1)
        #expect(entry.amendedSeq == 3)
    }

    @Test(arguments: [("2025-09-03", Session.am), ("1999-12-31", .pm), ("2030-01-01", .am)])
    func markKeysRoundTrip(date: String, session: Session) throws {
        let d = try #require(SchoolDate(date))
        let key = MarkKey(pupil: 1234, date: d, session: session)
        #expect(key.pupil == 1234)
        #expect(key.date == d)
        #expect(key.session == session)
    }
}
