import RollbookDomain
import RollbookLog

/// Counting: each pupil's sessions, days and rolling windows as the walk goes through the year.
extension StageTracker {
    /// What every pupil's walk shares: the year's calendar and code tables, and scratch counters reused
    /// from pupil to pupil (allocated once; call ``deallocate()`` when done).
    struct YearWalk {
        let calendar: CalendarDays
        let codes: StageCodeTable
        let schedule: SchoolYearSchedule
        /// Days from 1 August to the evaluation date.
        let days: Int
        /// Per day: on roll (for the pupil being walked).
        let onRoll: UnsafeMutableBufferPointer<Bool>
        /// Per flag: sessions counted (year and rolling rules), the run so far, the longest run, whether met.
        let flagCount: UnsafeMutableBufferPointer<Int>
        let run: UnsafeMutableBufferPointer<Int>
        let maxRun: UnsafeMutableBufferPointer<Int>
        let met: UnsafeMutableBufferPointer<Bool>
        /// Per flag and calendar week (`f * weekCount + week`, rolling rules only): sessions counted.
        let weekCounts: UnsafeMutableBufferPointer<Int32>
        /// Per day: the stage at its end (0xFF: not on roll); per flag: its value and since when.
        let history: UnsafeMutableBufferPointer<UInt8>
        let flagValue: UnsafeMutableBufferPointer<Int>
        let flagSince: UnsafeMutableBufferPointer<SchoolDate>

        init(calendar: CalendarDays, codes: StageCodeTable, schedule: SchoolYearSchedule, days: Int, flagCount: Int) {
            self.calendar = calendar
            self.codes = codes
            self.schedule = schedule
            self.days = days
            onRoll = .allocate(capacity: days)
            self.flagCount = .allocate(capacity: flagCount)
            run = .allocate(capacity: flagCount)
            maxRun = .allocate(capacity: flagCount)
            met = .allocate(capacity: flagCount)
            weekCounts = .allocate(capacity: flagCount * schedule.weekCount)
            history = .allocate(capacity: days)
            flagValue = .allocate(capacity: flagCount)
            flagSince = .allocate(capacity: flagCount)
        }

        func reset() {
            flagCount.update(repeating: 0)
            run.update(repeating: 0)
            maxRun.update(repeating: 0)
            met.update(repeating: false)
            weekCounts.update(repeating: 0)
            history.update(repeating: 0xFF)
            flagValue.update(repeating: 0)
            flagSince.update(repeating: SchoolDate(day: 0))
        }

        func deallocate() {
            onRoll.deallocate(); flagCount.deallocate(); run.deallocate(); maxRun.deallocate(); met.deallocate()
            weekCounts.deallocate(); history.deallocate(); flagValue.deallocate(); flagSince.deallocate()
        }
    }

    /// A pupil's effective codes for the year to the evaluation date: marks read in one pass, closures
    /// applied from the year's table, and only on school days on roll from the first admission (as
    /// ``LedgerState/effectiveCode(pupil:date:session:)`` for each such session).
    func yearCodes(_ pupil: PupilRecord, _ state: LedgerState, _ walk: YearWalk) -> [UInt8] {
        let days = walk.days
        var codes = [UInt8](repeating: 0xFF, count: days * 2)
        let start = max(0, walk.schedule.offset(pupil.firstAdmitted))
        guard start < days else { return codes }
        let calendar = walk.calendar, onRoll = walk.onRoll
        codes.withUnsafeMutableBufferPointer { codes in
            calendar.schoolDay.withUnsafeBufferPointer { schoolDay in
                calendar.closure.withUnsafeBufferPointer { closure in
                    for o in start..<days where schoolDay[o] && onRoll[o] {
                        codes[o * 2] = closure[o * 2]
                        codes[o * 2 + 1] = closure[o * 2 + 1]
                    }
                    let first = yearStart.day
                    state.markStore.forEachDay(pupil: pupil.index, from: yearStart.adding(days: start), to: on) { date, am, pm in
                        let o = Int(date.day - first)
                        guard schoolDay[o] && onRoll[o] else { return }
                        codes[o * 2] = calendar.effective(am, closure[o * 2])
                        codes[o * 2 + 1] = calendar.effective(pm, closure[o * 2 + 1])
                    }
                }
            }
        }
        return codes
    }

    /// Walks one pupil's year day by day: counts each day's sessions, then evaluates the stage and flags
    /// at the end of the day (the pupil at index `i` of the state's pupils).
    func track(_ pupil: PupilRecord, _ i: Int, _ state: LedgerState, _ walk: YearWalk) -> PupilTrack {
        let days = walk.days, schedule = walk.schedule, table = walk.codes
        CalendarDays.fillOnRoll(pupil, from: yearStart, walk.onRoll)
        walk.reset()
        let codesArray = yearCodes(pupil, state, walk)
        let interventions = StageTracker.interventions(state, i, through: on)
        let flagValue = walk.flagValue, flagSince = walk.flagSince, history = walk.history
        var stage = -1, since = SchoolDate(day: 0)
        var rateAt: (offset: Int, attendance: Int, possible: Int)?
        let onRoll = walk.onRoll, flagCount = walk.flagCount, run = walk.run, maxRun = walk.maxRun, met = walk.met
        let weekCounts = walk.weekCounts, weekCount = schedule.weekCount
        let escalates = !policy.escalations.isEmpty
        var possible = 0, attendance = 0, absence = 0
        var known = 0  // interventions dated on or before the day
        var band = 0, bandFor = (possible: -1, attendance: -1, absence: -1)  // the bands' stage, for these figures
        let changeOffset = Int(AttendanceCode.codeChange2024.day) - Int(yearStart.day)  // regime 1 from this offset
        table.flags.withUnsafeBufferPointer { flags in
            codesArray.withUnsafeBufferPointer { codes in
                for o in 0..<days {
                    let date = yearStart.adding(days: o)
                    let isOnRoll = onRoll[o]
                    let week = schedule.week(o)
                    let regime = o < changeOffset ? 0 : 1
                    let am = codes[o * 2], pm = codes[o * 2 + 1]
                    var dirty = false
                    // The day's sessions (codes are only held for days on roll).
                    for session in 0..<2 {
                        let raw = session == 0 ? am : pm
                        guard raw != 0xFF else { continue }
                        if table.isPossible(raw, regime: regime) {
                            possible += 1
                            if table.isAttendance(raw, regime: regime) { attendance += 1 } else { absence += 1 }
                        }
                        guard table.isCounted(raw, regime: regime) else { continue }
                        for f in 0..<flags.count {
                            switch flags[f].kind {
                            case .sessionsInYear:
                                if flags[f].matches(raw, regime: regime) { flagCount[f] += 1 }
                            case .rollingWeeks:
                                if flags[f].matches(raw, regime: regime) {
                                    weekCounts[f * weekCount + week] += 1
                                    flagCount[f] += 1
                                    dirty = true
                                }
                            case .consecutiveDays, .consecutiveDaysToDate:
                                break
                            }
                        }
                    }
                    // Day runs and rolling windows.
                    for f in 0..<flags.count {
                        let plan = flags[f]
                        switch plan.kind {
                        case .consecutiveDays, .consecutiveDaysToDate:
                            // A day with no possible marked session leaves a run alone.
                            let amPossible = am != 0xFF && table.isPossible(am, regime: regime)
                            let pmPossible = pm != 0xFF && table.isPossible(pm, regime: regime)
                            if amPossible || pmPossible {
                                let extends = (!amPossible || plan.matches(am, regime: regime)) && (!pmPossible || plan.matches(pm, regime: regime))
                                run[f] = extends ? run[f] + 1 : 0
                            }
                            maxRun[f] = max(maxRun[f], run[f])
                        case .rollingWeeks:
                            if isOnRoll, dirty, !met[f] {
                                var sum = 0
                                if plan.schoolWeeks {
                                    let k = schedule.schoolWeekOrdinal[week]
                                    for j in max(0, k - plan.weeks)..<k { sum += Int(weekCounts[f * weekCount + schedule.schoolWeeks[j]]) }
                                } else {
                                    for w in max(0, week - plan.weeks + 1)...week { sum += Int(weekCounts[f * weekCount + w]) }
                                }
                                if sum >= plan.threshold { met[f] = true }
                            }
                        case .sessionsInYear:
                            break
                        }
                    }
                    // The evaluation at the end of the day.
                    guard isOnRoll else {
                        stage = -1
                        for f in 0..<flags.count { flagValue[f] = 0 }
                        continue
                    }
                    if bandFor != (possible, attendance, absence) {
                        band = bandStage(possible: possible, attendance: attendance, absence: absence)
                        bandFor = (possible, attendance, absence)
                    }
                    var today = band
                    if escalates {
                        while known < interventions.count && interventions[known].intervention.date <= date { known += 1 }
                        if let applied = escalate(today, attendance: attendance, possible: possible, codes: codes,
                                                  interventions: interventions[..<known], at: o, date, schedule,
                                                  rateCache: &rateAt, explain: false) {
                            today = applied.stage
                        }
                    }
                    if today != stage {
                        stage = today
                        since = date
                    }
                    history[o] = UInt8(today)
                    for f in 0..<flags.count {
                        let plan = flags[f]
                        let value: Int = switch plan.kind {
                        case .sessionsInYear: flagCount[f] >= plan.threshold ? 1 : 0
                        case .rollingWeeks: met[f] ? 1 : 0
                        case .consecutiveDays: maxRun[f] >= plan.threshold ? 1 : 0
                        case .consecutiveDaysToDate: min(run[f], plan.threshold)
                        }
                        if value != flagValue[f] {
                            flagValue[f] = value
                            flagSince[f] = date
                        }
                    }
                }
            }
        }
        return PupilTrack(codes: codesArray, possible: possible, attendance: attendance, absence: absence, stage: stage,
                          since: since, flagValue: Array(flagValue), flagSince: Array(flagSince), history: Array(history), rateAt: rateAt,
                          interventions: interventions)
    }
}
