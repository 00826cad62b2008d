import RollbookLog

/// The school's calendar: terms (school days are the weekdays inside them) and closures.
public struct SchoolCalendar: Sendable, Hashable {
    /// A term.
    public struct Term: Sendable, Hashable {
        /// The term's name.
        public var name: String
        /// First day.
        public var from: SchoolDate
        /// Last day.
        public var to: SchoolDate
    }

    /// A closure of one session.
    public struct Closure: Sendable, Hashable {
        /// `#` or `Y1`–`Y7`.
        public var code: AttendanceCode
        /// Why.
        public var reason: String
        /// The event that recorded it.
        public var seq: Int
        /// When that event was appended.
        public var at: Timestamp
    }

    /// The terms, in date order.
    public private(set) var terms: [Term] = []
    /// Closures by session key (see ``key(_:_:)``).
    public private(set) var closures: [Int64: Closure] = [:]

    /// Creates an empty calendar.
    public init() {}

    /// Creates a calendar holding exactly these terms (in the order given) and closures (for a snapshot).
    package init(terms: [Term], closures: [Int64: Closure]) {
        self.terms = terms
        self.closures = closures
    }

    /// A dictionary key for a date and session.
    @inline(__always)
    public static func key(_ date: SchoolDate, _ session: Session) -> Int64 { Int64(date.day) * 2 + Int64(session.rawValue) }

    /// Adds a term.
    public mutating func addTerm(name: String, from: SchoolDate, to: SchoolDate) {
        terms.append(Term(name: name, from: from, to: to))
        terms.sort { $0.from < $1.from }
    }

    /// Records a closure on every school day from `from` to `to` (one session or both).
    public mutating func addClosure(from: SchoolDate, to: SchoolDate, session: Session?, code: AttendanceCode, reason: String, seq: Int, at: Timestamp) {
        var day = from
        while day <= to {
            if isSchoolDay(day) {
                for s in Session.allCases where session == nil || session == s {
                    closures[SchoolCalendar.key(day, s)] = Closure(code: code, reason: reason, seq: seq, at: at)
                }
            }
            day = day.adding(days: 1)
        }
    }

    /// The term that contains the date, if any.
    public func term(containing date: SchoolDate) -> Term? {
        terms.first { $0.from <= date && date <= $0.to }
    }

    /// Whether the date is a school day: a weekday inside a term.
    public func isSchoolDay(_ date: SchoolDate) -> Bool {
        !date.isWeekend && term(containing: date) != nil
    }

    /// The closure of a session, if the school was closed.
    public func closure(_ date: SchoolDate, _ session: Session) -> Closure? {
        closures[SchoolCalendar.key(date, session)]
    }

    /// The school days from `from` to `to` inclusive, in order.
    public func schoolDays(from: SchoolDate, to: SchoolDate) -> [SchoolDate] {
        var out: [SchoolDate] = []
        var day = from
        while day <= to {
            if isSchoolDay(day) { out.append(day) }
            day = day.adding(days: 1)
        }
        return out
    }

    /// The school day `count` school days after `date` (counting only school days), if the calendar reaches it.
    public func schoolDay(_ count: Int, after date: SchoolDate) -> SchoolDate? {
        var remaining = count
        var day = date
        let last = terms.last?.to ?? date
        while remaining > 0 {
            day = day.adding(days: 1)
            if day > last { return nil }
            if isSchoolDay(day) { remaining -= 1 }
        }
        return day
    }
}
