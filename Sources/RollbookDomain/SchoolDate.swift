import RollbookLog

/// A calendar date in the proleptic Gregorian calendar, stored as a day number.
///
/// Rollbook works in whole days (registers are per date and session), so dates are small integers:
/// day 0 is 1970-01-01. Parsing accepts exactly `YYYY-MM-DD` and refuses impossible dates such as
/// `2025-02-29`.
public struct SchoolDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let day: Int32

    /// Creates a date from a day number (days since 1970-01-01).
    public init(day: Int32) { self.day = day }

    /// Creates a date from its year, month (1–12) and day of month, or nil if there is no such date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilCalendar.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.day = Int32(CivilCalendar.days(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD`, or returns nil if the text is malformed or names no real date.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = utf8[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The year, month and day of month.
    public var components: (year: Int, month: Int, day: Int) {
        CivilCalendar.date(days: Int(day))
    }

    /// The day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = ((Int(day) % 7) + 7 + 3) % 7
        return r + 1
    }

    /// Whether the date falls on a Saturday or Sunday.
    public var isWeekend: Bool { isoWeekday >= 6 }

    /// The date `count` days later (earlier if negative).
    public func adding(days count: Int) -> SchoolDate { SchoolDate(day: day + Int32(count)) }

    /// The Monday of this date's ISO week.
    public var mondayOfWeek: SchoolDate { adding(days: -(isoWeekday - 1)) }

    /// The first day (1 August) of the academic year this date falls in.
    public var academicYearStart: SchoolDate {
        let (y, m, _) = components
        return SchoolDate(day: Int32(CivilCalendar.days(year: m >= 8 ? y : y - 1, month: 8, day: 1)))
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public static func < (lhs: SchoolDate, rhs: SchoolDate) -> Bool { lhs.day < rhs.day }
}
