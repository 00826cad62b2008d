import RollbookDomain
import RollbookLog
import RollbookProjections

/// Everything `rollbook report` draws, taken from the same projections as `stats` and `stages`.
///
/// The figures are ``StatsReport``'s (the academic year to the report's day, for the same pupils), the
/// cohorts are ``StatsReport/cohorts(by:state:)``, and the stages are the ``PupilStage`` rows `stages`
/// prints; the days and weeks are the same sessions, counted with ``AttendanceFigures`` per day.
public struct ReportData: Sendable {
    /// Whose report it is.
    public enum Scope: Sendable, Hashable {
        /// The whole school.
        case school
        /// One registration group.
        case group(String)
        /// One pupil (an index in ``LedgerState/pupils``).
        case pupil(Int)
    }

    /// What a weekday of the year was for the report's pupils.
    public enum DayKind: Sendable, Hashable {
        /// A school day with its figures (possible may be 0: nothing marked yet).
        case school
        /// Both sessions closed (`#` or `Y1`–`Y7`), with the code and the reason.
        case closed(code: String, reason: String)
        /// A weekday outside the terms.
        case holiday
        /// After the report's day.
        case future
    }

    /// A weekday of the calendar.
    public struct Day: Sendable, Hashable {
        /// The date.
        public var date: SchoolDate
        /// What it was.
        public var kind: DayKind
        /// The figures of the report's pupils on it.
        public var figures: AttendanceFigures
        /// A session closed while the other was open: the session and code ("AM #").
        public var partialClosure: String?
        /// For one pupil: the AM and PM codes (nil when unmarked), or nil when not on roll that day.
        public var codes: [AttendanceCode?]?
    }

    /// A school week (a calendar week with at least one school day up to the report's day).
    public struct Week: Sendable, Hashable {
        /// Its Monday.
        public var monday: SchoolDate
        /// The figures of the report's pupils in it.
        public var figures: AttendanceFigures
    }

    /// An intervention shown on a pupil's stage chart.
    public struct Intervention: Sendable, Hashable {
        /// Its date.
        public var date: SchoolDate
        /// The action id.
        public var action: String
        /// The note, if any.
        public var note: String?
    }

    /// The school's name and URN.
    public var schoolName: String
    /// The school's URN.
    public var urn: String
    /// The scope.
    public var scope: Scope
    /// "Whole school", "Group 3A", or the pupil's name, UPN and group.
    public var title: String
    /// For one pupil: the UPN.
    public var upn: String?
    /// The report's day (the school's calendar).
    public var on: SchoolDate
    /// What the ledger knew: the as-of moment given, or nil for everything recorded.
    public var asOf: Timestamp?
    /// When the report was made (the as-of moment, or now).
    public var knownAt: Timestamp
    /// The figures of the report's pupils, as `stats` gives them.
    public var stats: StatsReport
    /// The whole school's attendance this year (overall attendance ÷ possible × 100), the trend's reference.
    public var schoolAttendance: AttendanceFigures
    /// Weekdays from the first month with a school day to the end of the report day's month.
    public var days: [Day]
    /// School weeks to the report's day.
    public var weeks: [Week]
    /// The policy.
    public var policy: StagePolicy
    /// The stages of the report's pupils on roll on the day, as `stages` gives them.
    public var stages: [PupilStage]
    /// For one pupil: the stage day by day.
    public var stageHistory: [StageSpan]
    /// For a school or group: how many of its pupils on roll were at each stage (policy order) at the end of
    /// each school week (its last school day, or the report's day).
    public var stageWeeks: [(date: SchoolDate, counts: [Int])]
    /// For one pupil: the interventions this academic year up to the day.
    public var interventions: [Intervention]
    /// The cohort comparison: pp, fsm, sen, ehcp, year, group (for one pupil: the whole school's cohorts).
    public var cohorts: [CohortFigures]
    /// For one pupil: the cohort value the pupil is in, per kind.
    public var pupilCohorts: [CohortFigures.Kind: String]

    /// How the trend chart names the report's pupils: "the school", "group 3A", "this pupil".
    public var scopeNoun: String {
        switch scope {
        case .school: return "the school"
        case .group(let g): return "group \(g)"
        case .pupil: return "this pupil"
        }
    }

    /// The cohort kinds in the order the comparison shows them.
    public static let cohortKinds: [CohortFigures.Kind] = [.pp, .fsm, .sen, .ehcp, .year, .group]

    /// Gathers the report's data from state folded to the as-of moment and the stages evaluated on `on`.
    public init(state: LedgerState, on: SchoolDate, asOf: Timestamp?, knownAt: Timestamp, scope: Scope,
                policy: StagePolicy, stages: [PupilStage], tracker: StageTracker) {
        let from = on.academicYearStart
        upn = nil
        schoolName = state.school?.name ?? ""
        urn = state.school?.urn ?? ""
        self.scope = scope
        self.on = on
        self.asOf = asOf
        self.knownAt = knownAt
        self.policy = policy
        let school = StatsReport(state: state, from: from, to: on, group: nil, upn: nil, asOf: asOf)
        schoolAttendance = school.total
        var pupilCohorts: [CohortFigures.Kind: String] = [:]
        switch scope {
        case .school:
            title = "Whole school"
            stats = school
            self.stages = stages
            cohorts = ReportData.cohortKinds.map { school.cohorts(by: $0, state: state) }
        case .group(let group):
            title = "Registration group \(group)"
            stats = StatsReport(state: state, from: from, to: on, group: group, upn: nil, asOf: asOf)
            self.stages = stages.filter { $0.group == group }
            cohorts = ReportData.cohortKinds.map { [stats] in stats.cohorts(by: $0, state: state) }
        case .pupil(let index):
            let p = state.pupils[index]
            upn = p.upn
            title = "\(p.forename) \(p.surname), UPN \(p.upn), group \(p.group), year \(p.yearGroup)"
            stats = StatsReport(state: state, from: from, to: on, group: nil, upn: p.upn, asOf: asOf)
            self.stages = stages.filter { $0.pupil == index }
            cohorts = ReportData.cohortKinds.map { school.cohorts(by: $0, state: state) }
            for kind in ReportData.cohortKinds { pupilCohorts[kind] = kind.value(of: p) }
        }
        self.pupilCohorts = pupilCohorts
        if case .pupil(let index) = scope { stageHistory = tracker.stageHistory(pupil: index) } else { stageHistory = [] }
        if case .pupil(let index) = scope {
            interventions = (state.interventions[index] ?? [])
                .filter { $0.intervention.date >= from && $0.intervention.date <= on }
                .sorted { ($0.intervention.date, $0.seq) < ($1.intervention.date, $1.seq) }
                .map { Intervention(date: $0.intervention.date, action: $0.intervention.action, note: $0.intervention.note) }
        } else {
            interventions = []
        }
        (days, weeks) = ReportData.calendar(state: state, from: from, on: on, scope: scope, pupils: stats.rows.map(\.pupil))
        var stageWeeks: [(date: SchoolDate, counts: [Int])] = []
        if case .pupil = scope {} else {
            let members: [Int]
            if case .group(let g) = scope { members = state.pupils.filter { $0.group == g }.map(\.index) } else { members = state.pupils.map(\.index) }
            for week in weeks {
                let last = days.last { $0.date.mondayOfWeek == week.monday && $0.date <= on && state.calendar.isSchoolDay($0.date) }?.date ?? week.monday
                var counts = [Int](repeating: 0, count: policy.stages.count)
                for i in members {
                    if let s = tracker.stageIndex(pupil: i, on: last), s < counts.count { counts[s] += 1 }
                }
                stageWeeks.append((last, counts))
            }
        }
        self.stageWeeks = stageWeeks
    }

    /// The weekdays and school weeks of the year to `on`, with the figures of the given pupils.
    static func calendar(state: LedgerState, from: SchoolDate, on: SchoolDate, scope: Scope, pupils: [Int]) -> ([Day], [Week]) {
        let firstSchoolDay = state.calendar.schoolDays(from: from, to: on).first ?? on
        let (y, m, _) = firstSchoolDay.components
        let start = SchoolDate(year: y, month: m, day: 1) ?? firstSchoolDay
        let (ey, em, _) = on.components
        let end = (em == 12 ? SchoolDate(year: ey + 1, month: 1, day: 1) : SchoolDate(year: ey, month: em + 1, day: 1))?.adding(days: -1) ?? on
        var days: [Day] = []
        var index: [Int32: Int] = [:]
        var date = start
        while date <= end {
            if !date.isWeekend {
                let kind: DayKind
                var partial: String?
                if date > on {
                    kind = .future
                } else if !state.calendar.isSchoolDay(date) {
                    kind = .holiday
                } else if let am = state.calendar.closure(date, .am), let pm = state.calendar.closure(date, .pm) {
                    kind = am.code == pm.code ? .closed(code: am.code.text, reason: am.reason)
                        : .closed(code: "\(am.code.text)/\(pm.code.text)", reason: am.reason)
                } else {
                    kind = .school
                    for session in Session.allCases {
                        if let c = state.calendar.closure(date, session) { partial = "\(session) \(c.code.text)" }
                    }
                }
                index[date.day] = days.count
                days.append(Day(date: date, kind: kind, figures: AttendanceFigures(), partialClosure: partial, codes: nil))
            }
            date = date.adding(days: 1)
        }
        // The same sessions `stats` counts: every session on roll, closures applied, unmarked ones not counted.
        for i in pupils {
            let record = state.pupils[i]
            state.forEachSession(of: record, from: from, to: on) { date, session, code in
                guard let d = index[date.day] else { return }
                if let code { days[d].figures.add(code, on: date) }
                if case .pupil = scope {
                    if days[d].codes == nil { days[d].codes = [nil, nil] }
                    days[d].codes?[Int(session.rawValue)] = code
                }
            }
        }
        var weeks: [Week] = []
        for day in days where day.date <= on && state.calendar.isSchoolDay(day.date) {
            let monday = day.date.mondayOfWeek
            if weeks.last?.monday != monday { weeks.append(Week(monday: monday, figures: AttendanceFigures())) }
            weeks[weeks.count - 1].figures = weeks[weeks.count - 1].figures + day.figures
        }
        return (days, weeks)
    }
}
