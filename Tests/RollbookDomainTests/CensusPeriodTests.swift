import RollbookDomain
import Testing

struct CensusPeriodTests {
    // Easter Sundays from the Church of England tables, checked against the computed dates.
    @Test(arguments: [(2000, "2000-04-23"), (2008, "2008-03-23"), (2019, "2019-04-21"), (2024, "2024-03-31"),
                      (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2038, "2038-04-25"), (2285, "2285-03-22")])
    func easterIsComputed(year: Int, expected: String) {
        #expect(CensusPeriod.easterSunday(year).description == expected)
    }

    @Test(arguments: [(2024, "2024-05-27"), (2025, "2025-05-26"), (2026, "2026-05-25"), (2027, "2027-05-31")])
    func springBankHolidayIsTheLastMondayInMay(year: Int, expected: String) {
        #expect(CensusPeriod.springBankHoliday(year).description == expected)
    }

    @Test(arguments: [
        ("autumn-2024", "2024-08-01", "2024-12-31"),
        ("spring-2025", "2025-01-01", "2025-04-20"),
        ("summer1-2025", "2025-04-21", "2025-05-25"),
        ("summer2-2025", "2025-05-26", "2025-07-31"),
        ("autumn-2025", "2025-08-01", "2025-12-31"),
        ("spring-2026", "2026-01-01", "2026-04-05"),
        ("summer1-2026", "2026-04-06", "2026-05-24"),
        ("summer2-2026", "2026-05-25", "2026-07-31"),
    ])
    func periodsRunBetweenTheFixedDatesEasterAndTheBankHoliday(text: String, from: String, to: String) throws {
        let period = try #require(CensusPeriod(text))
        #expect(period.from.description == from)
        #expect(period.to.description == to)
        #expect(period.description == text)
    }

    @Test(arguments: ["winter-2025", "spring-26", "spring2026", "summer-2026", "", "autumn-2025-1"])
    func malformedPeriodsAreRefused(text: String) {
        #expect(CensusPeriod(text) == nil)
    }
}

/// The census attendance age rule: aged 4 to 15 on 31 August at the start of the academic year.
struct CensusAttendanceAgeTests {
    @Test(arguments: [("autumn-2025", "2025-08-31"), ("spring-2026", "2025-08-31"), ("summer1-2026", "2025-08-31"),
                      ("summer2-2026", "2025-08-31"), ("autumn-2026", "2026-08-31")])
    func theAgeIsTakenOn31AugustAtTheStartOfTheAcademicYear(text: String, expected: String) throws {
        #expect(try #require(CensusPeriod(text)).ageDate.description == expected)
    }

    @Test(arguments: [
        ("2021-08-31", true),   // four on 31 August 2025 (that very day): Reception
        ("2021-09-01", false),  // three on 31 August 2025
        ("2010-08-31", true),   // fifteen
        ("2009-09-01", true),   // fifteen on 31 August 2025, sixteen the next day
        ("2009-08-31", false),  // sixteen on 31 August 2025
        ("2020-02-29", true),   // five
    ])
    func fourToFifteenAreCollected(dob: String, collected: Bool) throws {
        let period = try #require(CensusPeriod("spring-2026"))
        #expect(period.collectsAttendance(dob: try #require(SchoolDate(dob))) == collected, "\(dob)")
    }

    @Test func aLeapDayBirthdayIsReachedOnTheFirstOfMarch() throws {
        let dob = try #require(SchoolDate("2020-02-29"))
        #expect(CensusPeriod.age(born: dob, on: try #require(SchoolDate("2025-02-28"))) == 4)
        #expect(CensusPeriod.age(born: dob, on: try #require(SchoolDate("2025-03-01"))) == 5)
        #expect(CensusPeriod.age(born: dob, on: try #require(SchoolDate("2024-02-29"))) == 4)
    }
}
