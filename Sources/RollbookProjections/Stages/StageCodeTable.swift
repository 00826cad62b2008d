import RollbookDomain
import RollbookLog

/// A stage policy's tests on codes as bitmasks over code indexes, one set per code regime (before and
/// from 19 August 2024, when codes may change category), so that counting a session is a few bit tests.
///
/// Bit `c` of a mask is code index `c`'s answer: ``AttendanceCategory/isPossible`` and
/// ``AttendanceCategory/isAttendance`` of ``AttendanceCode/category(on:)``, and for each flag
/// ``StagePolicy/CodeSet/matches(_:on:)``. A regime's answers are those for any date in it.
struct StageCodeTable {
    /// How a flag is raised, as plain values.
    struct FlagPlan {
        enum Kind: UInt8 { case sessionsInYear, rollingWeeks, consecutiveDays, consecutiveDaysToDate }
        var kind: Kind
        /// Sessions (year and rolling rules), days (consecutive days) or the cap (days to date).
        var threshold: Int
        /// Rolling rules: the window in weeks, and whether only school weeks count.
        var weeks: Int
        var schoolWeeks: Bool
        /// The codes that count, per regime.
        var match: (UInt64, UInt64)

        @inline(__always)
        func matches(_ code: UInt8, regime: Int) -> Bool {
            ((regime == 0 ? match.0 : match.1) >> UInt64(code)) & 1 != 0
        }
    }

    /// Possible sessions and attendance, per regime.
    let possible: (UInt64, UInt64)
    let attendance: (UInt64, UInt64)
    /// The policy's flags, in order.
    let flags: [FlagPlan]
    /// Per regime: the codes some session-counting flag (year or rolling rule) counts.
    let counted: (UInt64, UInt64)

    /// A date in each regime: the day before the change, and the day of it.
    static let regimeDates = (AttendanceCode.codeChange2024.adding(days: -1), AttendanceCode.codeChange2024)

    /// The masks for a policy.
    init(_ policy: StagePolicy) {
        let all = AttendanceCode.all
        precondition(all.count <= 64, "code masks hold at most 64 codes")
        func mask(_ date: SchoolDate, _ test: (AttendanceCode, SchoolDate) -> Bool) -> UInt64 {
            var m: UInt64 = 0
            for code in all where test(code, date) { m |= 1 << UInt64(code.index) }
            return m
        }
        func masks(_ test: (AttendanceCode, SchoolDate) -> Bool) -> (UInt64, UInt64) {
            (mask(StageCodeTable.regimeDates.0, test), mask(StageCodeTable.regimeDates.1, test))
        }
        possible = masks { $0.category(on: $1).isPossible }
        attendance = masks { $0.category(on: $1).isAttendance }
        flags = policy.flags.map { flag in
            switch flag.rule {
            case let .sessionsInYear(codes, sessions):
                FlagPlan(kind: .sessionsInYear, threshold: sessions, weeks: 0, schoolWeeks: false, match: masks(codes.matches))
            case let .sessionsInRollingWeeks(codes, sessions, weeks, schoolWeeks):
                FlagPlan(kind: .rollingWeeks, threshold: sessions, weeks: weeks, schoolWeeks: schoolWeeks, match: masks(codes.matches))
            case let .consecutiveDays(codes, days):
                FlagPlan(kind: .consecutiveDays, threshold: days, weeks: 0, schoolWeeks: false, match: masks(codes.matches))
            case let .consecutiveDaysToDate(codes, cap):
                FlagPlan(kind: .consecutiveDaysToDate, threshold: cap, weeks: 0, schoolWeeks: false, match: masks(codes.matches))
            }
        }
        var counted: (UInt64, UInt64) = (0, 0)
        for plan in flags where plan.kind == .sessionsInYear || plan.kind == .rollingWeeks {
            counted = (counted.0 | plan.match.0, counted.1 | plan.match.1)
        }
        self.counted = counted
    }

    @inline(__always)
    func isCounted(_ code: UInt8, regime: Int) -> Bool { ((regime == 0 ? counted.0 : counted.1) >> UInt64(code)) & 1 != 0 }

    @inline(__always)
    func isPossible(_ code: UInt8, regime: Int) -> Bool { ((regime == 0 ? possible.0 : possible.1) >> UInt64(code)) & 1 != 0 }

    @inline(__always)
    func isAttendance(_ code: UInt8, regime: Int) -> Bool { ((regime == 0 ? attendance.0 : attendance.1) >> UInt64(code)) & 1 != 0 }
}
