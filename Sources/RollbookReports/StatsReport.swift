import RollbookDomain
import RollbookLog
import RollbookProjections

/// Attendance figures with the DfE names (PRODUCT.md section 6), per pupil and in total, over a date range.
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
            .map { Row(upn: $0.upn, group: $0.group, name: "\($0.surname), \($0.forename)", pupil: $0.index, figures: state.figures(for: $0, from: from, to: to)) }
        total = rows.reduce(AttendanceFigures()) { $0 + $1.figures }
        cohorts = by.map { kind in CohortFigures(kind: kind, pupils: rows.map { (state.pupils[$0.pupil], $0.figures) }) }
    }

    /// A percentage to two places (half up), or nil when nothing was possible (text output).
    static func percent(_ part: Int, _ whole: Int) -> String? {
        guard whole > 0 else { return nil }
        let h = (part * 20_000 + whole) / (2 * whole)
        return "\(h / 100).\(h % 100 < 10 ? "0" : "")\(h % 100)"
    }

    /// A percentage unrounded, as DfE's own data files publish them (JSON and CSV), or nil when nothing was possible.
    static func exactPercent(_ part: Int, _ whole: Int) -> String? {
        guard whole > 0 else { return nil }
        return "\(Double(part) * 100 / Double(whole))"
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

    static func byCode(_ f: AttendanceFigures) -> JSONValue {
        .object(f.byCode.keys.sorted().map { JSONMember(key: $0.text, value: .number(String(f.byCode[$0]!))) })
    }

    /// Renders the report.
    public func render(_ format: OutputFormat) -> String {
        let out = renderUnescaped(format)
        // Text goes to a terminal: no value may carry a control character into it.
        return format == .text ? TextEscaping.text(out, keepNewlines: true) : out
    }

    func renderUnescaped(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            func object(_ f: AttendanceFigures, _ leading: [JSONMember]) -> JSONValue {
                .object(leading + zip(StatsReport.names, StatsReport.values(f)).map { JSONMember(key: $0.0, value: $0.1) }
                    + [JSONMember(key: "by_code", value: StatsReport.byCode(f))])
            }
            // `total` holds exactly the section 6 names (each a sum over `pupils`); the counts of
            // persistent and severe absentees sit beside it.
            return JSONWriter.pretty(.object([
                JSONMember(key: "from", value: .string(from.description)),
                JSONMember(key: "to", value: .string(to.description)),
                JSONMember(key: "as_of", value: asOf.map { .string($0.description) } ?? .null),
                JSONMember(key: "total", value: object(total, [])),
                JSONMember(key: "pupils", value: .array(rows.map {
                    object($0.figures, [JSONMember(key: "upn", value: .string($0.upn)), JSONMember(key: "group", value: .string($0.group))])
                })),
                JSONMember(key: "persistent_absentees", value: .number(String(rows.filter { $0.figures.isPersistentAbsence }.count))),
                JSONMember(key: "severe_absentees", value: .number(String(rows.filter { $0.figures.isSevereAbsence }.count))),
            ] + cohortMembers)) + "\n"
        case .csv:
            if let cohorts { return renderCSV(cohorts) }
            let codes = total.byCode.keys.sorted()
            func line(_ upn: String, _ group: String, _ f: AttendanceFigures) -> [String] {
                [upn, group] + StatsReport.values(f).map { v in
                    switch v {
                    case .number(let t): return t
                    case .bool(let b): return b ? "true" : "false"
                    default: return ""
                    }
                } + codes.map { String(f.byCode[$0] ?? 0) }
            }
            return TextTable.csv(["upn", "group"] + StatsReport.names + codes.map(\.text),
                                 rows.map { line($0.upn, $0.group, $0.figures) } + [line("total", "", total)]) + "\n"
        case .text:
            var out = "Attendance from \(from) to \(to)" + (asOf.map { ", as it stood at \($0)" } ?? "") + "\n"
            if let cohorts { return out + renderText(cohorts) }
            func cells(_ f: AttendanceFigures) -> [String] {
                [String(f.possibleSessions), String(f.presentSessions), String(f.approvedEducationalActivity),
                 String(f.authorisedAbsence), String(f.unauthorisedAbsence), String(f.lateSessions),
                 StatsReport.percent(f.overallAttendance, f.possibleSessions) ?? "-",
                 StatsReport.percent(f.overallAbsence, f.possibleSessions) ?? "-",
                 f.isSevereAbsence ? "SA" : f.isPersistentAbsence ? "PA" : ""]
            }
            out += TextTable.fitted(["Group", "UPN", "Name", "Poss", "Pres", "AEA", "Auth", "Unauth", "Late", "Att%", "Abs%", "PA/SA"],
                                    rows.map { [$0.group, $0.upn, $0.name] + cells($0.figures) }
                                        + [["Total", "\(rows.count) pupils", ""] + cells(total)], shrink: 2) + "\n"
            out += TextTable.paragraph("Poss possible sessions; Pres present; AEA approved educational activity; Auth and Unauth "
                + "authorised and unauthorised absence; Late L and U; Att% overall attendance (Pres + AEA) and Abs% overall "
                + "absence (Auth + Unauth) of Poss, rounded here (unrounded in CSV and JSON); PA persistent absence "
                + "(>= 10%), SA severe (>= 50%).") + "\n"
            let codes = total.byCode.keys.sorted().map { "\($0.text) \(total.byCode[$0]!)" }
            out += TextTable.paragraph((codes.isEmpty ? "none" : codes.joined(separator: ", ")), lead: "Sessions by code: ", indent: 2) + "\n"
            out += "Persistent absentees (absence >= 10%): \(rows.filter { $0.figures.isPersistentAbsence }.count); "
                + "severe (>= 50%): \(rows.filter { $0.figures.isSevereAbsence }.count).\n"
            return out
        }
    }
}
