import RollbookDomain
import RollbookLog

/// Evaluates a stage policy through the academic year on the school's calendar, one day at a time.
///
/// Build a ``LedgerState`` from the events the ledger knew at the chosen moment (``LedgerReplay``
/// with an as-of time, or everything), then call ``stages(_:)``. From 1 August to the evaluation date
/// the tracker walks each pupil's marks by session date and evaluates the pupil at the end of every
/// day with the figures up to that day, so a pupil's `since` is the first day of the run of days,
/// ending on the evaluation date, in which the pupil was in the same stage. When an entry was made
/// (appended day by day, back-filled today, or migrated with `recorded_at`) does not matter: only
/// which entries are known. Interventions count from their own date. Every spell on roll counts.
public struct StageTracker: Sendable {
    /// The policy.
    public let policy: StagePolicy
    /// The evaluation date.
    public let on: SchoolDate
    var tracks: [PupilTrack] = []
    let lastOffset: Int
    let yearStart: SchoolDate

    /// What the tracker holds per pupil.
    struct PupilTrack: Sendable {
        var admitted: SchoolDate
        var left: SchoolDate?
        var earlierSpells: [PupilRecord.Spell]
        /// Effective code index per session of the year up to the evaluation date (2 per day), 0xFF when unmarked.
        var codes: [UInt8]
        var possible = 0, attendance = 0, absence = 0
        /// Per flag: sessions counted (year and rolling rules), the run so far, the longest run, whether met.
        var flagCount: [Int]
        var run: [Int]
        var maxRun: [Int]
        var met: [Bool]
        /// Per flag (rolling rules only): sessions per calendar week.
        var weekCounts: [[Int32]]
        /// Whether a rolling count changed on the day being added.
        var rollingDirty = false
        /// The stage evaluated at the end of the last day (-1: not on roll) and since when.
        var stage = -1
        var since = SchoolDate(day: 0)
        /// Per flag: its value (0 off, else on; for day runs to date, N) and since when.
        var flagValue: [Int]
        var flagSince: [SchoolDate]
        /// The stage at the end of each day (0xFF: not on roll).
        var history: [UInt8]
        /// Attendance and possible sessions up to the day of the last intervention, cached by that offset.
        var rateAt: (offset: Int, attendance: Int, possible: Int)?

        func isOnRoll(_ date: SchoolDate) -> Bool {
            if admitted <= date && (left.map { date < $0 } ?? true) { return true }
            return earlierSpells.contains { $0.admitted <= date && date < $0.left }
        }
    }

    /// Creates a tracker that will evaluate `policy` up to the end of `on`.
    public init(policy: StagePolicy, on: SchoolDate) {
        self.policy = policy
        self.on = on
        yearStart = on.academicYearStart
        lastOffset = Int(on.day - yearStart.day)
    }

    /// The stage of every pupil on roll on the evaluation date, from the marks, calendar, admissions and
    /// interventions in `state` (whatever the order or time they were entered in).
    public mutating func stages(_ state: LedgerState) -> [PupilStage] {
        let schedule = SchoolYearSchedule(containing: on, calendar: state.calendar)
        // Only pupils on roll on some day from 1 August to the evaluation date are followed; the others
        // (those who left in earlier years, or are admitted later) keep an empty track and are not listed.
        func isActive(_ p: PupilRecord) -> Bool {
            let spells = p.earlierSpells.map { ($0.admitted, Optional($0.left)) } + [(p.admitted, p.left)]
            return spells.contains { admitted, left in admitted <= on && (left.map { $0 > yearStart } ?? true) }
        }
        tracks = state.pupils.map { makeTrack($0, state, schedule, days: isActive($0) ? lastOffset + 1 : 0) }
        let active = tracks.indices.filter { !tracks[$0].history.isEmpty }
        for offset in 0...lastOffset {
            let date = schedule.date(offset)
            for i in active {
                addDay(i, offset, schedule)
                evaluate(i, at: offset, date, state, schedule)
            }
        }
        // The end of the last school week before the evaluation date's week, for "changed since last week".
        let thisWeek = schedule.week(lastOffset)
        let previousWeek = schedule.schoolWeeks.last { $0 < thisWeek }
        let baseline = previousWeek.map { min(7 * $0 - schedule.startWeekday + 6, lastOffset) }
        var out: [PupilStage] = []
        for (i, track) in tracks.enumerated() where track.stage >= 0 {
            let pupil = state.pupils[i]
            var flags: [String] = []
            var flagSince: [String: SchoolDate] = [:]
            for (f, flag) in policy.flags.enumerated() where track.flagValue[f] > 0 {
                let id: String
                if case .consecutiveDaysToDate = flag.rule { id = "\(flag.id)-\(track.flagValue[f])" } else { id = flag.id }
                flags.append(id)
                flagSince[id] = track.flagSince[f]
            }
            var previous: Int?
            if let baseline, baseline >= 0 {
                let h = track.history[baseline]
                previous = h == 0xFF ? 0 : Int(h)
            }
            let stage = policy.stages[track.stage]
            out.append(PupilStage(
                upn: pupil.upn, group: pupil.group, pupil: i, stageIndex: track.stage, stage: stage.id, since: track.since,
                flags: flags, reason: reason(track, i, state, schedule),
                actionsDue: actionsDue(track, i, state), previousStage: previous.map { policy.stages[$0].id },
                possible: track.possible, attendance: track.attendance, absence: track.absence))
        }
        return out
    }

    // MARK: Days

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

    // MARK: Evaluation

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
                for r in StageTracker.interventions(state, i, through: date) where r.intervention.date >= schedule.start {
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
                      let last = StageTracker.interventions(state, i, through: date)
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
                let thenText = then.possible > 0 ? StageTracker.percent(then.attendance, then.possible) : "not yet measured"
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
            sentence = "Attendance this academic year is \(StageTracker.percent(t.attendance, t.possible)), \(band)"
        case .overallAbsencePercentage:
            sentence = "Overall absence this academic year is \(StageTracker.percent(t.absence, t.possible)), \(band)"
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
        let done = StageTracker.interventions(state, i, through: on)
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
