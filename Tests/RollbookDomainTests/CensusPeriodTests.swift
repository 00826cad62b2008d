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
