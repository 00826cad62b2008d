import RollbookDomain
import Testing

struct SchoolDateTests {
    @Test(arguments: [("1970-01-01", 0, 4), ("2024-08-19", 19954, 1), ("2025-09-03", 20334, 3), ("2000-02-29", 11016, 2), ("1969-12-31", -1, 3)])
    func parsesToDayNumbersAndWeekdays(_ text: String, _ day: Int32, _ weekday: Int) throws {
        let date = try #require(SchoolDate(text))
        #expect(date.day == day)
        #expect(date.isoWeekday == weekday)
        #expect(date.description == text)
    }

    @Test(arguments: ["2025-02-29", "2025-13-01", "2025-00-10", "2025-09-31", "2025-9-3", "20250903", "2025-09-03 ", "", "abcd-ef-gh", "1900-02-29"])
    func refusesImpossibleOrMalformedDates(_ text: String) {
        #expect(SchoolDate(text) == nil)
    }

    @Test func academicYearsStartOnTheFirstOfAugust() throws {
        #expect(SchoolDate("2025-07-31")!.academicYearStart == SchoolDate("2024-08-01")!)
        #expect(SchoolDate("2025-08-01")!.academicYearStart == SchoolDate("2025-08-01")!)
        #expect(SchoolDate("2026-03-15")!.academicYearStart == SchoolDate("2025-08-01")!)
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() {
        for day in Int32(-1000)...Int32(146_097) {
            let d = SchoolDate(day: day)
            #expect(SchoolDate(d.description) == d)
        }
    }

    @Test func calendarSchoolDaysAreWeekdaysInsideTerms() throws {
        var calendar = SchoolCalendar()
        calendar.addTerm(name: "Autumn 1", from: SchoolDate("2025-09-03")!, to: SchoolDate("2025-10-24")!)
        calendar.addTerm(name: "Autumn 2", from: SchoolDate("2025-11-03")!, to: SchoolDate("2025-12-19")!)
        #expect(calendar.isSchoolDay(SchoolDate("2025-09-03")!))
        #expect(!calendar.isSchoolDay(SchoolDate("2025-09-06")!))  // Saturday
        #expect(!calendar.isSchoolDay(SchoolDate("2025-10-27")!))  // half term
        #expect(calendar.schoolDays(from: SchoolDate("2025-10-20")!, to: SchoolDate("2025-11-05")!).count == 8)
        #expect(calendar.schoolDay(5, after: SchoolDate("2025-10-22")!) == SchoolDate("2025-11-05")!)
    }

    @Test func upnShapes() {
        #expect(UPN.isWellFormed("A123456789012"))
        #expect(UPN.isWellFormed("A12345678901B"))
        #expect(UPN.isValid("A12345678901B") && UPN.isValid("A123456789012") && !UPN.isValid("B" + "123456789012"))
        #expect(!UPN.isWellFormed("a123456789012"))
        #expect(!UPN.isWellFormed("A12345678901"))
        #expect(!UPN.isWellFormed("A1234567890123"))
        #expect(!UPN.isWellFormed("A1234567890X2"))
    }
}
