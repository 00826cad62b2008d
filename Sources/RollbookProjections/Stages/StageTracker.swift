import RollbookDomain
import RollbookLog

/// Replays a stage policy through the academic year, one day at a time, as the log stood at the end of each day.
///
/// Feed it every event through ``LedgerReplay/load(directory:asOf:visit:before:)`` (`before` →
/// ``willApply(_:_:)``, `visit` → ``didApply(_:_:)``), then call ``finish(_:)``. At the end of each
/// day from 1 August to the evaluation date it evaluates every pupil on roll with the log as it
/// stood then and the figures up to that day, so a pupil's `since` is the first day of the run of
/// days ending on the evaluation date in which the pupil was in the same stage: exactly what
/// `rollbook stages` printed on each of those days. Per-pupil counters are incremental: a day is
/// added to them once; only a change to a day already counted (a late mark, an amendment, a closure,
/// an admission or deletion) makes that pupil's counters be recounted, once, at the next day's end.
public struct StageTracker: Sendable {
    /// The policy.
    public let policy: StagePolicy
    /// The evaluation date.
    public let on: SchoolDate
    /// The academic year's schedule (nil until the first day of the year is reached).
    public private(set) var schedule: SchoolYearSchedule?
    /// The last day offset evaluated (-1 before the first).
    public private(set) var cursor = -1
    var tracks: [PupilTrack] = []
    let lastOffset: Int
    let yearStart: SchoolDate

    /// What the tracker holds per pupil.
    struct PupilTrack: Sendable {
        var admitted: SchoolDate
        var left: SchoolDate?
        /// Effective code index per session of the year (2 per day), 0xFF when unmarked.
        var codes: [UInt8]
        var needsRecount = true
        var possible = 0, attendance = 0, absence = 0
        /// Per flag: sessions counted (year and rolling rules), the run so far, the longest run, whether met.
        var flagCount: [Int]
        var run: [Int]
        var maxRun: [Int]
        var met: [Bool]
        /// Per flag (rolling rules only): sessions per calendar week.
        var weekCounts: [[Int32]]
        /// Per flag (day-run rules only): the run and the longest run at the end of each day, so a change to
        /// a past day is recounted from that day only.
        var runAt: [[Int16]]
        var maxAt: [[Int16]]
        /// The first past day changed since the last evaluation (Int.max: none), and whether a rolling count changed.
        var dirtyFrom = Int.max
        var rollingDirty = false
        /// The stage evaluated at the end of the cursor day (-1: not on roll) and since when.
        var stage = -1
        var since = SchoolDate(day: 0)
        /// Per flag: its value (0 off, else on; for day runs to date, N) and since when.
        var flagValue: [Int]
        var flagSince: [SchoolDate]
        /// The stage at the end of each day (0xFF: not on roll).
        var history: [UInt8]
        /// Attendance and possible sessions up to the day of the last intervention, cached by that offset.
        var rateAt: (offset: Int, attendance: Int, possible: Int)?

        func isOnRoll(_ date: SchoolDate) -> Bool { admitted <= date && (left.map { date < $0 } ?? true) }
    }

    /// Creates a tracker that will evaluate `policy` up to the end of `on`.
    public init(policy: StagePolicy, on: SchoolDate) {
        self.policy = policy
        self.on = on
        yearStart = on.academicYearStart
        lastOffset = Int(on.day - yearStart.day)
    }

    // MARK: Feeding events

    /// Before an event is applied: evaluates every day that ended before the event's day.
    public mutating func willApply(_ envelope: EventEnvelope, _ state: LedgerState) {
        let target = Int(envelope.at.dayNumber - yearStart.day) - 1
        advance(through: min(target, lastOffset), state)
    }

    /// After an event is applied: records what it changed.
    public mutating func didApply(_ envelope: EventEnvelope, _ state: LedgerState) {
        guard var schedule else { return }
        switch envelope.event {
        case .markRecorded(let e):
            refresh(upn: e.upn, date: e.date, session: e.session, state, schedule)
        case .markAmended(let e):
            refresh(upn: e.upn, date: e.date, session: e.session, state, schedule)
        case .pupilAdmitted(let e):
            guard let index = state.pupilIndex[e.upn] else { return }
            if index == tracks.count {
                tracks.append(makeTrack(state.pupils[index], state, schedule))
            } else {
                tracks[index].admitted = state.pupils[index].admitted
                tracks[index].left = nil
                tracks[index].needsRecount = true
            }
        case .pupilDeleted(let e):
            guard let index = state.pupilIndex[e.upn], index < tracks.count else { return }
            tracks[index].left = state.pupils[index].left
            tracks[index].needsRecount = true
        case .closureRecorded(let e):
            var day = max(e.from, schedule.start)
            let last = min(e.to, schedule.date(schedule.dayCount - 1))
            while day <= last {
                for session in Session.allCases where e.session == nil || e.session == session {
                    for i in tracks.indices { tracks[i].codes[slot(schedule.offset(day), session)] = code(state, i, day, session) }
                }
                day = day.adding(days: 1)
            }
            schedule.rebuild(state.calendar)
            self.schedule = schedule
            for i in tracks.indices { tracks[i].needsRecount = true }
        case .termAdded:
            schedule.rebuild(state.calendar)
            self.schedule = schedule
            for i in tracks.indices { tracks[i].needsRecount = true }
        case .ledgerOpened, .pupilDetailsChanged, .registerTaken, .interventionRecorded, .returnsSent, .retentionDisposed:
            break
        }
    }

    /// Evaluates the remaining days up to the evaluation date and returns the stage of every pupil on roll on it.
    public mutating func finish(_ state: LedgerState) -> [PupilStage] {
        advance(through: lastOffset, state)
        guard let schedule else { return [] }
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

    func code(_ state: LedgerState, _ pupil: Int, _ date: SchoolDate, _ session: Session) -> UInt8 {
        state.effectiveCode(pupil: pupil, date: date, session: session)?.code.index ?? 0xFF
    }

    mutating func refresh(upn: String, date: SchoolDate, session: Session, _ state: LedgerState, _ schedule: SchoolYearSchedule) {
        guard let i = state.pupilIndex[upn], i < tracks.count else { return }
        let offset = schedule.offset(date)
        guard offset >= 0, offset < schedule.dayCount else { return }
        let old = tracks[i].codes[slot(offset, session)], new = code(state, i, date, session)
        guard old != new else { return }
        tracks[i].codes[slot(offset, session)] = new
        guard offset <= cursor else { return }  // counted when the cursor reaches it
        tracks[i].rateAt = nil
        guard !tracks[i].needsRecount, tracks[i].isOnRoll(date) else { return }
        // A day already counted: move the session from its old counters to its new ones, and recount the
        // day runs from this day at the next evaluation.
        addSession(i, old, date, schedule.week(offset), sign: -1)
        addSession(i, new, date, schedule.week(offset), sign: 1)
        tracks[i].dirtyFrom = min(tracks[i].dirtyFrom, offset)
    }

    func makeTrack(_ pupil: PupilRecord, _ state: LedgerState, _ schedule: SchoolYearSchedule) -> PupilTrack {
        let flagCount = policy.flags.count
        var codes = [UInt8](repeating: 0xFF, count: schedule.dayCount * 2)
        var day = max(pupil.admitted, schedule.start)
        let end = schedule.date(schedule.dayCount - 1)
        while day <= end {
            if state.calendar.isSchoolDay(day) {
                for session in Session.allCases { codes[slot(schedule.offset(day), session)] = code(state, pupil.index, day, session) }
            }
            day = day.adding(days: 1)
        }
        var weekCounts: [[Int32]] = [], runAt: [[Int16]] = []
        for flag in policy.flags {
            switch flag.rule {
            case .sessionsInRollingWeeks:
                weekCounts.append([Int32](repeating: 0, count: schedule.weekCount)); runAt.append([])
            case .consecutiveDays, .consecutiveDaysToDate:
                weekCounts.append([]); runAt.append([Int16](repeating: 0, count: schedule.dayCount))
            case .sessionsInYear:
                weekCounts.append([]); runAt.append([])
            }
        }
        return PupilTrack(admitted: pupil.admitted, left: pupil.left, codes: codes,
                          flagCount: [Int](repeating: 0, count: flagCount), run: [Int](repeating: 0, count: flagCount),
                          maxRun: [Int](repeating: 0, count: flagCount), met: [Bool](repeating: false, count: flagCount),
                          weekCounts: weekCounts, runAt: runAt, maxAt: runAt, flagValue: [Int](repeating: 0, count: flagCount),
                          flagSince: [SchoolDate](repeating: SchoolDate(day: 0), count: flagCount),
                          history: [UInt8](repeating: 0xFF, count: schedule.dayCount))
    }

    mutating func advance(through target: Int, _ state: LedgerState) {
        guard target > cursor else { return }
        if schedule == nil {
            let made = SchoolYearSchedule(containing: on, calendar: state.calendar)
            schedule = made
            tracks = state.pupils.map { makeTrack($0, state, made) }
        }
        let schedule = self.schedule!
        while cursor < target {
            cursor += 1
            let date = schedule.date(cursor)
            for i in tracks.indices {
                if tracks[i].needsRecount {
                    recount(i, through: cursor, schedule)
                } else {
                    if tracks[i].dirtyFrom < cursor { catchUp(i, schedule) }
                    addDay(i, cursor, schedule)
                }
                evaluate(i, at: cursor, date, state, schedule)
            }
        }
    }

    mutating func recount(_ i: Int, through last: Int, _ schedule: SchoolYearSchedule) {
        let n = policy.flags.count
        tracks[i].possible = 0; tracks[i].attendance = 0; tracks[i].absence = 0
        for f in 0..<n {
            tracks[i].flagCount[f] = 0; tracks[i].run[f] = 0; tracks[i].maxRun[f] = 0; tracks[i].met[f] = false
            for w in tracks[i].weekCounts[f].indices { tracks[i].weekCounts[f][w] = 0 }
        }
        tracks[i].rateAt = nil
        tracks[i].needsRecount = false
        tracks[i].dirtyFrom = Int.max
        tracks[i].rollingDirty = false
        if last < 0 { return }
        for offset in 0...last { addDay(i, offset, schedule) }
    }

    /// Adds (sign 1) or removes (sign -1) one session's code from a pupil's session counters.
    @inline(__always)
    mutating func addSession(_ i: Int, _ raw: UInt8, _ date: SchoolDate, _ week: Int, sign: Int) {
        guard raw != 0xFF else { return }
        let code = AttendanceCode.all[Int(raw)]
        let category = code.category(on: date)
        if category.isPossible {
            tracks[i].possible += sign
            if category.isAttendance { tracks[i].attendance += sign } else { tracks[i].absence += sign }
        }
        for (f, flag) in policy.flags.enumerated() {
            switch flag.rule {
            case let .sessionsInYear(codes, _):
                if codes.matches(code, on: date) { tracks[i].flagCount[f] += sign }
            case let .sessionsInRollingWeeks(codes, _, _, _):
                if codes.matches(code, on: date) {
                    tracks[i].weekCounts[f][week] += Int32(sign)
                    tracks[i].flagCount[f] += sign
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

    /// Counts one day of a flag's run, from the run at the end of the day before.
    mutating func stepRun(_ i: Int, _ f: Int, _ codes: StagePolicy.CodeSet, _ offset: Int, _ date: SchoolDate) {
        var run = offset > 0 ? Int(tracks[i].runAt[f][offset - 1]) : 0
        var longest = offset > 0 ? Int(tracks[i].maxAt[f][offset - 1]) : 0
        if let extends = runStep(tracks[i], codes, offset, date) { run = extends ? run + 1 : 0 }
        longest = max(longest, run)
        tracks[i].runAt[f][offset] = Int16(clamping: run)
        tracks[i].maxAt[f][offset] = Int16(clamping: longest)
        tracks[i].run[f] = run
        tracks[i].maxRun[f] = longest
    }

    /// Whether any window of the rolling rule, ending at or before week `last`, holds enough sessions.
    func rollingMet(_ t: PupilTrack, _ f: Int, sessions: Int, weeks: Int, schoolWeeks: Bool, through last: Int, _ schedule: SchoolYearSchedule) -> Bool {
        guard last >= 0 else { return false }
        // A window ending at a week with no such session holds no more than the one ending a week earlier,
        // and one ending after `last` no more of the year to date than the one ending at `last`.
        for end in 0...last where t.weekCounts[f][end] > 0 {
            var sum = 0
            for week in schedule.window(endingAt: end, length: weeks, schoolWeeks: schoolWeeks) {
                sum += Int(t.weekCounts[f][week])
            }
            if sum >= sessions { return true }
        }
        return false
    }

    /// Brings a pupil's runs and rolling flags up to date after changes to days already counted.
    mutating func catchUp(_ i: Int, _ schedule: SchoolYearSchedule) {
        let from = tracks[i].dirtyFrom, last = cursor - 1
        for (f, flag) in policy.flags.enumerated() {
            switch flag.rule {
            case let .consecutiveDays(codes, _), let .consecutiveDaysToDate(codes, _):
                if from <= last { for o in from...last { stepRun(i, f, codes, o, schedule.date(o)) } }
            case let .sessionsInRollingWeeks(_, sessions, weeks, schoolWeeks):
                if tracks[i].rollingDirty {
                    tracks[i].met[f] = rollingMet(tracks[i], f, sessions: sessions, weeks: weeks, schoolWeeks: schoolWeeks,
                                                  through: schedule.week(max(last, 0)), schedule)
                }
            case .sessionsInYear:
                break
            }
        }
        tracks[i].dirtyFrom = Int.max
        tracks[i].rollingDirty = false
    }

    /// Adds one day to a pupil's counters (the cursor's new day, or a day of a full recount).
    mutating func addDay(_ i: Int, _ offset: Int, _ schedule: SchoolYearSchedule) {
        let date = schedule.date(offset)
        let onRoll = tracks[i].isOnRoll(date)
        let week = schedule.week(offset)
        if onRoll {
            addSession(i, tracks[i].codes[offset * 2], date, week, sign: 1)
            addSession(i, tracks[i].codes[offset * 2 + 1], date, week, sign: 1)
        }
        for (f, flag) in policy.flags.enumerated() {
            switch flag.rule {
            case let .consecutiveDays(codes, _), let .consecutiveDaysToDate(codes, _):
                stepRun(i, f, codes, offset, date)
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
        for o in 0...min(offset, schedule.dayCount - 1) {
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
                guard let found else { continue }
                current = policy.stageIndex(to)!
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
                guard !risen else { continue }
                current = policy.stageIndex(to)!
                let thenText = then.possible > 0 ? StageTracker.percent(then.attendance, then.possible) : "not yet measured"
                why.append("attendance has not risen since the last intervention (\(last.intervention.action) on \(last.intervention.date), \(elapsed) school days ago, when it was \(thenText)), so the pupil is \(to)")
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
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)% (\(part) of \(whole) possible sessions)"
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
            sentence = "\(days) days absent this academic year (\(t.absence) absence sessions), \(band)"
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
