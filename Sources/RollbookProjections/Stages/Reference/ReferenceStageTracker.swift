import RollbookDomain
import RollbookLog

/// The first implementation of ``StageTracker``, kept unchanged as the oracle its fast path is tested against.
///
/// It evaluates a stage policy through the academic year on the school's calendar, one day at a time,
/// reading every session through ``LedgerState/effectiveCode(pupil:date:session:)``.
///
/// Build a ``LedgerState`` from the events the ledger knew at the chosen moment (``LedgerReplay``
/// with an as-of time, or everything), then call ``stages(_:)``. From 1 August to the evaluation date
/// the tracker walks each pupil's marks by session date and evaluates the pupil at the end of every
/// day with the figures up to that day, so a pupil's `since` is the first day of the run of days,
/// ending on the evaluation date, in which the pupil was in the same stage. When an entry was made
/// (appended day by day, back-filled today, or migrated with `recorded_at`) does not matter: only
/// which entries are known. Interventions count from their own date. Every spell on roll counts.
package struct ReferenceStageTracker: Sendable {
    /// The policy.
    package let policy: StagePolicy
    /// The evaluation date.
    package let on: SchoolDate
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
    package init(policy: StagePolicy, on: SchoolDate) {
        self.policy = policy
        self.on = on
        yearStart = on.academicYearStart
        lastOffset = Int(on.day - yearStart.day)
    }

    /// The stage of every pupil on roll on the evaluation date, from the marks, calendar, admissions and
    /// interventions in `state` (whatever the order or time they were entered in).
    package mutating func stages(_ state: LedgerState) -> [PupilStage] {
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
}
