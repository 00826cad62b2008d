import RollbookDomain

/// The census attendance return for one period: per pupil of compulsory school age on roll in it,
/// possible sessions, authorised and unauthorised absence, and absence sessions per reason code.
///
/// A pupil is included when they were on roll on at least one day of the period on which they were of
/// compulsory school age (``CompulsorySchoolAge``); only the sessions of those days count. Sessions are
/// classified by ``AttendanceFigures`` through ``LedgerState/forEachSession(of:from:to:_:)``, so the
/// census agrees with `rollbook stats`; unmarked sessions are not counted.
public struct CensusReturn: Sendable {
    /// One pupil's line of the return.
    public struct Pupil: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// The figures over the pupil's counted days.
        public var figures: AttendanceFigures
        /// Absence sessions per reason code (absence codes only; zero counts absent).
        public var absence: [AttendanceCode: Int]
    }

    /// The period.
    public var period: CensusPeriod
    /// Pupils in UPN order.
    public var pupils: [Pupil]

    /// The absence codes the CSV always has a column for, in code-table order (2024 codes).
    public static let absenceColumns: [AttendanceCode] = AttendanceCode.all.filter {
        !$0.isLegacy && $0.category(on: AttendanceCode.codeChange2024).isAbsence
    }

    /// Computes the return from the ledger state.
    public init(state: LedgerState, period: CensusPeriod) {
        self.period = period
        var pupils: [Pupil] = []
        for pupil in state.pupils.sorted(by: { $0.upn < $1.upn }) {
            let age = CompulsorySchoolAge(dob: pupil.dob)
            let from = max(period.from, age.from, pupil.admitted)
            var to = min(period.to, age.to)
            if let left = pupil.left { to = min(to, left.adding(days: -1)) }
            guard from <= to else { continue }
            var figures = AttendanceFigures()
            var absence: [AttendanceCode: Int] = [:]
            state.forEachSession(of: pupil, from: from, to: to) { date, _, code in
                guard let code else { return }
                figures.add(code, on: date)
                if code.category(on: date).isAbsence { absence[code, default: 0] += 1 }
            }
            pupils.append(Pupil(upn: pupil.upn, figures: figures, absence: absence))
        }
        self.pupils = pupils
    }

    /// The CSV's code columns: ``absenceColumns`` followed by any legacy absence code that occurs.
    public var codeColumns: [AttendanceCode] {
        var columns = CensusReturn.absenceColumns
        let extra = Set(pupils.flatMap(\.absence.keys)).subtracting(columns).sorted()
        columns.append(contentsOf: extra)
        return columns
    }
}
