import RollbookDomain
import RollbookLog
import RollbookProjections

/// `rollbook report`: one self-contained HTML page (inline CSS and SVG, no script, no reference to any
/// other file or address) that prints on A4.
///
/// Every figure it prints is also in an element with a `data-` attribute holding the value exactly as
/// `stats` or `stages` gives it in JSON, so the page can be checked against them.
public struct HTMLReport: Sendable {
    /// The data drawn.
    public var data: ReportData

    /// Creates the report.
    public init(data: ReportData) { self.data = data }

    var isPupil: Bool { if case .pupil = data.scope { return true } else { return false } }

    /// The whole page.
    public func render() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<title>" + HTML.escape("\(data.schoolName): attendance report, \(data.title), \(data.on)") + "</title>\n"
        out += "<style>\n" + HTMLReport.css + "</style>\n</head>\n<body>\n"
        out += header() + keyFigures() + calendar() + trend() + stages() + cohorts() + footer()
        out += "</body>\n</html>\n"
        return out
    }

    static let css = """
        @page { size: A4 portrait; margin: 12mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
               color: #111; background: #fff; margin: 0 auto; padding: 16px; max-width: 190mm; font-size: 10.5pt; line-height: 1.35; }
        h1 { font-size: 17pt; margin: 0 0 2px 0; }
        h2 { font-size: 13pt; margin: 18px 0 6px 0; border-bottom: 1.5px solid #0072b2; padding-bottom: 2px; }
        h3 { font-size: 11pt; margin: 10px 0 4px 0; }
        p { margin: 3px 0; }
        .scope { font-size: 12pt; font-weight: 600; }
        .axes { font-size: 11pt; }
        .note { color: #444; font-size: 9pt; }
        section { margin-bottom: 10px; }
        svg { display: block; width: 100%; height: auto; margin: 6px 0; }
        table { border-collapse: collapse; font-size: 9pt; margin: 4px 0; }
        th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; vertical-align: top; }
        th:first-child, td:first-child { text-align: left; }
        td.text, th.text { text-align: left; }
        thead th { background: #f0f0f0; }
        tr.kind td { background: #f7f7f7; font-weight: 600; }
        .figures td:first-child { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
        ul.key { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 8.5pt; }
        ul.key li { display: flex; align-items: center; gap: 4px; }
        ul.key svg { width: 30px; height: 16px; margin: 0; display: inline-block; }
        ol.weeks { columns: 3; column-gap: 18px; font-size: 8.5pt; padding-left: 0; list-style: none; margin: 4px 0; }
        ol.weeks li { break-inside: avoid; }
        .current { font-size: 11pt; }
        footer { margin-top: 16px; border-top: 1px solid #ccc; padding-top: 4px; }
        @media print {
          body { padding: 0; max-width: none; font-size: 9.5pt; }
          h2 { break-after: avoid; }
          figure, table, svg, ul.key { break-inside: avoid; }
          section.calendar, section.trend, section.stages { break-before: auto; }
        }
        figure { margin: 0; }

        """

    func header() -> String {
        let known = data.asOf.map { "as known at \($0)" } ?? "as known at \(data.knownAt) (everything recorded)"
        var out = "<header>\n<h1>" + HTML.escape(data.schoolName) + " — attendance</h1>\n"
        out += "<p class=\"scope\" data-scope=\"" + HTML.escape(scopeID) + "\">" + HTML.escape(data.title) + "</p>\n"
        out += "<p class=\"axes\" data-on=\"\(data.on)\" data-as-of=\"" + HTML.escape(data.asOf?.description ?? "") + "\">"
            + "<strong>On \(data.on)</strong>, " + HTML.escape(known) + ".</p>\n"
        out += "<p class=\"note\">The school's calendar and what the ledger knew are two separate axes: figures cover the academic "
            + "year to date (\(data.stats.from) to \(data.stats.to)) with the marks the ledger held at that moment. URN "
            + HTML.escape(data.urn) + "; stage policy " + HTML.escape(data.policy.id) + " (" + HTML.escape(data.policy.name) + ").</p>\n"
        return out + "</header>\n"
    }

    var scopeID: String {
        switch data.scope {
        case .school: return "school"
        case .group(let g): return "group:\(g)"
        case .pupil: return "upn:\(data.upn ?? "")"
        }
    }

    /// The figures `stats` gives in its `total`, with the same names and values.
    func keyFigures() -> String {
        let f = data.stats.total
        var out = "<section class=\"figures\">\n<h2>Figures this year</h2>\n"
        let pa = data.stats.rows.filter { $0.figures.isPersistentAbsence }.count
        let sa = data.stats.rows.filter { $0.figures.isSevereAbsence }.count
        out += "<p>Attendance <strong>" + HTML.percent(f.overallAttendance, f.possibleSessions) + "%</strong> of "
            + "\(f.possibleSessions) possible sessions"
        if !isPupil {
            out += " for \(data.stats.rows.count) \(data.stats.rows.count == 1 ? "pupil" : "pupils"); <strong>\(pa)</strong> in persistent "
                + "absence (10% or more of their sessions), <strong>\(sa)</strong> in severe absence (50% or more)"
        } else {
            out += f.isSevereAbsence ? "; severe absence (50% or more)" : f.isPersistentAbsence ? "; persistent absence (10% or more)" : ""
        }
        out += ".</p>\n<table>\n<thead><tr><th>DfE figure</th><th>Value</th><th class=\"text\">Meaning</th></tr></thead>\n<tbody>\n"
        let meanings = ["possible sessions (closures and non-possible codes excluded)", "present (/ \\ L)",
                        "approved educational activity", "present + approved activity", "authorised absence",
                        "unauthorised absence", "authorised + unauthorised", "late (L and U)", "overall attendance ÷ possible × 100",
                        "overall absence ÷ possible × 100", "absence ≥ 10% of possible", "absence ≥ 50% of possible"]
        for (i, (name, value)) in zip(StatsReport.names, StatsReport.values(f)).enumerated() {
            let exact = StatsReport.cell(value)
            let shown: String
            switch name {
            case "attendance_perc": shown = HTML.percent(f.overallAttendance, f.possibleSessions) + "%"
            case "overall_absence_perc": shown = HTML.percent(f.overallAbsence, f.possibleSessions) + "%"
            case "persistent_absence", "severe_absence": shown = exact == "true" ? "yes" : "no"
            default: shown = exact
            }
            out += "<tr><td>\(name)</td><td data-stat=\"\(name)\" data-value=\"" + HTML.escape(exact) + "\">" + HTML.escape(shown)
                + "</td><td class=\"text\">" + HTML.escape(meanings[i]) + "</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</section>\n"
        return out
    }

    func calendar() -> String {
        var out = "<section class=\"calendar\">\n<h2>Calendar</h2>\n"
        if isPupil {
            out += "<p class=\"note\">Each school day is split into its morning (left) and afternoon (right) session, showing the "
                + "code recorded and coloured by the code's category. Closures are hatched and show their code.</p>\n"
        } else {
            out += "<p class=\"note\">Each school day shows its attendance: overall attendance as a percentage of the possible "
                + "sessions marked that day. Closed days are hatched and show their code; holidays are grey.</p>\n"
        }
        out += "<figure>" + SVGChart.calendar(data) + "</figure>\n" + SVGChart.calendarKey(pupil: isPupil) + "\n"
        let closures = data.days.compactMap { day -> String? in
            if case .closed(let code, let reason) = day.kind { return "\(day.date) \(code) (\(reason))" }
            if let p = day.partialClosure { return "\(day.date) \(p)" }
            return nil
        }
        if !closures.isEmpty {
            out += "<p class=\"note\">Closures: " + HTML.escape(closures.joined(separator: "; ")) + ".</p>\n"
        }
        return out + "</section>\n"
    }

    func trend() -> String {
        var out = "<section class=\"trend\">\n<h2>Weekly attendance</h2>\n"
        let s = data.schoolAttendance
        out += "<p class=\"note\">Attendance of \(HTML.escape(data.scopeNoun)) each school week (solid line), against the school's own "
            + "average this year (long dashes, <span data-school-average=\"" + HTML.escape(HTML.exact(s.overallAttendance, s.possibleSessions))
            + "\">" + HTML.percent(s.overallAttendance, s.possibleSessions) + "%</span>) and the 90% line (short dashes; below it "
            + "is persistent absence).</p>\n"
        out += "<figure>" + SVGChart.trend(data) + "</figure>\n<ol class=\"weeks\">\n"
        for w in data.weeks {
            let f = w.figures
            out += "<li data-week=\"\(w.monday)\" data-possible=\"\(f.possibleSessions)\" data-attended=\"\(f.overallAttendance)\">"
                + "w/c \(HTML.short(w.monday)): <strong>" + HTML.percent(f.overallAttendance, f.possibleSessions)
                + (f.possibleSessions > 0 ? "%" : "") + "</strong> (\(f.overallAttendance) of \(f.possibleSessions))</li>\n"
        }
        return out + "</ol>\n</section>\n"
    }

    func stages() -> String {
        var out = "<section class=\"stages\">\n<h2>Stages (" + HTML.escape(data.policy.id) + " policy)</h2>\n"
        if isPupil {
            guard let now = data.stages.first else {
                return out + "<p>The pupil is not on roll on \(data.on).</p>\n</section>\n"
            }
            out += "<p class=\"current\">Stage on \(data.on): <strong data-stage-now=\"" + HTML.escape(now.stage) + "\" data-since=\"\(now.since)\">"
                + HTML.escape(now.stage) + "</strong> since \(now.since)"
                + (now.flags.isEmpty ? "" : "; flags: <span data-flags=\"" + HTML.escape(now.flags.joined(separator: " ")) + "\">"
                    + HTML.escape(now.flags.joined(separator: ", ")) + "</span>") + ".</p>\n"
            out += "<p class=\"note\">" + HTML.escape(now.reason) + "</p>\n"
            out += "<figure>" + SVGChart.stageHistory(data) + "</figure>\n"
            out += "<h3>Stage over time</h3>\n<table>\n<thead><tr><th>From</th><th class=\"text\">To</th><th class=\"text\">Stage</th></tr></thead>\n<tbody>\n"
            let firstDay = data.days.first { $0.kind != .holiday }?.date ?? data.on
            for span in data.stageHistory where span.to >= firstDay {
                let stage = span.stageIndex.map { data.policy.stages[$0].id } ?? "not on roll"
                out += "<tr><td>\(max(span.from, firstDay))</td><td class=\"text\">\(span.to)</td><td class=\"text\">" + HTML.escape(stage) + "</td></tr>\n"
            }
            out += "</tbody>\n</table>\n<h3>Interventions this year</h3>\n"
            if data.interventions.isEmpty {
                out += "<p>None recorded.</p>\n"
            } else {
                out += "<table>\n<thead><tr><th>No.</th><th class=\"text\">Date</th><th class=\"text\">Action</th><th class=\"text\">Note</th></tr></thead>\n<tbody>\n"
                for (n, i) in data.interventions.enumerated() {
                    out += "<tr><td>\(n + 1)</td><td class=\"text\">\(i.date)</td><td class=\"text\">" + HTML.escape(i.action)
                        + "</td><td class=\"text\">" + HTML.escape(i.note ?? "") + "</td></tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
            return out + "</section>\n"
        }
        out += "<p class=\"note\">Pupils on roll on \(data.on) at each stage of the policy, as <code>rollbook stages</code> gives them.</p>\n"
        out += "<figure>" + SVGChart.ladder(data) + "</figure>\n"
        out += "<table>\n<thead><tr><th>Stage</th><th>Pupils</th><th class=\"text\">Name</th></tr></thead>\n<tbody>\n"
        for stage in data.policy.stages {
            let n = data.stages.filter { $0.stage == stage.id }.count
            out += "<tr><td>" + HTML.escape(stage.id) + "</td><td data-stage=\"" + HTML.escape(stage.id) + "\" data-value=\"\(n)\">\(n)</td>"
                + "<td class=\"text\">" + HTML.escape(stage.name) + "</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if !data.stageWeeks.isEmpty {
            out += "<h3>Week by week</h3>\n<p class=\"note\">Pupils on roll at each stage at the end of each school week "
                + "(the stage each pupil's <code>since</code> is counted from), the last stage at the bottom.</p>\n"
            out += "<figure>" + SVGChart.stageWeeks(data) + "</figure>\n" + SVGChart.stageKey(data.policy) + "\n<ol class=\"weeks\">\n"
            for week in data.stageWeeks {
                let parts = zip(data.policy.stages, week.counts).filter { $0.1 > 0 }.map { "\($0.0.id) \($0.1)" }
                out += "<li data-stage-week=\"\(week.date)\" data-counts=\"" + HTML.escape(week.counts.map(String.init).joined(separator: " ")) + "\">"
                    + HTML.short(week.date) + ": " + HTML.escape(parts.isEmpty ? "nobody on roll" : parts.joined(separator: ", ")) + "</li>\n"
            }
            out += "</ol>\n"
        }
        var flags: [String: Int] = [:]
        for p in data.stages { for f in p.flags { flags[f, default: 0] += 1 } }
        if flags.isEmpty {
            out += "<p>No pupil has a flag.</p>\n"
        } else {
            out += "<p>Flags: " + flags.keys.sorted().map { f in
                "<span data-flag=\"" + HTML.escape(f) + "\" data-value=\"\(flags[f] ?? 0)\">" + HTML.escape(f) + " \(flags[f] ?? 0)</span>"
            }.joined(separator: ", ") + ".</p>\n"
        }
        return out + "</section>\n"
    }

    func cohorts() -> String {
        var out = "<section class=\"cohorts\">\n<h2>Cohorts</h2>\n"
        var rows: [SVGChart.CohortRow] = []
        var table = ""
        func add(_ c: CohortFigures.Cohort, label: String, key: String?) {
            rows.append(SVGChart.CohortRow(label: label, heading: false, figures: c.figures, pupils: c.pupils,
                                           persistent: c.persistentAbsentees, severe: c.severeAbsentees))
            let f = c.figures
            func cell(_ field: String, _ exact: String, _ shown: String) -> String {
                guard let key else { return "<td>" + HTML.escape(shown) + "</td>" }
                return "<td data-cohort=\"" + HTML.escape(key) + "\" data-field=\"\(field)\" data-value=\"" + HTML.escape(exact) + "\">"
                    + HTML.escape(shown) + "</td>"
            }
            let values = StatsReport.values(f).map(StatsReport.cell)
            table += "<tr><td>" + HTML.escape(label) + "</td>"
                + cell("pupils", String(c.pupils), String(c.pupils))
                + cell("possible_sessions", String(f.possibleSessions), String(f.possibleSessions))
                + cell("attendance_perc", values[8], HTML.percent(f.overallAttendance, f.possibleSessions))
                + cell("persistent_absentees", String(c.persistentAbsentees), String(c.persistentAbsentees))
                + cell("persistent_absence_perc", HTML.exact(c.persistentAbsentees, c.pupils), HTML.percent(c.persistentAbsentees, c.pupils))
                + cell("severe_absentees", String(c.severeAbsentees), String(c.severeAbsentees))
                + cell("severe_absence_perc", HTML.exact(c.severeAbsentees, c.pupils), HTML.percent(c.severeAbsentees, c.pupils))
                + "</tr>\n"
        }
        if isPupil {
            out += "<p class=\"note\">This pupil beside the whole school and the cohorts the pupil belongs to "
                + "(<code>rollbook stats --by</code>); persistent and severe absence are shares of each cohort's pupils.</p>\n"
            let me = data.stats.total
            add(CohortFigures.Cohort.single(me), label: "this pupil", key: nil)
            if let school = data.cohorts.first?.total { add(school, label: "whole school", key: "total") }
            for cohorts in data.cohorts {
                guard let value = data.pupilCohorts[cohorts.kind], let c = cohorts.cohorts.first(where: { $0.value == value }) else { continue }
                add(c, label: StatsReport.cohortLabel(c), key: "\(cohorts.kind.rawValue):\(c.value)")
            }
        } else {
            out += "<p class=\"note\">The figures of <code>rollbook stats --by</code> for "
                + (data.scopeNoun == "the school" ? "the school" : HTML.escape(data.scopeNoun))
                + ": attendance of each cohort's possible sessions, and the share of its pupils in persistent (10% or more) and "
                + "severe (50% or more) absence. The number of pupils is in brackets.</p>\n"
            for cohorts in data.cohorts {
                let title = StatsReport.kindTitle(cohorts.kind)
                rows.append(SVGChart.CohortRow(label: title.prefix(1).uppercased() + title.dropFirst(), heading: true, figures: AttendanceFigures(),
                                               pupils: 0, persistent: 0, severe: 0))
                table += "<tr class=\"kind\"><td colspan=\"8\">" + HTML.escape(title.prefix(1).uppercased() + title.dropFirst()) + "</td></tr>\n"
                for c in cohorts.cohorts { add(c, label: StatsReport.cohortLabel(c), key: "\(cohorts.kind.rawValue):\(c.value)") }
            }
        }
        out += "<figure>" + SVGChart.cohorts(rows) + "</figure>\n"
        out += "<table>\n<thead><tr><th>Cohort</th><th>Pupils</th><th>Possible</th><th>Attendance %</th><th>Persistent</th>"
            + "<th>PA % of pupils</th><th>Severe</th><th>SA % of pupils</th></tr></thead>\n<tbody>\n" + table + "</tbody>\n</table>\n"
        return out + "</section>\n"
    }

    func footer() -> String {
        var scope = ""
        switch data.scope {
        case .school: break
        case .group(let g): scope = " --group " + g
        case .pupil: scope = " --upn " + (data.upn ?? "")
        }
        let asOf = data.asOf.map { " --as-of \($0)" } ?? ""
        let cohorts = isPupil ? "rollbook stats --to \(data.on)\(asOf) --by pp" : "rollbook stats --to \(data.on)\(asOf)\(scope) --by pp"
        return "<footer class=\"note\"><p>Written by Rollbook from the school's ledger. The same figures: "
            + "<code>" + HTML.escape("rollbook stats --to \(data.on)\(asOf)\(scope)") + "</code>, "
            + "<code>" + HTML.escape(cohorts) + "</code> (and --by fsm, sen, ehcp, year, group) and "
            + "<code>" + HTML.escape("rollbook stages --on \(data.on)\(asOf)") + "</code>.</p></footer>\n"
    }
}
