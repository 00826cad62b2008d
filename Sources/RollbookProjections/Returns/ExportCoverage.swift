import RollbookDomain

/// How much of an export's period the school's calendar and register cover, so that an export of a period
/// with no term, or with school days left unmarked, says so instead of quietly giving zeros (PRODUCT.md
/// section 8).
///
/// A session is unmarked when a pupil of the export was on roll on a school day and the session has no
/// mark and no closure. Closed sessions count as covered (their code is the closure's). ``CensusReturn``
/// and ``StatutoryReturns`` tally it in the walk they already make; ``init(state:from:to:pupils:)``
/// measures it on its own.
public struct ExportCoverage: Sendable, Hashable {
    /// The first day of the period.
    public let from: SchoolDate
    /// The last day of the period.
    public let to: SchoolDate
    /// School days (weekdays inside a term) in the period.
    public let schoolDays: Int
    /// School days with at least one unmarked session.
    var unmarked: Set<SchoolDate> = []
    /// Unmarked sessions over the export's pupils.
    public private(set) var unmarkedSessions = 0

    /// An empty tally of the period.
    init(calendar: SchoolCalendar, from: SchoolDate, to: SchoolDate) {
        self.from = from
        self.to = to
        var schoolDays = 0
        var day = from
        while day <= to {
            if calendar.isSchoolDay(day) { schoolDays += 1 }
            day = day.adding(days: 1)
        }
        self.schoolDays = schoolDays
    }

    /// Measures the period for the given pupils (each counted only while on roll).
    public init(state: LedgerState, from: SchoolDate, to: SchoolDate, pupils: [PupilRecord]) {
        self.init(calendar: state.calendar, from: from, to: to)
        guard schoolDays > 0 else { return }
        for pupil in pupils {
            state.forEachSession(of: pupil, from: from, to: to) { date, _, code in
                if code == nil { noteUnmarked(date) }
            }
        }
    }

    /// Counts an unmarked session of a pupil on roll, if it falls in the period.
    mutating func noteUnmarked(_ date: SchoolDate) {
        guard from <= date && date <= to else { return }
        unmarkedSessions += 1
        unmarked.insert(date)
    }

    /// School days with at least one unmarked session, in date order.
    public var unmarkedDays: [SchoolDate] { unmarked.sorted() }

    /// Whether the period has no school day at all.
    public var hasNoTerm: Bool { schoolDays == 0 }

    /// The warnings, one sentence each (empty when the period is fully covered); `label` names the
    /// export's period, e.g. `spring-2026`, and `today` (when given) lets the warning say that the period
    /// has not ended yet.
    public func warnings(label: String, today: SchoolDate? = nil) -> [String] {
        let span = "\(label) (\(from) to \(to))"
        if hasNoTerm {
            return ["No term of the school calendar falls in \(span), so the export holds no sessions."]
        }
        guard let first = unmarked.min(), let last = unmarked.max() else { return [] }
        var text = "\(unmarked.count) of the \(schoolDays) school day(s) in \(span) have sessions with no mark "
            + "(\(unmarkedSessions) session(s), \(first == last ? "on \(first)" : "from \(first) to \(last)")); "
            + "the export counts only marked sessions"
        if let today, last > today { text += ", and the period has not ended yet" }
        return [text + "."]
    }
}
