import RollbookLog

// Rebuilding a calendar from its parts (a snapshot of projection state stores them); the calendar's own
// initialiser is in SchoolCalendar.swift, where its setters are visible.
extension SchoolCalendar.Term {
    /// Creates a term.
    package init(restoring name: String, from: SchoolDate, to: SchoolDate) { self.init(name: name, from: from, to: to) }
}

extension SchoolCalendar.Closure {
    /// Creates a closure record.
    package init(restoring code: AttendanceCode, reason: String, seq: Int, at: Timestamp) {
        self.init(code: code, reason: reason, seq: seq, at: at)
    }
}
