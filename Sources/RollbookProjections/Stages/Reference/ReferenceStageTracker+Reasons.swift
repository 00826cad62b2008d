import RollbookDomain
import RollbookLog

/// The sentence that says why a pupil is at a stage, and the actions due.
extension ReferenceStageTracker {
    /// "93.50% (187 of 200 possible sessions)".
    static func percent(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "no possible sessions" }
        let hundredths = (part * 10_000 * 2 + whole) / (2 * whole)  // rounded half up
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)% (\(part) of \(Plural.of(whole, "possible session")))"
    }

    func reason(_ t: PupilTrack, _ i: Int, _ state: LedgerState, _ schedule: SchoolYearSchedule) -> String {
        let stage = policy.stages[t.stage]
        guard t.possible > 0 else {
            return "No possible sessions yet this academic year, so the pupil is in the first stage (\(stage.id))."
        }
        let base = bandStage(t)
        let band = policy.stages[base].band.map { $0.description(unit: policy.measure == .daysAbsent ? " days" : "%") } ?? "any value"
        var sentence: String
        switch policy.measure {
        case .attendancePercentage:
            sentence = "Attendance this academic year is \(ReferenceStageTracker.percent(t.attendance, t.possible)), \(band)"
        case .overallAbsencePercentage:
            sentence = "Overall absence this academic year is \(ReferenceStageTracker.percent(t.absence, t.possible)), \(band)"
        case .daysAbsent:
            let days = t.absence % 2 == 0 ? "\(t.absence / 2)" : "\(t.absence / 2).5"
            sentence = "\(Plural.of(days, "day")) absent this academic year (\(Plural.of(t.absence, "absence session"))), \(band)"
        }
        sentence += base == t.stage ? ", so \(stage.id)" : " (\(policy.stages[base].id))"
        var cache = t.rateAt
        if base != t.stage, let applied = escalate(base, i, at: lastOffset, on, state, schedule, rateCache: &cache) {
            sentence += "; \(applied.why)"
        }
        return sentence + "."
    }

    func actionsDue(_ t: PupilTrack, _ i: Int, _ state: LedgerState) -> [StagePolicy.Action] {
        let done = ReferenceStageTracker.interventions(state, i, through: on)
        func isDue(_ action: StagePolicy.Action, since: SchoolDate) -> Bool {
            let taken = done.filter { $0.intervention.action == action.action }.map(\.intervention.date)
            switch action.due {
            case .never: return false
            case .onEntry: return !taken.contains { $0 >= since }
            case .daily: return !taken.contains { $0 == on }
            case .weekly: return !taken.contains { $0 > on.adding(days: -7) }
            }
        }
        var out: [StagePolicy.Action] = []
        for action in policy.stages[t.stage].actions where isDue(action, since: t.since) { out.append(action) }
        for (f, flag) in policy.flags.enumerated() where t.flagValue[f] > 0 {
            for action in flag.actions where (action.fromDay ?? 0) <= t.flagValue[f] && isDue(action, since: t.flagSince[f]) {
                out.append(action)
            }
        }
        return out
    }
}
