import RollbookDomain

extension Worklist {
    /// The first implementation of ``init(state:stages:on:pastSessionsOnDay:today:)``, kept unchanged as the
    /// oracle its fast path is tested against: it reads every session through
    /// ``LedgerState/effectiveCode(pupil:date:session:)`` and the calendar's own lookups.
    ///
    /// `pastSessionsOnDay` says how many of the day's sessions are past (2 for a past day; for today, the
    /// sessions whose register has closed), for the missing-marks section. When `today` is given and is
    /// before `on`, sessions after today are not missing yet, and `pastSessionsOnDay` counts today's.
    package init(referenceState state: LedgerState, stages: [PupilStage], on: SchoolDate, pastSessionsOnDay: Int, today: SchoolDate? = nil) {
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

        // 2. Standing N codes, in any year: an N never resolved stays open across 1 August.
        var standing: [(PupilRecord, SchoolDate, Session)] = []
        for p in state.pupils {
            state.markStore.forEach(pupil: p.index, code: .noReason) { d, s in
                guard d <= on, p.isOnRoll(d), state.calendar.isSchoolDay(d),
                      state.effectiveCode(pupil: p.index, date: d, session: s)?.code == .noReason else { return }
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
        var missing: [Missing] = []
        let lastTermDay = state.calendar.terms.map(\.to).max() ?? on
        let cutoff = min(on, today ?? on)
        let through = min(cutoff, lastTermDay)
        let from = schedule.start.adding(days: -1).academicYearStart
        for p in state.pupils where p.left.map({ $0 > from }) ?? true {
            var d = max(p.firstAdmitted, from)
            while d <= through {
                if p.isOnRoll(d), state.calendar.isSchoolDay(d) {
                    for s in Session.allCases where d < cutoff || Int(s.rawValue) < pastSessionsOnDay {
                        if state.effectiveCode(pupil: p.index, date: d, session: s) == nil {
                            missing.append(Missing(upn: p.upn, group: p.group, date: d, session: s))
                        }
                    }
                }
                d = d.adding(days: 1)
            }
        }
        self.missingMarks = missing.sorted { ($0.date, $0.session, $0.group, $0.upn) < ($1.date, $1.session, $1.group, $1.upn) }

        // 4 and 5. Stages.
        let serious = stages.sorted { (-$0.stageIndex, $0.group, $0.upn) < (-$1.stageIndex, $1.group, $1.upn) }
        stageChanges = serious.filter { $0.previousStage != nil && $0.previousStage != $0.stage }
        actionsDue = serious.flatMap { s in s.actionsDue.map { ActionDue(upn: s.upn, group: s.group, stage: s.stage, action: $0) } }
    }
}
