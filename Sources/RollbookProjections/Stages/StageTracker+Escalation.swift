import RollbookDomain
import RollbookLog

/// Escalation: the stage the bands give, the rates, the policy's escalations.
extension StageTracker {
    /// The stage the bands give, before escalations.
    func bandStage(possible: Int, attendance: Int, absence: Int) -> Int {
        guard possible > 0 else { return 0 }
        let (numerator, denominator): (Int, Int)
        switch policy.measure {
        case .attendancePercentage: (numerator, denominator) = (attendance * 100, possible)
        case .overallAbsencePercentage: (numerator, denominator) = (absence * 100, possible)
        case .daysAbsent: (numerator, denominator) = (absence, 2)
        }
        for s in bands.indices {
            if let band = bands[s], band.contains(numerator, over: denominator) { return s }
        }
        return 0
    }

    /// The stage the bands give a pupil's track, before escalations.
    func bandStage(_ t: PupilTrack) -> Int { bandStage(possible: t.possible, attendance: t.attendance, absence: t.absence) }

    /// The interventions dated on or before `date`, by date then log order.
    static func interventions(_ state: LedgerState, _ pupil: Int, through date: SchoolDate) -> [LedgerState.RecordedIntervention] {
        guard let list = state.interventions[pupil] else { return [] }
        return list.filter { $0.intervention.date <= date }.sorted { ($0.intervention.date, $0.seq) < ($1.intervention.date, $1.seq) }
    }

    /// Attendance and possible sessions from 1 August up to and including `offset`, from the pupil's
    /// effective codes (held only for days on roll).
    func rate(_ codes: UnsafeBufferPointer<UInt8>, through offset: Int) -> (attendance: Int, possible: Int) {
        var attendance = 0, possible = 0
        if offset < 0 { return (0, 0) }
        for o in 0...min(offset, lastOffset) {
            let date = yearStart.adding(days: o)
            for raw in [codes[o * 2], codes[o * 2 + 1]] where raw != 0xFF {
                let c = AttendanceCode.all[Int(raw)].category(on: date)
                if c.isPossible { possible += 1; if c.isAttendance { attendance += 1 } }
            }
        }
        return (attendance, possible)
    }

    /// An escalation that applies to the pupil now, with the stage it leads to and (with `explain`) why.
    struct Applied {
        var stage: Int
        var why: String
    }

    /// The escalations that apply to a pupil at the end of the day at `offset`, given the pupil's figures
    /// to that day and `interventions`, those dated on or before it (by date then log order).
    func escalate(_ stage: Int, attendance: Int, possible: Int, codes: UnsafeBufferPointer<UInt8>,
                  interventions: ArraySlice<LedgerState.RecordedIntervention>, at offset: Int, _ date: SchoolDate,
                  _ schedule: SchoolYearSchedule, rateCache: inout (offset: Int, attendance: Int, possible: Int)?,
                  explain: Bool) -> Applied? {
        var current = stage
        var why: [String] = []
        for escalation in policy.escalations {
            switch escalation {
            case let .interventionsInSuccession(from, action, count, to):
                guard policy.stages[current].id == from else { continue }
                // `count` interventions of `action` with nothing between them, this academic year (sticky: the
                // letters, meetings and plans that follow do not undo it).
                var run = 0, found: SchoolDate?
                for r in interventions where r.intervention.date >= schedule.start {
                    run = r.intervention.action == action ? run + 1 : 0
                    if run >= count && found == nil { found = r.intervention.date }
                }
                guard let found, let next = policy.stageIndex(to) else { continue }
                current = next
                if explain {
                    why.append("\(count) \(action) interventions were recorded in succession (the \(count == 2 ? "second" : "last") on \(found)), so the pupil is treated as \(to)")
                }
            case let .noImprovementSinceIntervention(from, schoolDays, to):
                // The last intervention this year other than the escalation's own (recording the referral
                // does not restart the clock).
                guard policy.stages[current].id == from,
                      let last = interventions.last(where: { $0.intervention.date >= schedule.start && $0.intervention.action != to })
                else { continue }
                let lastOffset = schedule.offset(last.intervention.date)
                let elapsed = schedule.schoolDays(through: offset) - schedule.schoolDays(through: lastOffset)
                guard elapsed >= schoolDays else { continue }
                let then: (attendance: Int, possible: Int)
                if let cached = rateCache, cached.offset == lastOffset {
                    then = (cached.attendance, cached.possible)
                } else {
                    then = rate(codes, through: lastOffset)
                    rateCache = (lastOffset, then.attendance, then.possible)
                }
                // Risen: now/possible > then/possibleThen.
                let risen = then.possible > 0 && attendance * then.possible > then.attendance * possible
                guard !risen, let next = policy.stageIndex(to) else { continue }
                current = next
                if explain {
                    let thenText = then.possible > 0 ? StageTracker.percent(then.attendance, then.possible) : "not yet measured"
                    why.append("attendance has not risen since the last intervention (\(last.intervention.action) on \(last.intervention.date), \(Plural.of(elapsed, "school day")) ago, when it was \(thenText)), so the pupil is \(to)")
                }
            }
        }
        return current == stage ? nil : Applied(stage: current, why: why.joined(separator: "; "))
    }
}
