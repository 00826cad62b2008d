import RollbookLog

/// What "today" is for a reading command, and which of today's sessions are past.
public enum SchoolClock {
    /// The UK date of a moment (what "today" is for a school).
    public static func date(_ t: Timestamp) -> SchoolDate { UKTime.local(t).date }

    /// The UK local date and minutes since local midnight of a moment (GMT, or BST from 01:00 UTC on the
    /// last Sunday of March to 01:00 UTC on the last Sunday of October; see ``UKTime``).
    public static func ukMinutes(_ t: Timestamp) -> (date: SchoolDate, minutes: Int) { UKTime.local(t) }
}
