import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import Testing

struct MarkStoreTests {
    /// Marks recorded in any date order (rows grow at both ends), amended, then compacted, read back exactly.
    @Test(arguments: [false, true])
    func marksSurviveGrowthInBothDirectionsAndCompaction(descending: Bool) throws {
        var store = MarkStore()
        let start = try #require(SchoolDate("2019-09-02"))
        var expected: [MarkKey: (AttendanceCode, Int?)] = [:]
        var days = Array(stride(from: 0, to: 2200, by: 3))
        if descending { days.reverse() }
        for (n, offset) in days.enumerated() {
            let date = start.adding(days: offset)
            let session: Session = n % 2 == 0 ? .am : .pm
            let pupil = n % 3
            let code = n % 5 == 0 ? AttendanceCode.late : .sick
            let minutes = code == .late ? n % 70_000 : nil
            store.record(pupil: pupil, date: date, session: session, code: code, minutesLate: minutes,
                         recordedAt: Timestamp(milliseconds: Int64(n)), seq: n + 1)
            expected[MarkKey(pupil: pupil, date: date, session: session)] = (code, minutes)
        }
        let amended = MarkKey(pupil: 1, date: start.adding(days: days[4]), session: .am)
        store.amend(pupil: 1, date: amended.date, session: .am, code: .present, minutesLate: nil, at: Timestamp(milliseconds: 99), seq: 9_999)
        expected[amended] = (.present, nil)
        for compacted in [false, true] {
            if compacted { store.compact() }
            #expect(store.count == expected.count)
            var seen = 0
            store.forEach { key, entry in
                seen += 1
                #expect(expected[key]?.0 == entry.code)
                #expect(expected[key]?.1 == entry.minutesLate)
            }
            #expect(seen == expected.count)
            for (key, value) in expected {
                let entry = try #require(store.entry(pupil: key.pupil, date: key.date, session: key.session))
                #expect(entry.code == value.0)
            }
            let entry = try #require(store.entry(pupil: 1, date: amended.date, session: .am))
            #expect(entry.amendments == 1)
            #expect(entry.amendedSeq == 9_999)
            #expect(store.entry(pupil: 1, date: start.adding(days: -400), session: .am) == nil)
            #expect(store.entry(pupil: 7, date: start, session: .am) == nil)
        }
    }
}
