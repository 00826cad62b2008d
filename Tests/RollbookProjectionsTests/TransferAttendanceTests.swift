import RollbookDomain
import RollbookProjections
import Testing

/// ``TransferAttendance`` and ``ExportCoverage`` for a pupil deleted and re-admitted within one term.
struct TransferAttendanceTests {
    static let upn = "Y938202500001"

    /// Autumn 1 2025 (3 September-24 October); on roll 3-9 September and again from 15 September, every
    /// school day of both spells marked present except 4 September AM (I).
    func fixture() -> ProjectionFixture {
        var f = ProjectionFixture()
        f.school()
        f.admit(Self.upn)
        for day in ["2025-09-03", "2025-09-04", "2025-09-05", "2025-09-08", "2025-09-09",
                    "2025-09-15", "2025-09-16", "2025-09-17", "2025-09-18", "2025-09-19"] {
            f.mark(Self.upn, day, .am, day == "2025-09-04" ? "I" : "/", at: "2025-09-20")
            f.mark(Self.upn, day, .pm, "\\", at: "2025-09-20")
            if day == "2025-09-09" {
                f.add(.pupilDeleted(PupilDeleted(upn: Self.upn, on: ProjectionFixture.date("2025-09-10"), ground: "moved")), at: "2025-09-10")
                f.add(.pupilAdmitted(PupilAdmitted(upn: Self.upn, forename: "F", surname: "S", dob: ProjectionFixture.date("2014-01-01"),
                                                   yearGroup: "7", group: "7A", admitted: ProjectionFixture.date("2025-09-15"),
                                                   flags: PupilFlags())), at: "2025-09-12")
            }
        }
        return f
    }

    @Test func aGapBetweenSpellsHoldsNoMarksAndTheMarksEndOnTheLastSchoolDay() throws {
        let f = fixture()
        let pupil = try #require(f.state.pupil(Self.upn))
        let ctf = TransferAttendance(state: f.state, pupil: pupil, today: ProjectionFixture.date("2025-09-19"))
        #expect(ctf.years.count == 1)
        let year = try #require(ctf.years.first)
        #expect(year.year == 2025 && year.startDate == ProjectionFixture.date("2025-09-03"))
        // Wed 3 - Fri 19 September: 17 days. Off roll 10-12 September ('-' on school days), weekends '#'.
        #expect(year.marks == "/\\I\\/\\####" + "/\\/\\" + "------####" + "/\\/\\/\\/\\/\\")
        #expect(year.marks.count == 2 * 17, "two per calendar day, 3 to 19 September")
        #expect(year.figures.possibleSessions == 20 && year.figures.authorisedAbsence == 1)
    }

    @Test func coverageCountsOnlyUnmarkedSessionsOnRoll() throws {
        let f = fixture()
        let pupil = try #require(f.state.pupil(Self.upn))
        let full = ExportCoverage(state: f.state, from: ProjectionFixture.date("2025-09-03"), to: ProjectionFixture.date("2025-09-19"),
                                  pupils: [pupil])
        #expect(full.schoolDays == 13 && full.unmarkedSessions == 0 && full.warnings(label: "x").isEmpty,
                "the days off roll are not missing marks")
        let later = ExportCoverage(state: f.state, from: ProjectionFixture.date("2025-09-22"), to: ProjectionFixture.date("2025-09-23"),
                                   pupils: [pupil])
        #expect(later.unmarkedSessions == 4 && later.unmarkedDays.count == 2)
        #expect(later.warnings(label: "x", today: ProjectionFixture.date("2025-09-22")).first?.contains("has not ended yet") == true)
        let none = ExportCoverage(state: f.state, from: ProjectionFixture.date("2025-10-27"), to: ProjectionFixture.date("2025-10-31"),
                                  pupils: [pupil])
        #expect(none.hasNoTerm && none.warnings(label: "half term").first?.hasPrefix("No term") == true)
    }

    @Test func theReturnsListEverySpell() throws {
        let f = fixture()
        let returns = StatutoryReturns(state: f.state, from: ProjectionFixture.date("2025-09-01"), to: ProjectionFixture.date("2025-09-30"))
        let spells = returns.notifications.filter { $0.kind == "deletion" || $0.kind == "admission" }
            .map { "\($0.kind) \($0.from) \($0.ground ?? "-")" }
        #expect(spells == ["admission 2025-09-03 -", "deletion 2025-09-10 moved", "admission 2025-09-15 -"])
    }
}
