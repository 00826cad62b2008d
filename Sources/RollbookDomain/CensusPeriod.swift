/// One of the four termly attendance periods of the school census (PRODUCT.md section 8).
///
/// `autumn-YYYY` is 1 August to 31 December of YYYY; `spring-YYYY` is 1 January to Easter Sunday;
/// `summer1-YYYY` is Easter Monday to the Sunday before the spring bank holiday (the last Monday in
/// May); `summer2-YYYY` is that bank holiday to 31 July. Easter is computed (``easterSunday(_:)``),
/// never looked up in a table.
public struct CensusPeriod: Sendable, Hashable, CustomStringConvertible {
    /// Which of the four periods.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// 1 August – 31 December.
        case autumn
        /// 1 January – Easter Sunday.
        case spring
        /// Easter Monday – the Sunday before the spring bank holiday.
        case summer1
        /// The spring bank holiday – 31 July.
        case summer2
    }

    /// Which period.
    public var kind: Kind
    /// The calendar year named in the period (`autumn-2025` is in 2025, `spring-2026` in 2026).
    public var year: Int
    /// The first day of the period.
    public let from: SchoolDate
    /// The last day of the period.
    public let to: SchoolDate

    /// Creates the period of that kind in that calendar year.
    public init(kind: Kind, year: Int) {
        self.kind = kind
        self.year = year
        let easter = CensusPeriod.easterSunday(year)
        let bankHoliday = CensusPeriod.springBankHoliday(year)
        switch kind {
        case .autumn:
            from = SchoolDate(year: year, month: 8, day: 1)!
            to = SchoolDate(year: year, month: 12, day: 31)!
        case .spring:
            from = SchoolDate(year: year, month: 1, day: 1)!
            to = easter
        case .summer1:
            from = easter.adding(days: 1)
            to = bankHoliday.adding(days: -1)
        case .summer2:
            from = bankHoliday
            to = SchoolDate(year: year, month: 7, day: 31)!
        }
    }

    /// Parses `autumn-YYYY`, `spring-YYYY`, `summer1-YYYY` or `summer2-YYYY`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), parts[1].count == 4,
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(parts[1]), year >= 1900 else { return nil }
        self.init(kind: kind, year: year)
    }

    /// `spring-2026`.
    public var description: String { "\(kind.rawValue)-\(year)" }

    /// The day a pupil's age is taken for census attendance: 31 August at the start of the period's
    /// academic year (2025-08-31 for `autumn-2025` and for `spring-2026`, `summer1-2026`, `summer2-2026`).
    public var ageDate: SchoolDate {
        SchoolDate(year: kind == .autumn ? year : year - 1, month: 8, day: 31)!
    }

    /// The ages on ``ageDate`` of the pupils whose attendance the census collects: 4 to 15, so Reception
    /// pupils are included (DfE publishes absence of four-year-olds from it) and 16-year-olds are not.
    public static let attendanceAges: ClosedRange<Int> = 4...15

    /// Whether the census collects the attendance of a pupil born on `dob` for this period.
    public func collectsAttendance(dob: SchoolDate) -> Bool {
        CensusPeriod.attendanceAges.contains(CensusPeriod.age(born: dob, on: ageDate))
    }

    /// Age in whole years on a date (a 29 February birthday is reached on 1 March in a common year).
    public static func age(born dob: SchoolDate, on date: SchoolDate) -> Int {
        let (by, bm, bd) = dob.components
        let (y, m, d) = date.components
        return y - by - ((m, d) < (bm, bd) ? 1 : 0)
    }

    /// Easter Sunday of a year in the Gregorian calendar (the anonymous Gregorian algorithm, also
    /// known as Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> SchoolDate {
        let a = year % 19
        let b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return SchoolDate(year: year, month: month, day: day)!
    }

    /// The spring bank holiday: the last Monday in May.
    public static func springBankHoliday(_ year: Int) -> SchoolDate {
        let may31 = SchoolDate(year: year, month: 5, day: 31)!
        return may31.adding(days: -(may31.isoWeekday - 1))
    }
}
