import RollbookLog

/// What "today" is for a reading command, and which of today's sessions are past.
public enum SchoolClock {
    /// The UK date of a moment (what "today" is for a school).
    public static func date(_ t: Timestamp) -> SchoolDate { UKTime.local(t).date }

    /// The UK local date and minutes since local midnight of a moment (GMT, or BST from 01:00 UTC on the
    /// last Sunday of March to 01:00 UTC on the last Sunday of October; see ``UKTime``).
    public static func ukMinutes(_ t: Timestamp) -> (date: SchoolDate, minutes: Int) { UKTime.local(t) }

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
    public static func endOfDay(_ date: SchoolDate) -> Timestamp { UKTime.endOfDay(date) }
}
