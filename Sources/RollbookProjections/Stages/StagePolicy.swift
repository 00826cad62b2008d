import RollbookDomain

/// A stage policy: the data that turns a pupil's figures into a stage, flags and the actions due.
///
/// A policy is read from a JSON file (format `rollbook-policy/1`, documented in the README's "Stage
/// policies" section and shipped as `events/policies/*.json`) or is one of the presets in
/// ``PresetPolicies``. Stages are tried in order and the first whose band contains the pupil's
/// measure wins; a pupil with no possible sessions is in the first stage. Escalations then move a
/// pupil on (for example Wimborne's third standard letter), and flags are evaluated independently.
public struct StagePolicy: Sendable, Hashable {
    /// What the bands measure, over the academic year to date.
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        /// overall_attendance / possible sessions × 100.
        case attendancePercentage = "attendance_perc"
        /// overall_absence / possible sessions × 100.
        case overallAbsencePercentage = "overall_absence_perc"
        /// Absence sessions ÷ 2.
        case daysAbsent = "days_absent"
    }

    /// A band of the measure. Bounds are decimals held in hundredths (95 is 9500), so comparisons are exact.
    public struct Band: Sendable, Hashable {
        /// Inclusive lower bound (`at_least`).
        public var atLeast: Int?
        /// Exclusive lower bound (`above`).
        public var above: Int?
        /// Exclusive upper bound (`below`).
        public var below: Int?
        /// Inclusive upper bound (`at_most`).
        public var atMost: Int?

        /// Creates a band.
        public init(atLeast: Int? = nil, above: Int? = nil, below: Int? = nil, atMost: Int? = nil) {
            self.atLeast = atLeast; self.above = above; self.below = below; self.atMost = atMost
        }

        /// Whether the value `numerator / denominator` (denominator > 0) lies in the band.
        public func contains(_ numerator: Int, over denominator: Int) -> Bool {
            // value ≥ b/100  ⇔  numerator × 100 ≥ b × denominator
            let scaled = numerator * 100
            if let b = atLeast, scaled < b * denominator { return false }
            if let b = above, scaled <= b * denominator { return false }
            if let b = below, scaled >= b * denominator { return false }
            if let b = atMost, scaled > b * denominator { return false }
            return true
        }

        /// "at least 90% and below 95%" (with `unit` "%").
        public func description(unit: String) -> String {
            var parts: [String] = []
            // " days" reads " day" after exactly 1.
            func value(_ b: Int) -> String { "\(StagePolicy.decimal(b))\(b == 100 && unit == " days" ? " day" : unit)" }
            if let b = atLeast { parts.append("at least \(value(b))") }
            if let b = above { parts.append("more than \(value(b))") }
            if let b = below { parts.append("below \(value(b))") }
            if let b = atMost { parts.append("at most \(value(b))") }
            return parts.isEmpty ? "any value" : parts.joined(separator: " and ")
        }
    }

    /// When an action is due.
    public enum Due: String, Sendable, Hashable, CaseIterable {
        /// Once on entering the stage (or on the flag being raised): due until recorded on or after that date.
        case onEntry = "on-entry"
        /// Every day in the stage: due until recorded on the evaluation date.
        case daily
        /// Every week in the stage: due until recorded within the last 7 days.
        case weekly
        /// Documented practice that the worklist does not chase.
        case never
    }

    /// One action a school takes, recorded with `rollbook intervene --action`.
    public struct Action: Sendable, Hashable {
        /// The intervention action id (``InterventionRecorded/actions``).
        public var action: String
        /// When it is due.
        public var due: Due
        /// What to do, for the worklist.
        public var text: String
        /// The seed document's words.
        public var quote: String
        /// For a flag counting days to date (`safeguarding-day-N`): due only from day N = `fromDay`.
        public var fromDay: Int?
    }

    /// A set of codes, by code or by category (`absence`, `authorised`, `unauthorised`).
    public struct CodeSet: Sendable, Hashable {
        /// Code table indices.
        public var codes: Set<UInt8>
        /// Match every authorised absence.
        public var authorised: Bool
        /// Match every unauthorised absence.
        public var unauthorised: Bool
        /// The names as written in the policy.
        public var names: [String]

        /// Whether a session with this code on this date is in the set.
        @inline(__always)
        public func matches(_ code: AttendanceCode, on date: SchoolDate) -> Bool {
            if codes.contains(code.index) { return true }
            if authorised || unauthorised {
                let c = code.category(on: date)
                return (authorised && c.isAuthorisedAbsence) || (unauthorised && c.isUnauthorisedAbsence)
            }
            return false
        }
    }

    /// How a flag is raised.
    public enum FlagRule: Sendable, Hashable {
        /// At least `sessions` sessions of `codes` within any `weeks` consecutive weeks of the year to date;
        /// with `schoolWeeks`, only weeks with at least one school session count.
        case sessionsInRollingWeeks(codes: CodeSet, sessions: Int, weeks: Int, schoolWeeks: Bool)
        /// At least `days` consecutive school days (in the year to date) whose possible sessions are all `codes`.
        case consecutiveDays(codes: CodeSet, days: Int)
        /// At least `sessions` sessions of `codes` in the year to date.
        case sessionsInYear(codes: CodeSet, sessions: Int)
        /// N consecutive school days of `codes` ending on the evaluation date: the flag is `<id>-N`, N capped at `cap`.
        case consecutiveDaysToDate(codes: CodeSet, cap: Int)
    }

    /// A flag.
    public struct Flag: Sendable, Hashable {
        /// The flag id (for ``FlagRule/consecutiveDaysToDate(codes:cap:)``, the prefix of `<id>-N`).
        public var id: String
        /// How it is raised.
        public var rule: FlagRule
        /// What the school does when it is raised.
        public var actions: [Action]
        /// The seed's words for the rule.
        public var quote: String
    }

    /// A rule that moves a pupil from one stage to another after the bands.
    public enum Escalation: Sendable, Hashable {
        /// In stage `from`, `count` interventions of `action` were recorded in succession this academic year
        /// (by date, with no other intervention between them): move to `to`.
        case interventionsInSuccession(from: String, action: String, count: Int, to: String)
        /// In stage `from`, attendance has not risen since the last intervention this academic year (other
        /// than an intervention whose action is `to` itself), which is at least `schoolDays` school days
        /// before the evaluation date: move to `to`.
        case noImprovementSinceIntervention(from: String, schoolDays: Int, to: String)
    }

    /// A stage.
    public struct Stage: Sendable, Hashable {
        /// The stage id (`none`, `stage-1`, `below-90` …).
        public var id: String
        /// A short name.
        public var name: String
        /// The band, or nil for a stage reached only by an escalation.
        public var band: Band?
        /// What the school does in this stage.
        public var actions: [Action]
    }

    /// The policy id (`dfe`, `wimborne` …).
    public var id: String
    /// A descriptive name.
    public var name: String
    /// The seed document it is built from.
    public var source: String
    /// What the bands measure.
    public var measure: Measure
    /// Stages, first stage first.
    public var stages: [Stage]
    /// Flags.
    public var flags: [Flag]
    /// Escalations, applied in order.
    public var escalations: [Escalation]

    /// The index of a stage id.
    public func stageIndex(_ id: String) -> Int? { stages.firstIndex { $0.id == id } }

    /// Hundredths as a short decimal: 9500 → "95", 9250 → "92.5".
    public static func decimal(_ hundredths: Int) -> String {
        let whole = hundredths / 100, frac = abs(hundredths % 100)
        if frac == 0 { return "\(whole)" }
        if frac % 10 == 0 { return "\(whole).\(frac / 10)" }
        return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }
}
