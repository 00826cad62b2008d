/// When a child is of compulsory school age in England (Education Act 1996, section 8).
///
/// A child begins to be of compulsory school age on the first prescribed day (31 December, 31 March,
/// 31 August) on or after their fifth birthday, so in practice from the term after it. They cease to
/// be of compulsory school age at the end of the school leaving date — the last Friday in June — of
/// the school year (1 September to 31 August) in which they turn 16.
public struct CompulsorySchoolAge: Sendable, Hashable {
    /// The first day of compulsory school age.
    public let from: SchoolDate
    /// The last day of compulsory school age (a last Friday in June).
    public let to: SchoolDate

    /// The compulsory school age of a child born on `dob`.
    public init(dob: SchoolDate) {
        let (y, m, d) = dob.components
        // The fifth birthday; a 29 February birthday is reached on 1 March in a common year.
        let fifth = SchoolDate(year: y + 5, month: m, day: d) ?? SchoolDate(year: y + 5, month: 3, day: 1)!
        let fy = y + 5
        let prescribed = [SchoolDate(year: fy, month: 3, day: 31)!, SchoolDate(year: fy, month: 8, day: 31)!,
                          SchoolDate(year: fy, month: 12, day: 31)!]
        from = prescribed.first { $0 >= fifth }!
        // The school year in which they turn 16 ends on 31 August of `endYear`.
        let sixteenth = SchoolDate(year: y + 16, month: m, day: d) ?? SchoolDate(year: y + 16, month: 3, day: 1)!
        let (sy, sm, _) = sixteenth.components
        let endYear = sm >= 9 ? sy + 1 : sy
        to = CompulsorySchoolAge.lastFridayInJune(endYear)
    }

    /// Whether the child is of compulsory school age on the date.
    public func contains(_ date: SchoolDate) -> Bool { from <= date && date <= to }

    /// The last Friday in June of a year (the school leaving date).
    public static func lastFridayInJune(_ year: Int) -> SchoolDate {
        let june30 = SchoolDate(year: year, month: 6, day: 30)!
        return june30.adding(days: -((june30.isoWeekday - 5 + 7) % 7))
    }
}
