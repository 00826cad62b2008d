import RollbookDomain

/// The DfE school census days Rollbook uses: the first Thursday of October (autumn census), the third
/// Thursday of January (spring) and the third Thursday of May (summer).
///
/// Attendance for a term is returned in a later census, so a session's figures are taken to have been
/// reported once a census day on or after the session has passed.
public enum CensusDays {
    /// The census days of one calendar year, in date order: January, May, October.
    public static func days(in year: Int) -> [SchoolDate] {
        [nthThursday(3, month: 1, year: year), nthThursday(3, month: 5, year: year), nthThursday(1, month: 10, year: year)]
    }

    /// The latest census day on or after `session` and strictly before `amended`, if any.
    public static func latest(onOrAfter session: SchoolDate, before amended: SchoolDate) -> SchoolDate? {
        guard session < amended else { return nil }
        let first = session.components.year, last = amended.components.year
        var found: SchoolDate?
        for year in first...last {
            for day in days(in: year) where session <= day && day < amended { found = day }
        }
        return found
    }

    /// The `n`th Thursday of a month.
    public static func nthThursday(_ n: Int, month: Int, year: Int) -> SchoolDate {
        let first = SchoolDate(year: year, month: month, day: 1)!
        let offset = (4 - first.isoWeekday + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }
}
