import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import Testing

/// Which events are known at an as-of moment: appended by then, or migrated with an earlier `recorded_at`.
struct KnowledgeFilterTests {
    static let upn = "A000000000001", other = "A000000000002"

    /// A school migrated on 1 October: opened, term and two pupils that day, then September's marks for the
    /// first pupil with recorded_at on their own day, then an amendment and a live mark on 2 October.
    static func migration() -> [EventEnvelope] {
        var out: [EventEnvelope] = []
        func add(_ event: Event, _ at: String) {
            out.append(EventEnvelope(seq: out.count + 1, at: Timestamp(parsing: at)!, version: 1,
                                     author: Author(name: "T", position: "Data Manager"), event: event))
        }
        let day = { (text: String) in SchoolDate(text)! }
        add(.ledgerOpened(LedgerOpened(urn: "123456", name: "S", la: "938", estab: "2001", policy: "dfe",
                                       amRegister: .defaultAM, pmRegister: .defaultPM)), "2025-10-01T09:00:00Z")
        add(.termAdded(TermAdded(name: "Autumn 1", from: day("2025-09-01"), to: day("2025-10-24"))), "2025-10-01T09:00:00Z")
        for u in [upn, other] {
            add(.pupilAdmitted(PupilAdmitted(upn: u, forename: "F", surname: "S", dob: day("2014-01-01"), yearGroup: "7", group: "7A",
                                             admitted: day("2025-09-01"), flags: PupilFlags())), "2025-10-01T09:00:00Z")
        }
        for d in ["2025-09-01", "2025-09-02", "2025-09-03"] {
            add(.markRecorded(MarkRecorded(upn: upn, date: day(d), session: .am, code: d == "2025-09-02" ? .noReason : .present,
                                           recordedAt: Timestamp(parsing: "\(d)T08:50:00Z"))), "2025-10-01T09:05:00Z")
        }
        add(.markAmended(MarkAmended(upn: upn, date: day("2025-09-02"), session: .am, original: .noReason, originalMinutesLate: nil,
                                     amended: .sick, minutesLate: nil, reason: "note", amendedOn: day("2025-10-02"))), "2025-10-02T10:00:00Z")
        add(.markRecorded(MarkRecorded(upn: other, date: day("2025-09-03"), session: .am, code: .present)), "2025-10-02T10:00:00Z")
        return out
    }

    static func state(asOf: String?) -> LedgerState {
        var state = LedgerState()
        var filter = asOf.map { KnowledgeFilter(asOf: Timestamp(parsing: $0)!) }
        for e in migration() {
            if filter == nil { state.apply(e) } else { filter!.admit(e) { state.apply($0) } }
        }
        return state
    }

    @Test func aMigratedMarkIsKnownFromItsRecordedAtWithItsSchoolTermAndPupil() throws {
        let state = KnowledgeFilterTests.state(asOf: "2025-09-02T12:00:00Z")
        #expect(state.school != nil)
        #expect(state.calendar.isSchoolDay(SchoolDate("2025-09-02")!))
        let p = try #require(state.pupil(KnowledgeFilterTests.upn))
        #expect(state.mark(pupil: p.index, date: SchoolDate("2025-09-02")!, session: .am)?.code == .noReason)
        #expect(state.mark(pupil: p.index, date: SchoolDate("2025-09-03")!, session: .am) == nil)  // recorded the next day
        #expect(state.pupil(KnowledgeFilterTests.other) == nil)  // nothing of the other pupil was known yet
    }

    @Test func beforeAnyMigratedEntryNothingWasKnown() {
        let state = KnowledgeFilterTests.state(asOf: "2025-08-31T12:00:00Z")
        #expect(state.school == nil)
        #expect(state.pupils.isEmpty)
    }

    @Test func appendedEntriesAreKnownFromTheirAppendTime() throws {
        let before = KnowledgeFilterTests.state(asOf: "2025-10-01T23:00:00Z")
        let p = try #require(before.pupil(KnowledgeFilterTests.upn))
        #expect(before.mark(pupil: p.index, date: SchoolDate("2025-09-02")!, session: .am)?.code == .noReason)
        #expect(before.pupils.count == 2)
        #expect(before.markCount == 3)
        let all = KnowledgeFilterTests.state(asOf: nil)
        #expect(all.mark(pupil: p.index, date: SchoolDate("2025-09-02")!, session: .am)?.code == .sick)
        #expect(all.markCount == 4)
        #expect(KnowledgeFilterTests.state(asOf: "2025-10-02T10:00:00Z").markCount == 4)
    }
}
