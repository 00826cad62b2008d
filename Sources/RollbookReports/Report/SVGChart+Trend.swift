import RollbookDomain
import RollbookProjections

extension SVGChart {
    /// The weekly attendance line against the school's own average this year and the 90% line.
    static func trend(_ data: ReportData) -> String {
        let weeks = data.weeks
        let width = 720.0, height = 250.0
        let left = 40.0, right = 150.0, top = 14.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let values: [Double?] = weeks.map { w in
            w.figures.possibleSessions > 0 ? Double(w.figures.overallAttendance) * 100 / Double(w.figures.possibleSessions) : nil
        }
        let average = data.schoolAttendance.possibleSessions > 0 ? data.schoolAttendance.attendancePercentage : nil
        let lowest = (values.compactMap { $0 } + [average ?? 100, 90]).min() ?? 90
        let yMin = max(0, min(80, (lowest / 10).rounded(.down) * 10 - 5 < 0 ? 0 : (lowest / 10).rounded(.down) * 10))
        func yOf(_ v: Double) -> Double { top + (100 - v) / (100 - yMin) * plotH }
        func xOf(_ i: Int) -> Double { weeks.count <= 1 ? left + plotW / 2 : left + Double(i) * plotW / Double(weeks.count - 1) }
        var c = SVGCanvas(width: width, height: height, label: "Weekly attendance, with the school's average and the 90% line")
        // Grid and axis labels.
        var tick = yMin
        while tick <= 100 {
            c.line(left, yOf(tick), left + plotW, yOf(tick), stroke: "#e0e0e0")
            c.text(left - 4, yOf(tick) + 3.5, "\(Int(tick))%", size: 9, anchor: .end, fill: "#444444")
            tick += yMin >= 80 ? 5 : 10
        }
        c.line(left, top + plotH, left + plotW, top + plotH, stroke: "#888888")
        let step = max(1, (weeks.count + 11) / 12)
        let last = weeks.count - 1
        for (i, week) in weeks.enumerated() where i % step == 0 || (i == last && last % step >= (step + 1) / 2) {
            c.line(xOf(i), top + plotH, xOf(i), top + plotH + 4, stroke: "#888888")
            c.text(xOf(i), top + plotH + 15, HTML.short(week.monday), size: 8.5, anchor: .middle, fill: "#444444")
        }
        c.text(left + plotW / 2, height - 6, "week beginning", size: 9, anchor: .middle, fill: "#444444")
        // The reference lines, each labelled at its right end (dashes, not colour, tell them apart).
        c.line(left, yOf(90), left + plotW, yOf(90), stroke: ReportPalette.vermillion, width: 1.5, dash: "2 3")
        var labels: [(y: Double, text: String, colour: String)] = [(yOf(90), "90% line", ReportPalette.vermillion)]
        if let average {
            c.line(left, yOf(average), left + plotW, yOf(average), stroke: ReportPalette.orange, width: 1.5, dash: "8 4")
            labels.append((yOf(average), "school average \(HTML.percent(data.schoolAttendance.overallAttendance, data.schoolAttendance.possibleSessions))%",
                           "#8a5a00"))
        }
        // The line itself, broken where a week had nothing possible.
        var run: [(Double, Double)] = []
        for (i, v) in values.enumerated() {
            if let v { run.append((xOf(i), yOf(v))) } else {
                if run.count > 1 { c.polyline(run, stroke: ReportPalette.blue) }
                run = []
            }
        }
        if run.count > 1 { c.polyline(run, stroke: ReportPalette.blue) }
        let label = weeks.count <= 14
        for (i, v) in values.enumerated() {
            guard let v else { continue }
            c.circle(xOf(i), yOf(v), 3, fill: ReportPalette.blue, stroke: "#ffffff")
            if label {
                c.text(xOf(i), yOf(v) - 6, HTML.percent(weeks[i].figures.overallAttendance, weeks[i].figures.possibleSessions),
                       size: 8.5, anchor: .middle, fill: "#003a5c")
            }
        }
        if let i = values.lastIndex(where: { $0 != nil }), let v = values[i] {
            labels.append((yOf(v), data.scopeNoun + " (solid)", ReportPalette.blue))
        }
        // Keep the right-hand labels from overlapping.
        labels.sort { $0.y < $1.y }
        var lastY = -100.0
        for l in labels {
            let y = max(l.y + 3.5, lastY + 11)
            c.text(left + plotW + 6, y, l.text, size: 9, fill: l.colour, bold: true)
            lastY = y
        }
        return c.render()
    }
}
