import RollbookDomain
import RollbookLog

/// Escalation: the stage the bands give, the rates, the policy's escalations and flags.
extension ReferenceStageTracker {
    /// The stage the bands give, before escalations.
    func bandStage(_ t: PupilTrack) -> Int {
        guard t.possible > 0 else { return 0 }
        let (numerator, denominator): (Int, Int)
        switch policy.measure {
        case .attendancePercentage: (numerator, denominator) = (t.attendance * 100, t.possible)
        case .overallAbsencePercentage: (numerator, denominator) = (t.absence * 100, t.possible)
        case .daysAbsent: (numerator, denominator) = (t.absence, 2)
        }
        for (s, stage) in policy.stages.enumerated() {
            if let band = stage.band, band.contains(numerator, over: denominator) { return s }
        }
        return 0
    }

    /// The interventions dated on or before `date`, by date then log order.
    static func interventions(_ state: LedgerState, _ pupil: Int, through date: SchoolDate) -> [LedgerState.RecordedIntervention] {
        guard let list = state.interventions[pupil] else { return [] }
        return list.filter { $0.intervention.date <= date }.sorted { ($0.intervention.date, $0.seq) < ($1.intervention.date, $1.seq) }
    }

    /// Attendance and possible sessions from 1 August up to and including `offset`, from the stored codes.
    func rate(_ t: PupilTrack, through offset: Int, _ schedule: SchoolYearSchedule) -> (attendance: Int, possible: Int) {
        var attendance = 0, possible = 0
        if offset < 0 { return (0, 0) }
        for o in 0...min(offset, lastOffset) {
            let date = schedule.date(o)
            guard t.isOnRoll(date) else { continue }
            for raw in [t.codes[o * 2], t.codes[o * 2 + 1]] where raw != 0xFF {
                let c = AttendanceCode.all[Int(raw)].category(on: date)
                if c.isPossible { possible += 1; if c.isAttendance { attendance += 1 } }
            }
        }
        return (attendance, possible)
    }

    /// An escalation that applies to the pupil now, with the stage it leads to and why.
    struct Applied {
        var stage: Int
        var why: String
    }

    func escalate(_ stage: Int, _ i: Int, at offset: Int, _ date: SchoolDate, _ state: LedgerState,
                  _ schedule: SchoolYearSchedule, rateCache: inout (offset: Int, attendance: Int, possible: Int)?) -> Applied? {
        var current = stage
        var why: [String] = []
        for escalation in policy.escalations {
            switch escalation {
            case let .interventionsInSuccession(from, action, count, to):
                guard policy.stages[current].id == from else { continue }
                // `count` interventions of `action` with nothing between them, this academic year (sticky: the
                // letters, meetings and plans that follow do not undo it).
                var run = 0, found: SchoolDate?
                for r in ReferenceStageTracker.interventions(state, i, through: date) where r.intervention.date >= schedule.start {
                    run = r.intervention.action == action ? run + 1 : 0
                    if run >= count && found == nil { found = r.intervention.date }
                }
                guard let found, let next = policy.stageIndex(to) else { continue }
                current = next
                why.append("\(count) \(action) interventions were recorded in succession (the \(count == 2 ? "second" : "last") on \(found)), so the pupil is treated as \(to)")
            case let .noImprovementSinceIntervention(from, schoolDays, to):
                // The last intervention this year other than the escalation's own (recording the referral
                // does not restart the clock).
                guard policy.stages[current].id == from,
                      let last = ReferenceStageTracker.interventions(state, i, through: date)
                          .last(where: { $0.intervention.date >= schedule.start && $0.intervention.action != to }) else { continue }
                let lastOffset = schedule.offset(last.intervention.date)
                let elapsed = schedule.schoolDays(through: offset) - schedule.schoolDays(through: lastOffset)
                guard elapsed >= schoolDays else { continue }
                let then: (attendance: Int, possible: Int)
                if let cached = rateCache, cached.offset == lastOffset {
                    then = (cached.attendance, cached.possible)
                } else {
                    then = rate(tracks[i], through: lastOffset, schedule)
                    rateCache = (lastOffset, then.attendance, then.possible)
                }
                let t = tracks[i]
                // Risen: now/possible > then/possibleThen.
                let risen = then.possible > 0 && t.attendance * then.possible > then.attendance * t.possible
                guard !risen, let next = policy.stageIndex(to) else { continue }
                current = next
                let thenText = then.possible > 0 ? ReferenceStageTracker.percent(then.attendance, then.possible) : "not yet measured"
                why.append("attendance has not risen since the last intervention (\(last.intervention.action) on \(last.intervention.date), \(Plural.of(elapsed, "school day")) ago, when it was \(thenText)), so the pupil is \(to)")
            }
        }
        return current == stage ? nil : Applied(stage: current, why: why.joined(separator: "; "))
    }

    mutating func evaluate(_ i: Int, at offset: Int, _ date: SchoolDate, _ state: LedgerState, _ schedule: SchoolYearSchedule) {
        guard tracks[i].isOnRoll(date) else {
            tracks[i].stage = -1
            for f in tracks[i].flagValue.indices { tracks[i].flagValue[f] = 0 }
            return
        }
        var stage = bandStage(tracks[i])
        if !policy.escalations.isEmpty {
            var cache = tracks[i].rateAt
            if let applied = escalate(stage, i, at: offset, date, state, schedule, rateCache: &cache) { stage = applied.stage }
            tracks[i].rateAt = cache
        }
        if stage != tracks[i].stage {
            tracks[i].stage = stage
            tracks[i].since = date
        }
        tracks[i].history[offset] = UInt8(stage)
        for (f, flag) in policy.flags.enumerated() {
            let value: Int
            switch flag.rule {
            case let .sessionsInYear(_, sessions): value = tracks[i].flagCount[f] >= sessions ? 1 : 0
            case .sessionsInRollingWeeks: value = tracks[i].met[f] ? 1 : 0
            case let .consecutiveDays(_, days): value = tracks[i].maxRun[f] >= days ? 1 : 0
            case let .consecutiveDaysToDate(_, cap): value = min(tracks[i].run[f], cap)
            }
            if value != tracks[i].flagValue[f] {
                tracks[i].flagValue[f] = value
                tracks[i].flagSince[f] = date
            }
        }
    }
}
