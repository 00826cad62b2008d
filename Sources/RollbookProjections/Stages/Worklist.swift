import RollbookDomain

/// The attendance officer's day (`rollbook worklist`), built from seeds 001, 003 and 004.
///
/// Five sections, in this order, each in its own documented order:
/// 1. ``calls`` — pupils with an unexplained absence (`N`) on the day: the first-day absence calls
///    and each further day's call. Vulnerable pupils first: EHCP, then SEN, then other flags (PP, FSM),
///    then everyone else; within that by group and UPN.
/// 2. ``unexplained`` — standing `N` codes 3 or more school days old, from any year (an N never resolved
///    stays open across 1 August): past the 5-school-day deadline (they must become `O`) first, then
///    those nearing it; oldest first, then group, UPN, session.
/// 3. ``missingMarks`` — past sessions of pupils on roll with no mark (closures count as marked), from
///    1 August of the previous academic year, by date, session, group, UPN.
/// 4. ``stageChanges`` — pupils whose stage differs from the end of the last school week, most
///    serious stage first, then group, UPN.
/// 5. ``actionsDue`` — letters, meetings, calls and referrals due under the policy, most serious
///    stage first, then group, UPN, in the policy's order.
public struct Worklist: Sendable {
    /// A pupil to call.
    public struct Call: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// Registration group.
        public var group: String
        /// Sessions of the day marked N.
        public var sessions: [Session]
        /// Flags (ehcp, sen, pp, fsm).
        public var flags: [String]
        /// Consecutive school days of absence ending on the day (1 = first day).
        public var dayOfAbsence: Int
    }

    /// A standing N code to resolve.
    public struct Unexplained: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// Registration group.
        public var group: String
        /// The session's date.
        public var date: SchoolDate
        /// The session.
        public var session: Session
        /// School days since the session.
        public var schoolDaysOld: Int
        /// The last day it may stand (the 5th school day after the session), if the calendar reaches it.
        public var deadline: SchoolDate?
        /// Past the 5-school-day deadline: it must become O.
        public var overdue: Bool
    }

    /// A session with no mark.
    public struct Missing: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// Registration group.
        public var group: String
        /// The date.
        public var date: SchoolDate
        /// The session.
        public var session: Session
    }

    /// One action due for one pupil.
    public struct ActionDue: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// Registration group.
        public var group: String
        /// The pupil's stage.
        public var stage: String
        /// The action.
        public var action: StagePolicy.Action
    }

    /// The day.
    public var on: SchoolDate
    /// Section 1.
    public var calls: [Call] = []
    /// Section 2.
    public var unexplained: [Unexplained] = []
    /// Section 3.
    public var missingMarks: [Missing] = []
    /// Section 4 (each with ``PupilStage/previousStage``).
    public var stageChanges: [PupilStage] = []
    /// Section 5.
    public var actionsDue: [ActionDue] = []

    /// Builds the worklist for `on` from the state (the events known at the chosen moment) and the pupils' stages.
    ///
    /// `pastSessionsOnDay` says how many of the day's sessions are past (2 for a past day; for today, the
    /// sessions whose register has closed), for the missing-marks section. When `today` is given and is
    /// before `on`, sessions after today are not missing yet, and `pastSessionsOnDay` counts today's.
    public init(state: LedgerState, stages: [PupilStage], on: SchoolDate, pastSessionsOnDay: Int, today: SchoolDate? = nil) {
        self.on = on
        let schedule = SchoolYearSchedule(containing: on, calendar: state.calendar)
        let onRoll = state.pupils.filter { $0.isOnRoll(on) }

        func tier(_ p: PupilRecord) -> Int { p.flags.ehcp ? 0 : p.flags.sen ? 1 : (p.flags.pp || p.flags.fsm) ? 2 : 3 }
        func isAbsenceDay(_ p: PupilRecord, _ d: SchoolDate) -> Bool? {
            var possible = 0, absent = 0
            for s in Session.allCases {
                guard let code = state.effectiveCode(pupil: p.index, date: d, session: s)?.code else { continue }
                let c = code.category(on: d)
                if c.isPossible { possible += 1; if c.isAbsence { absent += 1 } }
            }
            return possible == 0 ? nil : possible == absent
        }

        // 1. Calls.
        var calls: [(Int, Call)] = []
        for p in onRoll {
            let sessions = Session.allCases.filter { state.effectiveCode(pupil: p.index, date: on, session: $0)?.code == .noReason }
            guard !sessions.isEmpty else { continue }
            var days = 1
            var d = on.adding(days: -1)
            while d >= max(p.firstAdmitted, schedule.start) {
                if p.isOnRoll(d), state.calendar.isSchoolDay(d), let absent = isAbsenceDay(p, d) {
                    if !absent { break }
                    days += 1
                }
                d = d.adding(days: -1)
            }
            calls.append((tier(p), Call(upn: p.upn, group: p.group, sessions: sessions, flags: p.flags.ids, dayOfAbsence: days)))
        }
        self.calls = calls.sorted { ($0.0, $0.1.group, $0.1.upn) < ($1.0, $1.1.group, $1.1.upn) }.map(\.1)

        // The calendar's days over every term and the days walked below, worked out once for every pupil.
        let lastTermDay = state.calendar.terms.map(\.to).max() ?? on
        let firstTermDay = state.calendar.terms.map(\.from).min() ?? on
        let from = schedule.start.adding(days: -1).academicYearStart
        let calendar = CalendarDays(state.calendar, from: min(firstTermDay, from), to: max(lastTermDay, on))

        // 2. Standing N codes, in any year: an N never resolved stays open across 1 August.
        var standing: [(PupilRecord, SchoolDate, Session)] = []
        let noReason = AttendanceCode.noReason.index
        for p in state.pupils {
            state.markStore.forEach(pupil: p.index, code: .noReason) { d, s in
                // A school day is inside the table; the closure decides whether the N still stands.
                guard d <= on, p.isOnRoll(d), calendar.isSchoolDay(d),
                      calendar.effective(noReason, calendar.closure[calendar.offset(d) * 2 + Int(s.rawValue)]) == noReason else { return }
                standing.append((p, d, s))
            }
        }
        let ages = Worklist.schoolDaysAfter(Set(standing.map(\.1)), through: on, state.calendar)
        var unexplained: [Unexplained] = []
        for (p, d, s) in standing {
            let age = ages[d] ?? 0
            guard age >= 3 else { continue }
            unexplained.append(Unexplained(upn: p.upn, group: p.group, date: d, session: s, schoolDaysOld: age,
                                           deadline: state.calendar.schoolDay(5, after: d), overdue: age > 5))
        }
        self.unexplained = unexplained.sorted {
            ($0.overdue ? 0 : 1, $0.date, $0.group, $0.upn, $0.session) < ($1.overdue ? 0 : 1, $1.date, $1.group, $1.upn, $1.session)
        }

        // 3. Missing marks, from 1 August of last year: a register never completed stays open across 1 August.
        // Each pupil's sessions are read in one pass; a session is missing when it has no mark and no closure.
        var missing: [Missing] = []
        let cutoff = min(on, today ?? on)
        let through = min(cutoff, lastTermDay)
        if from <= through {
            let count = Int(through.day - from.day) + 1
            let onRollDays = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
            let marks = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count * 2)
            defer { onRollDays.deallocate(); marks.deallocate() }
            let base = calendar.offset(from)
            let sessions = Session.allCases
            for p in state.pupils where p.left.map({ $0 > from }) ?? true {
                let start = max(p.firstAdmitted, from)
                guard start <= through else { continue }
                CalendarDays.fillOnRoll(p, from: from, onRollDays)
                marks.update(repeating: 0xFF)
                state.markStore.forEachDay(pupil: p.index, from: start, to: through) { d, am, pm in
                    let o = Int(d.day - from.day)
                    marks[o * 2] = am
                    marks[o * 2 + 1] = pm
                }
                for o in Int(start.day - from.day)..<count where onRollDays[o] && calendar.schoolDay[base + o] {
                    let d = from.adding(days: o)
                    for s in sessions where d < cutoff || Int(s.rawValue) < pastSessionsOnDay {
                        let slot = o * 2 + Int(s.rawValue)
                        if marks[slot] == 0xFF && calendar.closure[base * 2 + slot] == 0xFF {
                            missing.append(Missing(upn: p.upn, group: p.group, date: d, session: s))
                        }
                    }
                }
            }
        }
        self.missingMarks = missing.sorted { ($0.date, $0.session, $0.group, $0.upn) < ($1.date, $1.session, $1.group, $1.upn) }

        // 4 and 5. Stages.
        let serious = stages.sorted { (-$0.stageIndex, $0.group, $0.upn) < (-$1.stageIndex, $1.group, $1.upn) }
        stageChanges = serious.filter { $0.previousStage != nil && $0.previousStage != $0.stage }
        actionsDue = serious.flatMap { s in s.actionsDue.map { ActionDue(upn: s.upn, group: s.group, stage: s.stage, action: $0) } }
    }

    /// For each date, the number of school days after it up to and including `last` (one walk back over
    /// the calendar, bounded by its last term).
    static func schoolDaysAfter(_ dates: Set<SchoolDate>, through last: SchoolDate, _ calendar: SchoolCalendar) -> [SchoolDate: Int] {
        guard let earliest = dates.min() else { return [:] }
        var out: [SchoolDate: Int] = [:]
        var count = 0
        var d = min(last, calendar.terms.map(\.to).max() ?? last)
        for date in dates where date > d { out[date] = 0 }
        while d >= earliest {
            if dates.contains(d) { out[d] = count }
            if calendar.isSchoolDay(d) { count += 1 }
            d = d.adding(days: -1)
        }
        return out
    }
}
