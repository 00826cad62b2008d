import RollbookDomain
import RollbookLog

/// The school days and school weeks of one academic year (1 August – 31 July), as the policies count them.
///
/// A school session is a session of a school day (a weekday inside a term) that no closure covers; a
/// school day has at least one school session; a school week is a calendar week (Monday–Sunday) with
/// at least one school session. Days are addressed by their offset from 1 August.
public struct SchoolYearSchedule: Sendable {
    /// 1 August of the year.
    public let start: SchoolDate
    /// The number of days in the year (365 or 366).
    public let dayCount: Int
    /// Whether each day is a school day.
    public private(set) var isSchoolDay: [Bool]
    /// The number of school days from 1 August up to and including each day.
    public private(set) var ordinal: [Int]
    /// The weekday offset of 1 August (0 for a Monday), so week `w` starts at day offset `7w - startWeekday`.
    public let startWeekday: Int
    /// The number of calendar weeks the year touches.
    public let weekCount: Int
    /// For each calendar week, the number of school weeks up to and including it.
    public private(set) var schoolWeekOrdinal: [Int]
    /// The calendar-week indices of the school weeks, in order.
    public private(set) var schoolWeeks: [Int]

    /// Builds the schedule of the academic year that contains `date`, from the calendar.
    public init(containing date: SchoolDate, calendar: SchoolCalendar) {
        start = date.academicYearStart
        // 1 August to 31 July holds the February of the next calendar year.
        dayCount = CivilCalendar.isLeap(start.components.year + 1) ? 366 : 365
        startWeekday = start.isoWeekday - 1
        weekCount = (dayCount - 1 + startWeekday) / 7 + 1
        isSchoolDay = []
        ordinal = []
        schoolWeekOrdinal = []
        schoolWeeks = []
        rebuild(calendar)
    }

    /// Recomputes the days and weeks after the calendar changed.
    public mutating func rebuild(_ calendar: SchoolCalendar) {
        isSchoolDay = [Bool](repeating: false, count: dayCount)
        ordinal = [Int](repeating: 0, count: dayCount)
        var weekHasSchool = [Bool](repeating: false, count: weekCount)
        var count = 0
        for offset in 0..<dayCount {
            let day = start.adding(days: offset)
            if calendar.isSchoolDay(day) && Session.allCases.contains(where: { calendar.closure(day, $0) == nil }) {
                isSchoolDay[offset] = true
                count += 1
                weekHasSchool[week(offset)] = true
            }
            ordinal[offset] = count
        }
        schoolWeekOrdinal = [Int](repeating: 0, count: weekCount)
        schoolWeeks = []
        for w in 0..<weekCount {
            if weekHasSchool[w] { schoolWeeks.append(w) }
            schoolWeekOrdinal[w] = schoolWeeks.count
        }
    }

    /// The day offset of a date (negative before 1 August, `dayCount` or more after 31 July).
    @inline(__always)
    public func offset(_ date: SchoolDate) -> Int { Int(date.day - start.day) }

    /// The date at a day offset.
    public func date(_ offset: Int) -> SchoolDate { start.adding(days: offset) }

    /// The calendar week index of a day offset.
    @inline(__always)
    public func week(_ offset: Int) -> Int { (offset + startWeekday) / 7 }

    /// School days from 1 August up to and including the day at `offset` (0 before the year).
    public func schoolDays(through offset: Int) -> Int {
        if offset < 0 { return 0 }
        return ordinal[min(offset, dayCount - 1)]
    }

    /// The calendar weeks of the window of `length` weeks ending with week `w`: consecutive calendar
    /// weeks, or the last `length` school weeks up to `w`.
    public func window(endingAt w: Int, length: Int, schoolWeeks only: Bool) -> ArraySlice<Int> {
        if only {
            let k = schoolWeekOrdinal[w]
            return schoolWeeks[max(0, k - length)..<k]
        }
        return ArraySlice(max(0, w - length + 1)...w)
    }
}
