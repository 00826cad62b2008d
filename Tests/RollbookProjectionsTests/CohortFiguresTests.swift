import Foundation
import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import Testing

/// `stats --by`: cohorts are sums of their pupils' sessions, with the share of pupils in persistent and
/// severe absence.
struct CohortFiguresTests {
    /// Every pupil on roll in the range, with their figures (what `stats` lists).
    static func pupils(_ state: LedgerState, from: SchoolDate, to: SchoolDate) -> [(pupil: PupilRecord, figures: AttendanceFigures)] {
        state.pupils.filter { $0.admitted <= to && ($0.left.map { $0 > from } ?? true) }
            .map { ($0, state.figures(for: $0, from: from, to: to)) }
    }

    @Test func cohortsOfAGeneratedSchoolAddUpToTheTotal() throws {
        let (directory, ledger) = try LedgerReplayTests.generated()
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = try LedgerReplay.load(directory: ledger).state
        let from = SchoolDate("2024-08-01")!, to = SchoolDate("2025-07-31")!
        let pupils = Self.pupils(state, from: from, to: to)
        let total = pupils.reduce(AttendanceFigures()) { $0 + $1.figures }
        try #require(total.possibleSessions > 1000, "the generated school has a year of marks")
        let persistent = pupils.filter { $0.figures.isPersistentAbsence }.count
        try #require(persistent > 0, "the generator makes some pupils persistently absent")
        for kind in CohortFigures.Kind.allCases {
            let cohorts = CohortFigures(kind: kind, pupils: pupils)
            let sum = cohorts.cohorts.reduce(AttendanceFigures()) { $0 + $1.figures }
            #expect(sum == total, "\(kind): the cohorts' sessions add up to the total")
            #expect(cohorts.total.figures == total)
            #expect(cohorts.cohorts.map(\.pupils).reduce(0, +) == pupils.count, "\(kind): every pupil is in one cohort")
            #expect(cohorts.cohorts.map(\.persistentAbsentees).reduce(0, +) == persistent)
            #expect(Set(cohorts.cohorts.map(\.value)).count == cohorts.cohorts.count, "\(kind): no cohort twice")
            for cohort in cohorts.cohorts {
                let members = pupils.filter { kind.value(of: $0.pupil) == cohort.value }
                #expect(cohort.pupils == members.count)
                #expect(cohort.figures == members.reduce(AttendanceFigures()) { $0 + $1.figures })
            }
        }
        // More than one cohort where the generator varies the value.
        #expect(CohortFigures(kind: .group, pupils: pupils).cohorts.count > 1)
        #expect(CohortFigures(kind: .year, pupils: pupils).cohorts.count > 1)
    }

    /// Five pupils, Wed 3 – Fri 5 Sep 2025, hand-counted:
    /// - P1 (7A, year 7, PP): / \ every day: possible 6, absence 0.
    /// - P2 (7A, year 7, PP): O O, then / \ / \: possible 6, absence 2 (33%): persistent.
    /// - P3 (7A, year 7): I I I I, then / \: possible 6, absence 4 (67%): persistent and severe.
    /// - P4 (7B, year 7): / \ / \ / D: possible 5 (D is not possible), absence 0.
    /// - P5 (7B, year R): / \ every day: possible 6.
    /// PP: 2 pupils, possible 12, attended 10, 1 persistent (50%), none severe.
    /// Not PP: 3 pupils, possible 17, attended 13, 1 persistent (33.33…%), 1 severe (33.33…%).
    /// 7A: 3 pupils, possible 18, attended 12, 2 persistent (66.66…%), 1 severe; 7B: 2 pupils, 11, 11, none.
    @Test func handCountedCohorts() throws {
        var f = ProjectionFixture()
        f.school()
        func admit(_ upn: String, _ group: String, _ year: String, pp: Bool) {
            f.add(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "F", surname: "S", dob: ProjectionFixture.date("2014-01-01"),
                                               yearGroup: year, group: group, admitted: ProjectionFixture.date("2025-09-03"),
                                               flags: PupilFlags(pp: pp))), at: "2025-09-01")
        }
        admit("P1", "7A", "7", pp: true); admit("P2", "7A", "7", pp: true); admit("P3", "7A", "7", pp: false)
        admit("P4", "7B", "7", pp: false); admit("P5", "7B", "R", pp: false)
        let codes: [String: [String]] = [
            "P1": ["/", "\\", "/", "\\", "/", "\\"], "P2": ["O", "O", "/", "\\", "/", "\\"], "P3": ["I", "I", "I", "I", "/", "\\"],
            "P4": ["/", "\\", "/", "\\", "/", "D"], "P5": ["/", "\\", "/", "\\", "/", "\\"],
        ]
        for (upn, list) in codes.sorted(by: { $0.key < $1.key }) {
            for (i, code) in list.enumerated() {
                f.mark(upn, ["2025-09-03", "2025-09-04", "2025-09-05"][i / 2], i % 2 == 0 ? .am : .pm, code, at: "2025-09-05T16:00:00Z")
            }
        }
        let pupils = Self.pupils(f.state, from: ProjectionFixture.date("2025-08-01"), to: ProjectionFixture.date("2025-09-05"))
        let pp = CohortFigures(kind: .pp, pupils: pupils)
        #expect(pp.cohorts.map(\.value) == ["Y", "N"])
        #expect(pp.cohorts.map(\.pupils) == [2, 3])
        #expect(pp.cohorts.map(\.figures.possibleSessions) == [12, 17])
        #expect(pp.cohorts.map(\.figures.overallAttendance) == [10, 13])
        #expect(pp.cohorts.map(\.persistentAbsentees) == [1, 1])
        #expect(pp.cohorts.map(\.severeAbsentees) == [0, 1])
        #expect(pp.cohorts.map(\.persistentAbsencePercentage) == [50, 100.0 / 3])
        #expect(pp.cohorts.map(\.severeAbsencePercentage) == [0, 100.0 / 3])
        #expect(pp.total.pupils == 5 && pp.total.persistentAbsentees == 2 && pp.total.figures.possibleSessions == 29)

        let groups = CohortFigures(kind: .group, pupils: pupils)
        #expect(groups.cohorts.map(\.value) == ["7A", "7B"])
        #expect(groups.cohorts.map(\.figures.possibleSessions) == [18, 11])
        #expect(groups.cohorts.map(\.figures.overallAttendance) == [12, 11])
        #expect(groups.cohorts.map(\.persistentAbsencePercentage) == [200.0 / 3, 0])
        #expect(groups.cohorts.map(\.severeAbsencePercentage) == [100.0 / 3, 0])

        let years = CohortFigures(kind: .year, pupils: pupils)
        #expect(years.cohorts.map(\.value) == ["R", "7"], "reception comes before year 7")
        #expect(years.cohorts.map(\.pupils) == [1, 4])

        // Registration groups in natural order, year groups in school order.
        func pupil(_ group: String, _ year: String) -> (pupil: PupilRecord, figures: AttendanceFigures) {
            (PupilRecord(index: 0, upn: "X", forename: "F", surname: "S", dob: ProjectionFixture.date("2014-01-01"), yearGroup: year,
                         group: group, admitted: ProjectionFixture.date("2025-09-03"), left: nil, ground: nil, flags: PupilFlags(),
                         admittedSeq: 1, leftSeq: nil), AttendanceFigures())
        }
        let mixed = [pupil("10A", "10"), pupil("7B", "7"), pupil("Nursery", "N1"), pupil("7A", "R"), pupil("11C", "11")]
        #expect(CohortFigures(kind: .group, pupils: mixed).cohorts.map(\.value) == ["7A", "7B", "10A", "11C", "Nursery"])
        #expect(CohortFigures(kind: .year, pupils: mixed).cohorts.map(\.value) == ["N1", "R", "7", "10", "11"])

        // Nobody has an EHC plan: the empty cohort is still shown, with no rate rather than 0%.
        let ehcp = CohortFigures(kind: .ehcp, pupils: pupils)
        #expect(ehcp.cohorts.map(\.value) == ["Y", "N"])
        #expect(ehcp.cohorts.map(\.pupils) == [0, 5])
        #expect(ehcp.cohorts[0].persistentAbsencePercentage == nil)
    }
}
