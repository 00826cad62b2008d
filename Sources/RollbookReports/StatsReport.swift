import RollbookDomain
import RollbookLog
import RollbookProjections

/// Attendance figures with the DfE names (PRODUCT.md section 6), per pupil and in total, over a date range,
/// and per cohort with `--by`.
///
/// A pupil is listed when on roll on at least one day of the range; their possible sessions run from
/// admission to leaving, closures and non-possible codes excluded. The total is the sum of sessions.
public struct StatsReport: Sendable {
    /// One pupil's figures.
    public struct Row: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// Registration group.
        public var group: String
        /// "Surname, Forename" (text output only).
        public var name: String
        /// The pupil's index in ``LedgerState/pupils``.
        public var pupil: Int
        /// The figures.
        public var figures: AttendanceFigures
    }

    /// First day of the range.
    public var from: SchoolDate
    /// Last day of the range.
    public var to: SchoolDate
    /// The as-of moment, if any.
    public var asOf: Timestamp?
    /// Rows in group, UPN order.
    public var rows: [Row]
    /// The sum of every row.
    public var total: AttendanceFigures
    /// The rows grouped into cohorts (`--by`), if asked for.
    public var cohorts: CohortFigures?

    /// The DfE names, in the order they are written.
    public static let names = ["possible_sessions", "present_sessions", "approved_educational_activity", "overall_attendance",
                               "authorised_absence", "unauthorised_absence", "overall_absence", "late_sessions", "attendance_perc",
                               "overall_absence_perc", "persistent_absence", "severe_absence"]

    /// The members a cohort carries before the DfE names, in the order they are written.
    public static let cohortNames = ["cohort", "pupils", "persistent_absentees", "severe_absentees", "persistent_absence_perc",
                                     "severe_absence_perc"]

    /// Builds the report from state folded up to the as-of moment.
    public init(state: LedgerState, from: SchoolDate, to: SchoolDate, group: String?, upn: String?, asOf: Timestamp?,
                by: CohortFigures.Kind? = nil) {
        self.from = from
        self.to = to
        self.asOf = asOf
        rows = state.pupils
            .filter { p in (group == nil || p.group == group) && (upn == nil || p.upn == upn)
                && p.admitted <= to && (p.left.map { $0 > from } ?? true) }
            .sorted { ($0.group, $0.upn) < ($1.group, $1.upn) }
            .map { Row(upn: $0.upn, group: $0.group, name: "\($0.surname), \($0.forename)", pupil: $0.index,
                       figures: state.figures(for: $0, from: from, to: to)) }
        total = rows.reduce(AttendanceFigures()) { $0 + $1.figures }
        cohorts = by.map { kind in CohortFigures(kind: kind, pupils: rows.map { (state.pupils[$0.pupil], $0.figures) }) }
    }

    /// Groups the report's rows into cohorts of another kind (the same rows, so the same figures).
    public func cohorts(by kind: CohortFigures.Kind, state: LedgerState) -> CohortFigures {
        CohortFigures(kind: kind, pupils: rows.map { (state.pupils[$0.pupil], $0.figures) })
    }

    /// A percentage to two places (half up), or nil when nothing was possible (text output).
    static func percent(_ part: Int, _ whole: Int) -> String? {
        guard whole > 0 else { return nil }
        let h = (part * 20_000 + whole) / (2 * whole)
        return "\(h / 100).\(h % 100 < 10 ? "0" : "")\(h % 100)"
    }

    /// A percentage unrounded (the nearest double to part × 100 ÷ whole), as DfE's data files publish
    /// them, or nil when the whole is 0 (JSON and CSV output).
    public static func exactPercent(_ part: Int, _ whole: Int) -> String? {
        guard whole > 0 else { return nil }
        return number(Double(part * 100) / Double(whole))
    }

    /// A finite double as a JSON number: "25", "66.66666666666667".
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// The values of ``names`` for some figures, as JSON.
    static func values(_ f: AttendanceFigures) -> [JSONValue] {
        func n(_ v: Int) -> JSONValue { .number(String(v)) }
        return [n(f.possibleSessions), n(f.presentSessions), n(f.approvedEducationalActivity), n(f.overallAttendance),
                n(f.authorisedAbsence), n(f.unauthorisedAbsence), n(f.overallAbsence), n(f.lateSessions),
                exactPercent(f.overallAttendance, f.possibleSessions).map { .number($0) } ?? .null,
                exactPercent(f.overallAbsence, f.possibleSessions).map { .number($0) } ?? .null,
                .bool(f.isPersistentAbsence), .bool(f.isSevereAbsence)]
    }

    /// The values of ``cohortNames`` for a cohort, as JSON.
    static func cohortValues(_ c: CohortFigures.Cohort) -> [JSONValue] {
        [.string(c.value), .number(String(c.pupils)), .number(String(c.persistentAbsentees)), .number(String(c.severeAbsentees)),
         exactPercent(c.persistentAbsentees, c.pupils).map { .number($0) } ?? .null,
         exactPercent(c.severeAbsentees, c.pupils).map { .number($0) } ?? .null]
    }

    static func byCode(_ f: AttendanceFigures) -> JSONValue {
        .object(f.byCode.keys.sorted().map { JSONMember(key: $0.text, value: .number(String(f.byCode[$0] ?? 0))) })
    }

    /// A JSON value as a CSV cell.
    static func cell(_ v: JSONValue) -> String {
        switch v {
        case .number(let t), .string(let t): return t
        case .bool(let b): return b ? "true" : "false"
        default: return ""
        }
    }

    /// Renders the report.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: return renderJSON()
        case .csv: return renderCSV()
        case .text: return renderText()
        }
    }

    func renderJSON() -> String {
        func object(_ f: AttendanceFigures, _ leading: [JSONMember]) -> JSONValue {
            .object(leading + zip(StatsReport.names, StatsReport.values(f)).map { JSONMember(key: $0.0, value: $0.1) }
                + [JSONMember(key: "by_code", value: StatsReport.byCode(f))])
        }
        // `total` holds exactly the section 6 names (each a sum over `pupils`); the counts of
        // persistent and severe absentees sit beside it.
        var members = [
            JSONMember(key: "from", value: .string(from.description)),
            JSONMember(key: "to", value: .string(to.description)),
            JSONMember(key: "as_of", value: asOf.map { .string($0.description) } ?? .null),
            JSONMember(key: "total", value: object(total, [])),
            JSONMember(key: "pupils", value: .array(rows.map {
                object($0.figures, [JSONMember(key: "upn", value: .string($0.upn)), JSONMember(key: "group", value: .string($0.group))])
            })),
            JSONMember(key: "persistent_absentees", value: .number(String(rows.filter { $0.figures.isPersistentAbsence }.count))),
            JSONMember(key: "severe_absentees", value: .number(String(rows.filter { $0.figures.isSevereAbsence }.count))),
        ]
        if let cohorts {
            members.append(JSONMember(key: "by", value: .string(cohorts.kind.rawValue)))
            members.append(JSONMember(key: "cohorts", value: .array(cohorts.cohorts.map { c in
                object(c.figures, zip(StatsReport.cohortNames, StatsReport.cohortValues(c)).map { JSONMember(key: $0.0, value: $0.1) })
            })))
        }
        return JSONWriter.pretty(.object(members)) + "\n"
    }

    func renderCSV() -> String {
        let codes = total.byCode.keys.sorted()
        func figures(_ f: AttendanceFigures) -> [String] {
            StatsReport.values(f).map(StatsReport.cell) + codes.map { String(f.byCode[$0] ?? 0) }
        }
        if let cohorts {
            // One row per cohort, then the total (its pupils and rates over every pupil listed).
            return TextTable.csv(["by"] + StatsReport.cohortNames + StatsReport.names + codes.map(\.text),
                                 (cohorts.cohorts + [cohorts.total]).map { c in
                                     [cohorts.kind.rawValue] + StatsReport.cohortValues(c).map(StatsReport.cell) + figures(c.figures)
                                 }) + "\n"
        }
        return TextTable.csv(["upn", "group"] + StatsReport.names + codes.map(\.text),
                             rows.map { [$0.upn, $0.group] + figures($0.figures) } + [["total", ""] + figures(total)]) + "\n"
    }

    func renderText() -> String {
        var out = "Attendance from \(from) to \(to)" + (asOf.map { ", as it stood at \($0)" } ?? "") + "\n"
        if let cohorts {
            out += "By \(StatsReport.kindTitle(cohorts.kind)):\n"
            func pct(_ p: Int, _ w: Int) -> String { StatsReport.percent(p, w) ?? "-" }
            out += TextTable.render(["Cohort", "Pupils", "Possible", "Attend%", "Absence%", "Persistent", "PA%", "Severe", "SA%"],
                                    cohorts.cohorts.map { c in
                                        let f = c.figures
                                        return [StatsReport.cohortLabel(c), String(c.pupils), String(f.possibleSessions),
                                                pct(f.overallAttendance, f.possibleSessions), pct(f.overallAbsence, f.possibleSessions),
                                                String(c.persistentAbsentees), pct(c.persistentAbsentees, c.pupils),
                                                String(c.severeAbsentees), pct(c.severeAbsentees, c.pupils)]
                                    }) + "\n"
        } else {
            func cells(_ f: AttendanceFigures) -> [String] {
                [String(f.possibleSessions), String(f.overallAttendance), String(f.authorisedAbsence), String(f.unauthorisedAbsence),
                 String(f.lateSessions), StatsReport.percent(f.overallAttendance, f.possibleSessions) ?? "-",
                 f.isSevereAbsence ? "severe" : f.isPersistentAbsence ? "persistent" : ""]
            }
            out += TextTable.render(["Group", "UPN", "Name", "Poss", "Att", "Auth", "Unauth", "Late", "Att%", "PA/SA"],
                                    rows.map { [$0.group, $0.upn, StatsReport.clip($0.name, 20)] + cells($0.figures) }) + "\n"
        }
        let f = total
        var parts = ["Total, \(rows.count) \(rows.count == 1 ? "pupil" : "pupils"): possible \(f.possibleSessions)",
                     "present \(f.presentSessions)", "approved educational activity \(f.approvedEducationalActivity)",
                     "attended \(f.overallAttendance)", "authorised absence \(f.authorisedAbsence)",
                     "unauthorised \(f.unauthorisedAbsence)", "overall absence \(f.overallAbsence)", "late \(f.lateSessions)"]
        if let a = StatsReport.percent(f.overallAttendance, f.possibleSessions),
           let b = StatsReport.percent(f.overallAbsence, f.possibleSessions) {
            parts += ["attendance \(a)%", "absence \(b)%"]
        }
        out += StatsReport.wrap(parts.joined(separator: ", ") + ".", width: 100)
        let codes = total.byCode.keys.sorted().map { "\($0.text) \(total.byCode[$0] ?? 0)" }
        out += StatsReport.wrap("Sessions by code: " + (codes.isEmpty ? "none" : codes.joined(separator: ", ")), width: 100)
        out += "Persistent absentees (absence >= 10%): \(rows.filter { $0.figures.isPersistentAbsence }.count); "
            + "severe (>= 50%): \(rows.filter { $0.figures.isSevereAbsence }.count).\n"
        return out
    }

    /// "registration group", "pupil premium" … for headings.
    public static func kindTitle(_ kind: CohortFigures.Kind) -> String {
        switch kind {
        case .group: return "registration group"
        case .year: return "year group"
        case .pp: return "pupil premium"
        case .fsm: return "free school meals"
        case .sen: return "SEN support"
        case .ehcp: return "EHC plan"
        }
    }

    /// "7A", "year 7", "PP", "not PP" … for a cohort's row.
    public static func cohortLabel(_ c: CohortFigures.Cohort) -> String {
        let flag: String
        switch c.kind {
        case .group: return c.value
        case .year: return "year \(c.value)"
        case .pp: flag = "PP"
        case .fsm: flag = "FSM"
        case .sen: flag = "SEN"
        case .ehcp: flag = "EHCP"
        }
        return c.value == "Y" ? flag : "not \(flag)"
    }

    /// A cell cut to at most `width` characters (with an ellipsis).
    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// Words wrapped at `width` columns, each line ending in a newline; continuation lines are indented.
    static func wrap(_ text: String, width: Int) -> String {
        var out = "", line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                out += line + "\n"
                line = "  "
            }
            line += (line.isEmpty || line == "  " ? "" : " ") + word
        }
        return out + line + "\n"
    }
}
