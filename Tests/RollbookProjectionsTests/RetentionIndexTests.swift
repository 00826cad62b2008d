import RollbookDomain
import RollbookLog
import RollbookProjections
import Testing

struct RetentionIndexTests {
    @Test(arguments: [("2019-09-02", "2025-09-02"), ("2020-02-29", "2026-02-28"), ("2019-12-31", "2025-12-31")])
    func entriesAreKeptSixYearsAfterTheDateTheyWereMade(made: String, until: String) throws {
        #expect(RetentionIndex.disposeAfter(try #require(SchoolDate(made))).description == until)
    }

    @Test func migratedHistoryCountsFromRecordedAtAndNeededStateIsKept() throws {
        var state = LedgerState()
        var index = RetentionIndex()
        let old = try #require(Timestamp(parsing: "2019-09-02T08:00:00Z"))
        let now = try #require(Timestamp(parsing: "2025-09-01T08:00:00Z"))
        var seq = 0
        func apply(_ e: Event, at: Timestamp) {
            seq += 1
            let envelope = EventEnvelope(seq: seq, at: at, version: 1, author: Author(name: "T", position: "P"), event: e)
            state.apply(envelope)
            index.add(envelope)
        }
        let day = try #require(SchoolDate("2019-09-02"))
        func admit(_ upn: String) -> Event {
            .pupilAdmitted(PupilAdmitted(upn: upn, forename: "F", surname: "S", dob: SchoolDate("2012-01-01")!, yearGroup: "3",
                                         group: "3A", admitted: day, flags: PupilFlags()))
        }
        apply(.termAdded(TermAdded(name: "Autumn 2019", from: day, to: day.adding(days: 100))), at: old)     // 1 calendar: kept
        apply(admit("Y123456789001"), at: old)                                                              // 2 on roll: kept
        apply(admit("M123456789002"), at: old)                                                              // 3 left in 2019
        apply(.markRecorded(MarkRecorded(upn: "M123456789002", date: day, session: .am, code: .present)), at: old)  // 4
        apply(.pupilDeleted(PupilDeleted(upn: "M123456789002", on: day.adding(days: 30), ground: "moved")), at: old) // 5
        apply(admit("B123456789003"), at: old)                                                              // 6 left, but a mark is kept
        apply(.pupilDeleted(PupilDeleted(upn: "B123456789003", on: day.adding(days: 30), ground: "moved")), at: old) // 7
        apply(.markRecorded(MarkRecorded(upn: "B123456789003", date: day, session: .pm, code: .presentPM,
                                         recordedAt: Timestamp(milliseconds: 1_704_067_200_000))), at: now) // 8 made 2024
        apply(.markRecorded(MarkRecorded(upn: "Y123456789001", date: day, session: .pm, code: .presentPM, recordedAt: old)), at: now) // 9 migrated
        let on = try #require(SchoolDate("2026-03-01"))
        #expect(index.disposable(on: on, state: state) == [3, 4, 5, 9], "pupil 3's admission and deletion stay with the mark that is kept")
        #expect(index.disposable(on: on, before: SchoolDate("2019-01-01"), state: state).isEmpty)
        #expect(index.disposable(on: try #require(SchoolDate("2025-09-02")), state: state).isEmpty, "kept through the sixth anniversary")
        let ranges = index.ranges(on: on, state: state)
        #expect(ranges.filter(\.disposable).map(\.count).reduce(0, +) == 4)
        #expect(ranges.map(\.count).reduce(0, +) == 9)
    }
}
