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
///
/// The calendar's days and the policy's code tests are worked out once for the year (``CalendarDays``,
/// ``StageCodeTable``); each pupil's year is then read from the mark store in one pass and walked day by
/// day. ``ReferenceStageTracker`` is the first implementation, kept as the oracle this one is tested against.
public struct StageTracker: Sendable {
    /// The policy.
    public let policy: StagePolicy
    /// The evaluation date.
    public let on: SchoolDate
    var tracks: [PupilTrack] = []
    let lastOffset: Int
    let yearStart: SchoolDate
    /// The policy's stage bands, in order.
    let bands: [StagePolicy.Band?]

    /// What the tracker keeps of each pupil after the walk (empty for pupils not on roll in the year).
    struct PupilTrack: Sendable {
        /// Effective code index per session of the year up to the evaluation date (2 per day), 0xFF when
        /// unmarked, not a school day or not on roll.
        var codes: [UInt8] = []
        var possible = 0, attendance = 0, absence = 0
        /// The stage evaluated at the end of the last day (-1: not on roll) and since when.
        var stage = -1
        var since = SchoolDate(day: 0)
        /// Per flag: its value (0 off, else on; for day runs to date, N) and since when.
        var flagValue: [Int] = []
        var flagSince: [SchoolDate] = []
        /// The stage at the end of each day (0xFF: not on roll).
        var history: [UInt8] = []
        /// Attendance and possible sessions up to the day of the last intervention, cached by that offset.
        var rateAt: (offset: Int, attendance: Int, possible: Int)?
        /// The pupil's interventions dated on or before the evaluation date, by date then log order.
        var interventions: [LedgerState.RecordedIntervention] = []
    }

    /// Creates a tracker that will evaluate `policy` up to the end of `on`.
    public init(policy: StagePolicy, on: SchoolDate) {
        self.policy = policy
        self.on = on
        yearStart = on.academicYearStart
        lastOffset = Int(on.day - yearStart.day)
        bands = policy.stages.map(\.band)
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
        // The calendar and the policy's code tests, worked out once for every pupil.
        let walk = YearWalk(calendar: CalendarDays(state.calendar, from: yearStart, to: on), codes: StageCodeTable(policy),
                            schedule: schedule, days: lastOffset + 1, flagCount: policy.flags.count)
        defer { walk.deallocate() }
        tracks = []
        tracks.reserveCapacity(state.pupils.count)
        for (i, pupil) in state.pupils.enumerated() {
            tracks.append(isActive(pupil) ? track(pupil, i, state, walk) : PupilTrack())
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
