import RollbookDomain
import RollbookProjections
import Testing

struct CensusDaysTests {
    // DfE census days: autumn 2 October 2025, spring 15 January 2026, summer 21 May 2026 (and 2025's).
    @Test(arguments: [
        (2025, ["2025-01-16", "2025-05-15", "2025-10-02"]),
        (2026, ["2026-01-15", "2026-05-21", "2026-10-01"]),
        (2024, ["2024-01-18", "2024-05-16", "2024-10-03"]),
    ])
    func firstThursdayOfOctoberThirdThursdayOfJanuaryAndMay(year: Int, expected: [String]) {
        #expect(CensusDays.days(in: year).map(\.description) == expected)
        #expect(CensusDays.days(in: year).allSatisfy { $0.isoWeekday == 4 })
    }

    @Test func theLatestCensusDayBetweenASessionAndItsAmendment() {
        let d = { (s: String) in SchoolDate(s)! }
        #expect(CensusDays.latest(onOrAfter: d("2025-09-30"), before: d("2025-10-03"))?.description == "2025-10-02")
        #expect(CensusDays.latest(onOrAfter: d("2025-09-30"), before: d("2025-10-02")) == nil)   // the census day itself: not yet after
        #expect(CensusDays.latest(onOrAfter: d("2025-10-02"), before: d("2025-10-03"))?.description == "2025-10-02")
        #expect(CensusDays.latest(onOrAfter: d("2025-10-03"), before: d("2025-12-01")) == nil)
        #expect(CensusDays.latest(onOrAfter: d("2025-09-30"), before: d("2026-02-01"))?.description == "2026-01-15")
    }
}
