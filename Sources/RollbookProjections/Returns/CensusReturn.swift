import RollbookDomain

/// The census attendance return for one period: per pupil of census attendance age on roll in it,
/// possible sessions, authorised and unauthorised absence, and absence sessions per reason code.
///
/// A pupil is included when they are aged 4 to 15 on 31 August at the start of the academic year
/// (``CensusPeriod/collectsAttendance(dob:)``, so Reception pupils are in and 16-year-olds out) and were
/// on roll on at least one day of the period, in any spell: leavers are included, and every spell of a
/// re-admitted pupil counts. Every session on roll in the period counts. Sessions are classified by
/// ``AttendanceFigures`` through ``LedgerState/forEachSession(of:from:to:_:)``, so the census agrees
/// with `rollbook stats`; unmarked sessions are not counted (``ExportCoverage`` warns of them).
public struct CensusReturn: Sendable {
    /// One pupil's line of the return.
    public struct Pupil: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// The figures over the pupil's sessions on roll in the period.
        public var figures: AttendanceFigures
        /// Absence sessions per reason code (absence codes only; zero counts absent).
        public var absence: [AttendanceCode: Int]
    }

    /// The period.
    public var period: CensusPeriod
    /// Pupils in UPN order.
    public var pupils: [Pupil]
    /// The period's school days and the census pupils' unmarked sessions in it.
    public var coverage: ExportCoverage

    /// The absence codes the CSV always has a column for, in code-table order (2024 codes).
    public static let absenceColumns: [AttendanceCode] = AttendanceCode.all.filter {
        !$0.isLegacy && $0.category(on: AttendanceCode.codeChange2024).isAbsence
    }

    /// The pupils the census collects attendance for in the period, in UPN order.
    public static func pupils(in state: LedgerState, period: CensusPeriod) -> [PupilRecord] {
        state.pupils.filter { period.collectsAttendance(dob: $0.dob) && $0.wasOnRoll(from: period.from, to: period.to) }
            .sorted { $0.upn < $1.upn }
    }

    /// Computes the return from the ledger state.
    public init(state: LedgerState, period: CensusPeriod) {
        self.period = period
        var coverage = ExportCoverage(calendar: state.calendar, from: period.from, to: period.to)
        pupils = CensusReturn.pupils(in: state, period: period).map { pupil in
            var figures = AttendanceFigures()
            var absence: [AttendanceCode: Int] = [:]
            state.forEachSession(of: pupil, from: period.from, to: period.to) { date, _, code in
                guard let code else { coverage.noteUnmarked(date); return }
                figures.add(code, on: date)
                if code.category(on: date).isAbsence { absence[code, default: 0] += 1 }
            }
            return Pupil(upn: pupil.upn, figures: figures, absence: absence)
        }
        self.coverage = coverage
    }

    /// The CSV's code columns: ``absenceColumns`` followed by any legacy absence code that occurs.
    public var codeColumns: [AttendanceCode] {
        var columns = CensusReturn.absenceColumns
        let extra = Set(pupils.flatMap(\.absence.keys)).subtracting(columns).sorted()
        columns.append(contentsOf: extra)
        return columns
    }
}
