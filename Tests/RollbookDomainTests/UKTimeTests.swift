import RollbookDomain
import RollbookLog
import Testing

struct UKTimeTests {
    func t(_ text: String) throws -> Timestamp { try #require(Timestamp(parsing: text)) }
    func d(_ text: String) throws -> SchoolDate { try #require(SchoolDate(text)) }

    @Test func summerTimeStartsAndEndsAtOneInTheMorningUTCOnTheLastSundays() throws {
        // 2025: BST from Sun 30 March 01:00 UTC to Sun 26 October 01:00 UTC.
        #expect(!UKTime.isSummerTime(try t("2025-03-30T00:59:59.999Z")))
        #expect(UKTime.isSummerTime(try t("2025-03-30T01:00:00.000Z")))
        #expect(UKTime.isSummerTime(try t("2025-10-26T00:59:59.999Z")))
        #expect(!UKTime.isSummerTime(try t("2025-10-26T01:00:00.000Z")))
        // 2024: 31 March and 27 October.
        #expect(UKTime.isSummerTime(try t("2024-03-31T01:00:00.000Z")))
        #expect(!UKTime.isSummerTime(try t("2024-03-30T12:00:00.000Z")))
        #expect(!UKTime.isSummerTime(try t("2024-10-27T01:00:00.000Z")))
    }

    @Test func theEndOfADayIsTheUKEndOfThatDay() throws {
        #expect(UKTime.endOfDay(try d("2025-09-24")) == (try t("2025-09-24T22:59:59.999Z")))
        #expect(UKTime.endOfDay(try d("2025-12-01")) == (try t("2025-12-01T23:59:59.999Z")))
        #expect(UKTime.endOfDay(try d("2025-03-30")) == (try t("2025-03-30T22:59:59.999Z")))  // the day BST begins
        #expect(UKTime.endOfDay(try d("2025-10-26")) == (try t("2025-10-26T23:59:59.999Z")))  // the day it ends
        #expect(UKTime.endOfDay(try d("2025-03-29")) == (try t("2025-03-29T23:59:59.999Z")))
    }

    @Test func localDateAndMinutes() throws {
        let late = UKTime.local(try t("2025-09-22T23:30:00.000Z"))
        #expect(late.date == (try d("2025-09-23")))
        #expect(late.minutes == 30)
        let winter = UKTime.local(try t("2025-12-01T08:40:00.000Z"))
        #expect(winter.date == (try d("2025-12-01")))
        #expect(winter.minutes == 8 * 60 + 40)
    }

    @Test func asOfTakesATimeOrADate() throws {
        #expect(UKTime.asOf("2025-09-24") == (try t("2025-09-24T22:59:59.999Z")))
        #expect(UKTime.asOf("2025-09-24T10:00:00Z") == (try t("2025-09-24T10:00:00.000Z")))
        #expect(UKTime.asOf("2025-02-30") == nil)
        #expect(UKTime.asOf("2025-09-24T10:00:00") == nil)
        #expect(UKTime.asOf("yesterday") == nil)
        // The ends of the calendar answer without trapping.
        #expect(UKTime.endOfDay(try d("9999-12-31")) == (try t("9999-12-31T23:59:59.999Z")))
        #expect(!UKTime.isSummerTime(try t("0001-01-01T00:00:00Z")))
    }
}
