import RollbookLog

/// UK local time (GMT, or BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
/// Sunday of October), computed from the rule itself so that no time-zone database is needed.
///
/// A school's day is a UK day: "as of 2025-10-24" means the end of 24 October in the UK, and "today"
/// is the UK date.
public enum UKTime {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    /// The day number of the last Sunday of a month (0 = 1970-01-01).
    static func lastSunday(year: Int, month: Int) -> Int64 {
        let lastDay = CivilCalendar.daysIn(month: month, year: year)
        let days = CivilCalendar.days(year: year, month: month, day: lastDay)
        let weekday = ((days % 7) + 7 + 3) % 7  // 0 = Monday … 6 = Sunday
        return Int64(days - (weekday + 1) % 7)
    }

    /// Whether British Summer Time is in force at a moment.
    public static func isSummerTime(_ t: Timestamp) -> Bool {
        let days = t.milliseconds >= 0 ? t.milliseconds / day : (t.milliseconds - day + 1) / day
        let year = CivilCalendar.date(days: Int(days)).year
        let starts = lastSunday(year: year, month: 3) * day + hour
        let ends = lastSunday(year: year, month: 10) * day + hour
        return starts <= t.milliseconds && t.milliseconds < ends
    }

    /// The UK local date and the minutes since local midnight of a moment.
    public static func local(_ t: Timestamp) -> (date: SchoolDate, minutes: Int) {
        let local = Timestamp(milliseconds: t.milliseconds &+ (isSummerTime(t) ? hour : 0))
        let date = SchoolDate(day: local.dayNumber)
        return (date, Int((local.milliseconds - Int64(local.dayNumber) * day) / 60_000))
    }

    /// The UTC moment of a UK local time of day (minutes since local midnight) on a date, e.g. when a
    /// register opens.
    public static func moment(_ date: SchoolDate, minutes: Int) -> Timestamp {
        let utc = Timestamp(milliseconds: Int64(date.day) * day + Int64(minutes) * 60_000)
        let summer = Timestamp(milliseconds: utc.milliseconds - hour)
        return isSummerTime(summer) ? summer : utc
    }

    /// The last millisecond of a date in UK local time (23:59:59.999 BST is 22:59:59.999Z).
    public static func endOfDay(_ date: SchoolDate) -> Timestamp {
        let utc = Timestamp(milliseconds: (Int64(date.day) + 1) * day - 1)
        let summer = Timestamp(milliseconds: utc.milliseconds - hour)
        return isSummerTime(summer) ? summer : utc
    }

    /// Parses an `--as-of` value: an ISO 8601 UTC time, or a bare date `YYYY-MM-DD` meaning the end of
    /// that day in the UK; nil when it is neither.
    public static func asOf(_ text: String) -> Timestamp? {
        if text.utf8.count == 10 {
            guard let date = SchoolDate(text) else { return nil }
            return endOfDay(date)
        }
        return Timestamp(parsing: text)
    }
}
