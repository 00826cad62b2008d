import RollbookLog

/// What "today" is for a reading command, and which of today's sessions are past.
public enum SchoolClock {
    /// The UTC date of a moment.
    public static func date(_ t: Timestamp) -> SchoolDate { SchoolDate(day: t.dayNumber) }

    /// Minutes since midnight in UK local time (GMT, or BST from 01:00 UTC on the last Sunday of March
    /// to 01:00 UTC on the last Sunday of October).
    public static func ukMinutes(_ t: Timestamp) -> (date: SchoolDate, minutes: Int) {
        let day = date(t)
        let year = day.components.year
        func lastSunday(_ month: Int) -> SchoolDate {
            var d = SchoolDate(day: Int32(CivilCalendar.days(year: year, month: month, day: 31)))  // March and October have 31 days
            while d.isoWeekday != 7 { d = d.adding(days: -1) }
            return d
        }
        let start = Timestamp(milliseconds: Int64(lastSunday(3).day) * 86_400_000 + 3_600_000)
        let end = Timestamp(milliseconds: Int64(lastSunday(10).day) * 86_400_000 + 3_600_000)
        let local = Timestamp(milliseconds: t.milliseconds + (start <= t && t < end ? 3_600_000 : 0))
        let localDay = date(local)
        return (localDay, Int((local.milliseconds - Int64(localDay.day) * 86_400_000) / 60_000))
    }

    /// The UTC moment of a UK local time (minutes since midnight) on a date.
    public static func moment(_ date: SchoolDate, minutes: Int) -> Timestamp {
        let naive = Timestamp(milliseconds: (Int64(date.day) * 1440 + Int64(minutes)) * 60_000)
        // The local time is an hour ahead of UTC in summer time; a naive reading an hour early tells which.
        let summer = ukMinutes(Timestamp(milliseconds: naive.milliseconds - 3_600_000)).date == date
            && ukMinutes(Timestamp(milliseconds: naive.milliseconds - 3_600_000)).minutes == minutes
        return summer ? Timestamp(milliseconds: naive.milliseconds - 3_600_000) : naive
    }

    /// The UK local end of a date (the last millisecond of that day), as a UTC moment: what a date given
    /// to `--as-of` means.
    public static func endOfDay(_ date: SchoolDate) -> Timestamp {
        Timestamp(milliseconds: moment(date.adding(days: 1), minutes: 0).milliseconds - 1)
    }
}

