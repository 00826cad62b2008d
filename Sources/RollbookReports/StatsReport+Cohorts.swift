import RollbookDomain
import RollbookLog
import RollbookProjections

/// `rollbook stats --by`: the figures per cohort, in JSON, CSV and text.
extension StatsReport {
    /// The members a cohort carries before the DfE names, in the order they are written.
    public static let cohortNames = ["cohort", "pupils", "persistent_absentees", "severe_absentees", "persistent_absence_perc",
                                     "severe_absence_perc"]

    /// Groups the report's rows into cohorts of a kind (the same rows, so the same figures).
    public func cohorts(by kind: CohortFigures.Kind, state: LedgerState) -> CohortFigures {
        CohortFigures(kind: kind, pupils: rows.map { (state.pupils[$0.pupil], $0.figures) })
    }

    /// A share of pupils unrounded (the nearest double to part × 100 ÷ whole), or nil for no pupils.
    public static func cohortPercent(_ part: Int, _ whole: Int) -> String? {
        guard whole > 0 else { return nil }
        let value = Double(part * 100) / Double(whole)
        return value == value.rounded() ? String(Int(value)) : "\(value)"
    }

    /// The values of ``cohortNames`` for a cohort, as JSON.
    static func cohortValues(_ c: CohortFigures.Cohort) -> [JSONValue] {
        [.string(c.value), .number(String(c.pupils)), .number(String(c.persistentAbsentees)), .number(String(c.severeAbsentees)),
         cohortPercent(c.persistentAbsentees, c.pupils).map { .number($0) } ?? .null,
         cohortPercent(c.severeAbsentees, c.pupils).map { .number($0) } ?? .null]
    }

    /// A cohort's members, then the figures' names (as `total` has them), then `by_code`.
    static func cohortObject(_ c: CohortFigures.Cohort) -> JSONValue {
        .object(zip(cohortNames, cohortValues(c)).map { JSONMember(key: $0.0, value: $0.1) }
            + zip(names, values(c.figures)).map { JSONMember(key: $0.0, value: $0.1) }
            + [JSONMember(key: "by_code", value: byCode(c.figures))])
    }

    /// `"by"` and `"cohorts"` for the JSON output, when `--by` was given.
    var cohortMembers: [JSONMember] {
        guard let cohorts else { return [] }
        return [JSONMember(key: "by", value: .string(cohorts.kind.rawValue)),
                JSONMember(key: "cohorts", value: .array(cohorts.cohorts.map(StatsReport.cohortObject)))]
    }

    /// A JSON value as a CSV cell.
    static func cell(_ v: JSONValue) -> String {
        switch v {
        case .number(let t), .string(let t): return t
        case .bool(let b): return b ? "true" : "false"
        default: return ""
        }
    }

    /// One row per cohort, then every pupil together as `total`.
    func renderCSV(_ cohorts: CohortFigures) -> String {
        let codes = total.byCode.keys.sorted()
        return TextTable.csv(["by"] + StatsReport.cohortNames + StatsReport.names + codes.map(\.text),
                             (cohorts.cohorts + [cohorts.total]).map { c in
                                 [cohorts.kind.rawValue] + StatsReport.cohortValues(c).map(StatsReport.cell)
                                     + StatsReport.values(c.figures).map(StatsReport.cell) + codes.map { String(c.figures.byCode[$0] ?? 0) }
                             }) + "\n"
    }

    /// The cohort table (rounded to two places), then the total in words.
    func renderText(_ cohorts: CohortFigures) -> String {
        func pct(_ p: Int, _ w: Int) -> String { StatsReport.percent(p, w) ?? "-" }
        var out = "By \(StatsReport.kindTitle(cohorts.kind)):\n"
        out += TextTable.render(["Cohort", "Pupils", "Possible", "Attend%", "Absence%", "Persistent", "PA%", "Severe", "SA%"],
                                (cohorts.cohorts + [cohorts.total]).map { c in
                                    let f = c.figures
                                    return [c.value == "total" && c == cohorts.total ? "All" : StatsReport.cohortLabel(c), String(c.pupils),
                                            String(f.possibleSessions), pct(f.overallAttendance, f.possibleSessions),
                                            pct(f.overallAbsence, f.possibleSessions), String(c.persistentAbsentees),
                                            pct(c.persistentAbsentees, c.pupils), String(c.severeAbsentees), pct(c.severeAbsentees, c.pupils)]
                                }) + "\n"
        out += StatsReport.wrapped("Attend% is overall attendance and Absence% overall absence of the possible sessions; PA% and "
            + "SA% are the cohort's pupils in persistent (absence >= 10%) and severe (>= 50%) absence, as shares of its pupils "
            + "(rounded here, unrounded in CSV and JSON).")
        let codes = total.byCode.keys.sorted().map { "\($0.text) \(total.byCode[$0] ?? 0)" }
        out += StatsReport.wrapped("Sessions by code: " + (codes.isEmpty ? "none" : codes.joined(separator: ", ")))
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

    /// Words wrapped at 100 columns, each line ending in a newline; continuation lines indented by two.
    static func wrapped(_ text: String, width: Int = 100) -> String {
        var out = "", line = ""
        for word in text.split(separator: " ") {
            if !line.allSatisfy({ $0 == " " }) && line.count + 1 + word.count > width {
                out += line + "\n"
                line = "  "
            }
            line += (line.allSatisfy { $0 == " " } ? "" : " ") + word
        }
        return out + line + "\n"
    }
}
