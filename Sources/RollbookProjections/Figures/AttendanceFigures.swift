import RollbookDomain

/// Session counts with the DfE statistics' names: the figures of PRODUCT.md section 6.
///
/// Totals are sums of sessions: add figures together, never average their rates.
public struct AttendanceFigures: Sendable, Hashable {
    /// Possible sessions.
    public var possibleSessions = 0
    /// Present (`/ \ L`).
    public var presentSessions = 0
    /// Attending approved educational activity (`K V P W B`, and legacy `J` before 19 Aug 2024).
    public var approvedEducationalActivity = 0
    /// Authorised absence.
    public var authorisedAbsence = 0
    /// Unauthorised absence.
    public var unauthorisedAbsence = 0
    /// Late sessions (`L` and `U`).
    public var lateSessions = 0
    /// Sessions per code, every code counted (possible or not).
    public var byCode: [AttendanceCode: Int] = [:]

    /// Empty figures.
    public init() {}

    /// Present plus approved educational activity.
    public var overallAttendance: Int { presentSessions + approvedEducationalActivity }
    /// Authorised plus unauthorised absence.
    public var overallAbsence: Int { authorisedAbsence + unauthorisedAbsence }
    /// overall_attendance / possible × 100 (0 when nothing was possible).
    public var attendancePercentage: Double { possibleSessions == 0 ? 0 : Double(overallAttendance) * 100 / Double(possibleSessions) }
    /// overall_absence / possible × 100.
    public var overallAbsencePercentage: Double { possibleSessions == 0 ? 0 : Double(overallAbsence) * 100 / Double(possibleSessions) }
    /// Overall absence is at least 10% of possible sessions (compared in integers, so exactly 10% counts).
    public var isPersistentAbsence: Bool { possibleSessions > 0 && overallAbsence * 10 >= possibleSessions }
    /// Overall absence is at least 50% of possible sessions.
    public var isSevereAbsence: Bool { possibleSessions > 0 && overallAbsence * 2 >= possibleSessions }

    /// Counts one session's code, classified by the session's date.
    @inline(__always)
    public mutating func add(_ code: AttendanceCode, on date: SchoolDate) {
        byCode[code, default: 0] += 1
        let category = code.category(on: date)
        guard category.isPossible else { return }
        possibleSessions += 1
        switch category {
        case .present: presentSessions += 1
        case .presentLate: presentSessions += 1; lateSessions += 1
        case .approvedActivity: approvedEducationalActivity += 1
        case .leaveOfAbsence, .otherAuthorised: authorisedAbsence += 1
        case .unauthorised: unauthorisedAbsence += 1
        case .unauthorisedLate: unauthorisedAbsence += 1; lateSessions += 1
        case .notPossible: break
        }
    }

    /// Adds another set of figures (session sums).
    public static func + (a: AttendanceFigures, b: AttendanceFigures) -> AttendanceFigures {
        var r = a
        r.possibleSessions += b.possibleSessions
        r.presentSessions += b.presentSessions
        r.approvedEducationalActivity += b.approvedEducationalActivity
        r.authorisedAbsence += b.authorisedAbsence
        r.unauthorisedAbsence += b.unauthorisedAbsence
        r.lateSessions += b.lateSessions
        r.byCode.merge(b.byCode, uniquingKeysWith: +)
        return r
    }
}

extension LedgerState {
    /// Calls `body` for every school-day session from `from` to `to` on which the pupil was on roll,
    /// in date order (AM before PM), with the code the session effectively has (closures applied), or
    /// nil when it is unmarked.
    public func forEachSession(of pupil: PupilRecord, from: SchoolDate, to: SchoolDate,
                               _ body: (SchoolDate, Session, AttendanceCode?) -> Void) {
        // School days lie inside terms: an absurd range costs no more than the calendar's own span.
        guard let firstTerm = calendar.terms.map(\.from).min(), let lastTerm = calendar.terms.map(\.to).max() else { return }
        var day = max(from, pupil.firstAdmitted, firstTerm)
        let last = min(pupil.left.map { min(to, $0.adding(days: -1)) } ?? to, lastTerm)
        while day <= last {
            if calendar.isSchoolDay(day) && pupil.isOnRoll(day) {
                for session in Session.allCases {
                    body(day, session, effectiveCode(pupil: pupil.index, date: day, session: session)?.code)
                }
            }
            day = day.adding(days: 1)
        }
    }

    /// The pupil's figures over a date range (inclusive). Unmarked sessions are not counted.
    public func figures(for pupil: PupilRecord, from: SchoolDate, to: SchoolDate) -> AttendanceFigures {
        var figures = AttendanceFigures()
        forEachSession(of: pupil, from: from, to: to) { date, _, code in
            if let code { figures.add(code, on: date) }
        }
        return figures
    }
}
