import RollbookDomain
import RollbookProjections

extension SVGChart {
    /// A row of the cohort comparison.
    struct CohortRow {
        var label: String
        var heading: Bool
        var figures: AttendanceFigures
        var pupils: Int
        var persistent: Int
        var severe: Int
    }

    /// Attendance, persistent absence and severe absence side by side: three panels of labelled bars.
    static func cohorts(_ rows: [CohortRow]) -> String {
        let width = 720.0, rowH = 17.0, labelW = 150.0, panelGap = 14.0, headerH = 30.0
        let panelW = (width - labelW - 2 * panelGap) / 3
        var c = SVGCanvas(width: width, height: headerH + Double(rows.count) * rowH + 6,
                          label: "Attendance, persistent and severe absence by cohort")
        let panels: [(title: String, colour: String, hatch: Bool, cross: Bool)] = [
            ("Attendance %", ReportPalette.blue, false, false),
            ("Persistent absence, % of pupils", ReportPalette.orange, true, false),
            ("Severe absence, % of pupils", ReportPalette.vermillion, true, true),
        ]
        for (p, panel) in panels.enumerated() {
            let x0 = labelW + Double(p) * (panelW + panelGap)
            c.text(x0, 12, panel.title, size: 9.5, bold: true)
            c.text(x0, 25, "0", size: 8, fill: "#666666")
            c.text(x0 + panelW, 25, "100", size: 8, anchor: .end, fill: "#666666")
        }
        for (r, row) in rows.enumerated() {
            let y = headerH + Double(r) * rowH
            if row.heading {
                c.text(0, y + 12, row.label, size: 9.5, bold: true)
                c.line(0, y + rowH - 1.5, width, y + rowH - 1.5, stroke: "#dddddd")
                continue
            }
            c.text(labelW - 6, y + 12, "\(row.label) (\(row.pupils))", size: 9, anchor: .end)
            let values: [(Int, Int)] = [(row.figures.overallAttendance, row.figures.possibleSessions),
                                        (row.persistent, row.pupils), (row.severe, row.pupils)]
            for (p, panel) in panels.enumerated() {
                let x0 = labelW + Double(p) * (panelW + panelGap)
                c.rect(x0, y + 2, panelW, rowH - 5, fill: "#f2f2f2")
                let (part, whole) = values[p]
                guard whole > 0 else {
                    c.text(x0 + 3, y + 12, "no pupils", size: 8.5, fill: "#666666")
                    continue
                }
                let w = Double(part) / Double(whole) * panelW
                if w > 0 {
                    c.rect(x0, y + 2, w, rowH - 5, fill: panel.colour)
                    if panel.hatch { c.hatch(x0, y + 2, w, rowH - 5, stroke: "#ffffff", spacing: 4, cross: panel.cross) }
                }
                let text = HTML.percent(part, whole) + "%"
                if w > panelW - 40 {
                    c.rect(x0 + w - 37, y + 3.5, 35, rowH - 8, fill: "#ffffff")
                    c.text(x0 + w - 3, y + 11.5, text, size: 8.5, anchor: .end, bold: true)
                } else {
                    c.text(x0 + w + 3, y + 11.5, text, size: 8.5, bold: true)
                }
            }
        }
        return c.render()
    }
}
