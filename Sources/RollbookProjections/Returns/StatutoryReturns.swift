import RollbookDomain

/// The notifications a school owes its local authority (PRODUCT.md section 8): continuous
/// unauthorised absence of 10 school days, sickness of 15 school days, deletions and admissions.
///
/// Rules, as implemented:
/// - `continuous-unauthorised-10`: a school day counts when it has at least one possible session and
///   every possible session is unauthorised absence (`G N O U`); days with no possible session (a
///   closure, `D`, `Y1`–`Y7`) are passed over; a day with a present, authorised or unmarked session
///   ends the run. Only school days are walked, so a run carries across weekends and holidays. A run of
///   10 or more days is one notification, `from` its first day, `to` its last (up to the window's end).
/// - `sickness-15`: code `I` on 30 sessions (15 school days) in one school year, consecutively or in
///   total: one notification per pupil per school year, `from` the first `I` session of that year,
///   `to` the day the 30th was recorded.
/// - `deletion` (`from` = `to` = the date of deletion, with the ground) and `admission` (the
///   admission date), when that date falls in the window.
///
/// A notification is identified by kind, UPN and `from`: a run that grows after it was sent is the
/// same notification, so the LA is never told the same thing twice.
public struct StatutoryReturns: Sendable {
    /// One notification.
    public struct Notification: Sendable, Hashable {
        /// `continuous-unauthorised-10`, `sickness-15`, `deletion` or `admission`.
        public var kind: String
        /// The pupil.
        public var upn: String
        /// The first date it covers.
        public var from: SchoolDate
        /// The last date it covers.
        public var to: SchoolDate
        /// The ground for a deletion; nil otherwise.
        public var ground: String?
        /// Whether a `returns.sent` event already recorded it.
        public var sent: Bool

        /// The entry a `returns.sent` event records.
        public var entry: ReturnsSent.Entry { ReturnsSent.Entry(kind: kind, upn: upn, from: from, to: to) }
    }

    /// Every notification in the window, sent or not, ordered by date, kind and UPN.
    public var notifications: [Notification]

    /// Days of continuous unauthorised absence that make a notification.
    public static let continuousDays = 10
    /// Sessions of illness in a school year that make a notification.
    public static let sicknessSessions = 30

    /// Finds the notifications whose dates fall in `from`…`to` (a run is included when it ends in the window).
    public init(state: LedgerState, from: SchoolDate, to: SchoolDate) {
        var out: [Notification] = []
        let sentKeys = Set(state.returnsSent.map { "\($0.kind)|\($0.upn)|\($0.from)" })
        func add(_ kind: String, _ upn: String, _ f: SchoolDate, _ t: SchoolDate, _ ground: String?) {
            out.append(Notification(kind: kind, upn: upn, from: f, to: t, ground: ground, sent: sentKeys.contains("\(kind)|\(upn)|\(f)")))
        }
        let scanFrom = from.academicYearStart
        for pupil in state.pupils {
            if from <= pupil.admitted && pupil.admitted <= to { add("admission", pupil.upn, pupil.admitted, pupil.admitted, nil) }
            if let left = pupil.left, from <= left && left <= to { add("deletion", pupil.upn, left, left, pupil.ground ?? "") }

            // Continuous unauthorised absence, one school day at a time.
            var runStart: SchoolDate?
            var runEnd: SchoolDate?
            var runDays = 0
            func closeRun() {
                if let s = runStart, let e = runEnd, runDays >= StatutoryReturns.continuousDays, e >= from {
                    add("continuous-unauthorised-10", pupil.upn, s, e, nil)
                }
                runStart = nil; runEnd = nil; runDays = 0
            }
            var day: SchoolDate?
            var possible = 0, unauthorised = 0, breaks = false
            func endDay() {
                guard let d = day else { return }
                if breaks { closeRun() } else if possible > 0 && unauthorised == possible {
                    if runStart == nil { runStart = d }
                    runEnd = d
                    runDays += 1
                }
                possible = 0; unauthorised = 0; breaks = false
            }
            // Sickness, counted per school year.
            var sickYear: SchoolDate?
            var sickFirst: SchoolDate?
            var sickCount = 0
            state.forEachSession(of: pupil, from: scanFrom, to: to) { date, _, code in
                if date != day { endDay(); day = date }
                guard let code else { breaks = true; return }
                let category = code.category(on: date)
                if category.isPossible {
                    possible += 1
                    if category.isUnauthorisedAbsence { unauthorised += 1 } else { breaks = true }
                }
                if code == .sick {
                    let year = date.academicYearStart
                    if year != sickYear { sickYear = year; sickFirst = date; sickCount = 0 }
                    sickCount += 1
                    if sickCount == StatutoryReturns.sicknessSessions, date >= from {
                        add("sickness-15", pupil.upn, sickFirst!, date, nil)
                    }
                }
            }
            endDay()
            closeRun()
        }
        out.sort { ($0.from, $0.kind, $0.upn) < ($1.from, $1.kind, $1.upn) }
        notifications = out
    }
}
