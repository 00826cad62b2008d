import RollbookDomain

/// Attendance figures per cohort (`rollbook stats --by`, PRODUCT.md section 6): the sums of sessions of
/// the cohort's pupils, and the share of those pupils in persistent and severe absence.
///
/// A pure projection of per-pupil figures: it groups them, it never recounts sessions, so the cohorts
/// of one kind add up to the total.
public struct CohortFigures: Sendable, Hashable {
    /// What pupils are grouped by.
    public enum Kind: String, Sendable, CaseIterable {
        /// Registration group.
        case group
        /// Year group.
        case year
        /// Pupil premium (Y or N).
        case pp
        /// Free school meals (Y or N).
        case fsm
        /// SEN support (Y or N).
        case sen
        /// An education, health and care plan (Y or N).
        case ehcp

        /// The cohort a pupil belongs to: the group, the year group, or `Y`/`N` for a flag.
        public func value(of pupil: PupilRecord) -> String {
            switch self {
            case .group: return pupil.group
            case .year: return pupil.yearGroup
            case .pp: return pupil.flags.pp ? "Y" : "N"
            case .fsm: return pupil.flags.fsm ? "Y" : "N"
            case .sen: return pupil.flags.sen ? "Y" : "N"
            case .ehcp: return pupil.flags.ehcp ? "Y" : "N"
            }
        }

        /// Year groups in school order (`N1 N2 R 1`–`14`), flags `Y` before `N`, groups by their number then name.
        func sortKey(_ value: String) -> (Int, String) {
            switch self {
            case .year:
                if let i = ["N1", "N2", "R"].firstIndex(of: value) { return (i, value) }
                if let n = Int(value) { return (3 + n, value) }
                return (100, value)
            case .pp, .fsm, .sen, .ehcp: return (value == "Y" ? 0 : 1, value)
            case .group:
                // Natural order: 7A before 10A.
                let digits = value.prefix { $0.isASCII && $0.isNumber }
                return (digits.isEmpty ? Int.max : Int(digits.prefix(9)) ?? Int.max, value)
            }
        }
    }

    /// One cohort's figures.
    public struct Cohort: Sendable, Hashable {
        /// The grouping.
        public var kind: Kind
        /// The cohort: a group, a year group, or `Y`/`N`.
        public var value: String
        /// How many pupils are in it.
        public var pupils: Int
        /// How many of them are in persistent absence (overall absence ≥ 10% of their possible sessions).
        public var persistentAbsentees: Int
        /// How many of them are in severe absence (≥ 50%).
        public var severeAbsentees: Int
        /// The sums of the pupils' sessions.
        public var figures: AttendanceFigures

        /// Persistent absentees ÷ pupils × 100, unrounded (nil for an empty cohort).
        public var persistentAbsencePercentage: Double? {
            pupils == 0 ? nil : Double(persistentAbsentees) * 100 / Double(pupils)
        }
        /// Severe absentees ÷ pupils × 100, unrounded (nil for an empty cohort).
        public var severeAbsencePercentage: Double? {
            pupils == 0 ? nil : Double(severeAbsentees) * 100 / Double(pupils)
        }
    }

    /// The grouping.
    public var kind: Kind
    /// The cohorts, in school order.
    public var cohorts: [Cohort]
    /// Every pupil together (value `total`): the sums of the cohorts.
    public var total: Cohort

    /// Groups pupils' figures into cohorts of one kind.
    public init(kind: Kind, pupils: [(pupil: PupilRecord, figures: AttendanceFigures)]) {
        self.kind = kind
        var total = Cohort(kind: kind, value: "total", pupils: 0, persistentAbsentees: 0, severeAbsentees: 0, figures: AttendanceFigures())
        var byValue: [String: Cohort] = [:]
        for (pupil, figures) in pupils {
            let value = kind.value(of: pupil)
            var cohort = byValue[value] ?? Cohort(kind: kind, value: value, pupils: 0, persistentAbsentees: 0, severeAbsentees: 0,
                                                   figures: AttendanceFigures())
            cohort.pupils += 1
            if figures.isPersistentAbsence { cohort.persistentAbsentees += 1 }
            if figures.isSevereAbsence { cohort.severeAbsentees += 1 }
            cohort.figures = cohort.figures + figures
            byValue[value] = cohort
            total.pupils += 1
            if figures.isPersistentAbsence { total.persistentAbsentees += 1 }
            if figures.isSevereAbsence { total.severeAbsentees += 1 }
            total.figures = total.figures + figures
        }
        self.total = total
        // A flag's two cohorts are both shown, even when one is empty, so Y and N can be compared.
        switch kind {
        case .pp, .fsm, .sen, .ehcp:
            for value in ["Y", "N"] where byValue[value] == nil {
                byValue[value] = Cohort(kind: kind, value: value, pupils: 0, persistentAbsentees: 0, severeAbsentees: 0,
                                        figures: AttendanceFigures())
            }
        case .group, .year:
            break
        }
        cohorts = byValue.values.sorted { kind.sortKey($0.value) < kind.sortKey($1.value) }
    }
}

extension CohortFigures.Cohort {
    /// One pupil as a cohort of one (for setting a pupil's figures beside the cohorts').
    public static func single(_ figures: AttendanceFigures) -> CohortFigures.Cohort {
        CohortFigures.Cohort(kind: .group, value: "", pupils: 1, persistentAbsentees: figures.isPersistentAbsence ? 1 : 0,
                             severeAbsentees: figures.isSevereAbsence ? 1 : 0, figures: figures)
    }
}
