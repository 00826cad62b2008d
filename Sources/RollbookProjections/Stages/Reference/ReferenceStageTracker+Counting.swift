import RollbookDomain
import RollbookLog

/// Counting: each pupil's sessions, days and rolling windows as the walk goes through the year.
extension ReferenceStageTracker {
    @inline(__always)
    func slot(_ offset: Int, _ session: Session) -> Int { offset * 2 + Int(session.rawValue) }

    func makeTrack(_ pupil: PupilRecord, _ state: LedgerState, _ schedule: SchoolYearSchedule, days: Int) -> PupilTrack {
        let flagCount = policy.flags.count
        var codes = [UInt8](repeating: 0xFF, count: days * 2)
        var offset = max(0, schedule.offset(pupil.firstAdmitted))
        while offset < days {
            let day = schedule.date(offset)
            if pupil.isOnRoll(day) && state.calendar.isSchoolDay(day) {
                for session in Session.allCases {
                    codes[slot(offset, session)] = state.effectiveCode(pupil: pupil.index, date: day, session: session)?.code.index ?? 0xFF
                }
            }
            offset += 1
        }
        var weekCounts: [[Int32]] = []
        for flag in policy.flags {
            switch flag.rule {
            case .sessionsInRollingWeeks: weekCounts.append([Int32](repeating: 0, count: days > 0 ? schedule.weekCount : 0))
            case .consecutiveDays, .consecutiveDaysToDate, .sessionsInYear: weekCounts.append([])
            }
        }
        return PupilTrack(admitted: pupil.admitted, left: pupil.left, earlierSpells: pupil.earlierSpells, codes: codes,
                          flagCount: [Int](repeating: 0, count: flagCount), run: [Int](repeating: 0, count: flagCount),
                          maxRun: [Int](repeating: 0, count: flagCount), met: [Bool](repeating: false, count: flagCount),
                          weekCounts: weekCounts, flagValue: [Int](repeating: 0, count: flagCount),
                          flagSince: [SchoolDate](repeating: SchoolDate(day: 0), count: flagCount),
                          history: [UInt8](repeating: 0xFF, count: days))
    }

    /// Adds one session's code to a pupil's session counters.
    @inline(__always)
    mutating func addSession(_ i: Int, _ raw: UInt8, _ date: SchoolDate, _ week: Int) {
        guard raw != 0xFF else { return }
        let code = AttendanceCode.all[Int(raw)]
        let category = code.category(on: date)
        if category.isPossible {
            tracks[i].possible += 1
            if category.isAttendance { tracks[i].attendance += 1 } else { tracks[i].absence += 1 }
        }
        for (f, flag) in policy.flags.enumerated() {
            switch flag.rule {
            case let .sessionsInYear(codes, _):
                if codes.matches(code, on: date) { tracks[i].flagCount[f] += 1 }
            case let .sessionsInRollingWeeks(codes, _, _, _):
                if codes.matches(code, on: date) {
                    tracks[i].weekCounts[f][week] += 1
                    tracks[i].flagCount[f] += 1
                    tracks[i].rollingDirty = true
                }
            case .consecutiveDays, .consecutiveDaysToDate:
                break
            }
        }
    }

    /// Whether a day extends (true), breaks (false) or leaves alone (nil) a run of `codes`: a day with no
    /// possible marked session, or not on roll, leaves it alone.
    func runStep(_ t: PupilTrack, _ codes: StagePolicy.CodeSet, _ offset: Int, _ date: SchoolDate) -> Bool? {
        guard t.isOnRoll(date) else { return nil }
        var possible = false, all = true
        for raw in [t.codes[offset * 2], t.codes[offset * 2 + 1]] where raw != 0xFF {
            let code = AttendanceCode.all[Int(raw)]
            guard code.category(on: date).isPossible else { continue }
            possible = true
            if !codes.matches(code, on: date) { all = false }
        }
        return possible ? all : nil
    }

    /// Adds one day to a pupil's counters.
    mutating func addDay(_ i: Int, _ offset: Int, _ schedule: SchoolYearSchedule) {
        let date = schedule.date(offset)
        let onRoll = tracks[i].isOnRoll(date)
        let week = schedule.week(offset)
        if onRoll {
            addSession(i, tracks[i].codes[offset * 2], date, week)
            addSession(i, tracks[i].codes[offset * 2 + 1], date, week)
        }
        for (f, flag) in policy.flags.enumerated() {
            switch flag.rule {
            case let .consecutiveDays(codes, _), let .consecutiveDaysToDate(codes, _):
                if let extends = runStep(tracks[i], codes, offset, date) { tracks[i].run[f] = extends ? tracks[i].run[f] + 1 : 0 }
                tracks[i].maxRun[f] = max(tracks[i].maxRun[f], tracks[i].run[f])
            case let .sessionsInRollingWeeks(_, sessions, weeks, schoolWeeks):
                if onRoll, tracks[i].rollingDirty, !tracks[i].met[f] {
                    var sum = 0
                    for w in schedule.window(endingAt: week, length: weeks, schoolWeeks: schoolWeeks) { sum += Int(tracks[i].weekCounts[f][w]) }
                    if sum >= sessions { tracks[i].met[f] = true }
                }
            case .sessionsInYear:
                break
            }
        }
        tracks[i].rollingDirty = false
    }
}
