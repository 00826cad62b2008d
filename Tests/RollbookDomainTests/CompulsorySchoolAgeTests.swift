import RollbookDomain
import Testing

/// Education Act 1996 s.8: from the prescribed day (31 Dec, 31 Mar, 31 Aug) on or after the fifth
/// birthday, to the last Friday in June of the school year in which the child turns 16.
struct CompulsorySchoolAgeTests {
    @Test(arguments: [
        ("2019-09-01", "2024-12-31"),  // fifth birthday in September: from the spring term
        ("2019-02-10", "2024-03-31"),  // February: from the summer term (IPSEA's example)
        ("2019-03-31", "2024-03-31"),  // on a prescribed day: that day
        ("2019-08-31", "2024-08-31"),
        ("2019-12-31", "2024-12-31"),
        ("2020-01-01", "2025-03-31"),
        ("2016-02-29", "2021-03-31"),  // leap-day birthday
    ])
    func startsOnThePrescribedDayAfterTheFifthBirthday(dob: String, from: String) throws {
        #expect(CompulsorySchoolAge(dob: try #require(SchoolDate(dob))).from.description == from)
    }

    @Test(arguments: [
        ("2007-09-23", "2024-06-28"),  // IPSEA's example: turns 16 in September 2023
        ("2008-07-15", "2024-06-28"),  // turns 16 in the summer holiday: the June before
        ("2008-08-31", "2024-06-28"),
        ("2009-09-01", "2026-06-26"),  // turns 16 on the first day of a school year
        ("2009-08-31", "2025-06-27"),
        ("2009-06-27", "2025-06-27"),  // turns 16 on the leaving date itself
    ])
    func endsOnTheLastFridayInJuneOfTheYearTheyTurnSixteen(dob: String, to: String) throws {
        #expect(CompulsorySchoolAge(dob: try #require(SchoolDate(dob))).to.description == to)
    }

    @Test func containsIsInclusive() throws {
        let age = CompulsorySchoolAge(dob: try #require(SchoolDate("2019-02-10")))
        #expect(!age.contains(try #require(SchoolDate("2024-03-30"))))
        #expect(age.contains(try #require(SchoolDate("2024-03-31"))))
        #expect(age.contains(try #require(SchoolDate("2035-06-29"))))
        #expect(!age.contains(try #require(SchoolDate("2035-06-30"))))
    }
}
