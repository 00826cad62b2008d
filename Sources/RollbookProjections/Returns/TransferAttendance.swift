import RollbookDomain

/// A pupil's attendance as a Common Transfer File carries it (PRODUCT.md section 8): for each academic
/// year (1 August to 31 July) in which the pupil was on roll, in any spell, the year's figures and the
/// marks of every session.
///
/// The marks are one character per session, AM then PM of every calendar day from ``Year/startDate``
/// (the first school day on roll that year) to the last school day on roll that year (no later than
/// `today`): the code's ``AttendanceCode/ctfCharacter`` (a closure's `#` included), `#` for a day
/// without school (a weekend or a day outside the terms), `-` for a session with no mark, which is also
/// what a school day between two spells on roll holds. There is no separator: a receiving system reads
/// the marks by position.
public struct TransferAttendance: Sendable, Hashable {
    /// One academic year's attendance.
    public struct Year: Sendable, Hashable {
        /// The calendar year the academic year starts in (2025 for 2025/26).
        public var year: Int
        /// The figures over the year's sessions on roll (unmarked sessions are not counted).
        public var figures: AttendanceFigures
        /// The day of the first mark.
        public var startDate: SchoolDate
        /// One character per session from ``startDate``.
        public var marks: String
    }

    /// The years on roll, oldest first.
    public var years: [Year]

    /// The character for a session of a day without school.
    public static let noSchool: Character = "#"
    /// The character for a session with no mark.
    public static let unmarked: Character = "-"

    /// Builds the attendance of `pupil` up to `today` (inclusive).
    public init(state: LedgerState, pupil: PupilRecord, today: SchoolDate) {
        var years: [Year] = []
        let lastOnRoll = pupil.left.map { min(today, $0.adding(days: -1)) } ?? today
        var yearStart = pupil.firstAdmitted.academicYearStart
        while yearStart <= lastOnRoll {
            let y = yearStart.components.year
            let yearEnd = SchoolDate(year: y + 1, month: 7, day: 31) ?? yearStart.adding(days: 364)
            if let year = TransferAttendance.year(y, state: state, pupil: pupil, from: yearStart, to: min(yearEnd, lastOnRoll)) {
                years.append(year)
            }
            yearStart = yearEnd.adding(days: 1)
        }
        self.years = years
    }

    /// One year's block, or nil when the pupil had no school day on roll in it.
    static func year(_ y: Int, state: LedgerState, pupil: PupilRecord, from: SchoolDate, to: SchoolDate) -> Year? {
        var first: SchoolDate?, last: SchoolDate?
        var figures = AttendanceFigures()
        state.forEachSession(of: pupil, from: from, to: to) { date, _, code in
            if first == nil { first = date }
            last = date
            if let code { figures.add(code, on: date) }
        }
        guard let first, let last else { return nil }
        var marks = ""
        marks.reserveCapacity(2 * Int(last.day - first.day + 1))
        var day = first
        while day <= last {
            for session in Session.allCases {
                if !state.calendar.isSchoolDay(day) {
                    marks.append(noSchool)
                } else if !pupil.isOnRoll(day) {
                    marks.append(unmarked)
                } else if let code = state.effectiveCode(pupil: pupil.index, date: day, session: session)?.code {
                    marks.append(code.ctfCharacter)
                } else {
                    marks.append(unmarked)
                }
            }
            day = day.adding(days: 1)
        }
        return Year(year: y, figures: figures, startDate: first, marks: marks)
    }
}
