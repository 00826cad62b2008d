import RollbookDomain
import RollbookProjections

extension SVGChart {
    /// How many pupils are at each stage of the policy: one labelled bar per stage, first stage at the top.
    static func ladder(_ data: ReportData) -> String {
        let counts = data.policy.stages.map { stage in data.stages.filter { $0.stage == stage.id }.count }
        let most = max(1, counts.max() ?? 1)
        let width = 720.0, rowH = 24.0, labelW = 200.0, barMax = 440.0
        var c = SVGCanvas(width: width, height: Double(counts.count) * rowH + 8,
                          label: "Pupils at each stage of the \(data.policy.id) policy")
        for (i, stage) in data.policy.stages.enumerated() {
            let y = Double(i) * rowH + 4
            c.text(labelW - 8, y + 14, stage.id, size: 10, anchor: .end, bold: true)
            c.rect(labelW, y + 2, barMax, rowH - 6, fill: "#f2f2f2")
            let w = Double(counts[i]) / Double(most) * barMax
            if counts[i] > 0 { c.rect(labelW, y + 2, max(w, 2), rowH - 6, fill: ReportPalette.blue) }
            c.text(labelW + max(w, 2) + 5, y + 15, "\(counts[i]) \(counts[i] == 1 ? "pupil" : "pupils")", size: 10)
        }
        return c.render()
    }

    /// One pupil's stage day by day (a step line on the policy's rungs) with the interventions marked and numbered.
    static func stageHistory(_ data: ReportData) -> String {
        let stages = data.policy.stages
        let width = 720.0, rowH = 22.0, left = 150.0, right = 16.0, top = 8.0
        let plotW = width - left - right, plotH = Double(stages.count) * rowH
        let first = data.days.first { $0.kind != .holiday }?.date ?? data.on.academicYearStart
        let start = min(first, data.on), end = data.on
        let span = Double(max(1, end.day - start.day))
        func xOf(_ d: SchoolDate) -> Double { left + Double(min(max(d.day, start.day), end.day) - start.day) / span * plotW }
        func yOf(_ s: Int) -> Double { top + (Double(s) + 0.5) * rowH }
        var c = SVGCanvas(width: width, height: top + plotH + 44, label: "The pupil's stage over time, with interventions")
        for (i, stage) in stages.enumerated() {
            c.line(left, yOf(i), left + plotW, yOf(i), stroke: "#e4e4e4")
            c.text(left - 8, yOf(i) + 3.5, stage.id, size: 9.5, anchor: .end)
        }
        c.line(left, top + plotH, left + plotW, top + plotH, stroke: "#888888")
        // Month ticks.
        var d = start
        while d <= end {
            if d.components.day == 1 || d == start {
                c.line(xOf(d), top + plotH, xOf(d), top + plotH + 4, stroke: "#888888")
                c.text(xOf(d) + 2, top + plotH + 14, HTML.short(d), size: 8.5, fill: "#444444")
            }
            d = d.adding(days: 1)
        }
        var previous: (x: Double, y: Double)?
        for s in data.stageHistory where s.to >= start {
            guard let stage = s.stageIndex else { previous = nil; continue }
            let x1 = xOf(max(s.from, start)), x2 = xOf(s.to.adding(days: 1) > end ? end : s.to.adding(days: 1))
            if let p = previous { c.line(p.x, p.y, x1, yOf(stage), stroke: ReportPalette.blue, width: 1.5) }
            c.line(x1, yOf(stage), max(x2, x1 + 1.5), yOf(stage), stroke: ReportPalette.blue, width: 5)
            previous = (max(x2, x1 + 1.5), yOf(stage))
        }
        for (n, intervention) in data.interventions.enumerated() {
            let x = xOf(intervention.date)
            c.line(x, top, x, top + plotH, stroke: ReportPalette.vermillion, width: 1, dash: "3 2")
            c.polygon([(x, top + plotH + 18), (x - 5, top + plotH + 27), (x + 5, top + plotH + 27)], fill: ReportPalette.vermillion)
            c.text(x, top + plotH + 38, String(n + 1), size: 9, anchor: .middle, bold: true,
                   extra: [("data-intervention", intervention.date.description)])
        }
        return c.render()
    }
}

extension SVGChart {
    /// Viridis, light to dark, for stages in policy order (first stage lightest).
    static let viridis = ["#fde725", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e", "#440154"]

    /// The colour and text colour of stage `i` of `n`.
    static func stageColour(_ i: Int, of n: Int) -> (fill: String, text: String) {
        let k = n <= 1 ? 0 : Int((Double(i) * Double(viridis.count - 1) / Double(n - 1)).rounded())
        return (viridis[k], k < 4 ? "#000000" : "#ffffff")
    }

    /// Pupils at each stage at the end of each school week: one stacked column per week, the last
    /// stage at the bottom, counts written in the segments that have room.
    static func stageWeeks(_ data: ReportData) -> String {
        let weeks = data.stageWeeks
        let n = data.policy.stages.count
        let width = 720.0, height = 230.0, left = 44.0, right = 8.0, top = 10.0, bottom = 34.0
        let plotW = width - left - right, plotH = height - top - bottom
        let most = max(1, weeks.map { $0.counts.reduce(0, +) }.max() ?? 1)
        var c = SVGCanvas(width: width, height: height, label: "Pupils at each stage at the end of each school week")
        c.line(left, top + plotH, left + plotW, top + plotH, stroke: "#888888")
        for fraction in [0.0, 0.5, 1.0] {
            let v = Int((Double(most) * fraction).rounded())
            let y = top + plotH - Double(v) / Double(most) * plotH
            c.line(left - 3, y, left, y, stroke: "#888888")
            c.text(left - 5, y + 3.5, String(v), size: 8.5, anchor: .end, fill: "#444444")
        }
        let slot = plotW / Double(max(1, weeks.count))
        let barW = max(2, slot * 0.78)
        let step = max(1, (weeks.count + 11) / 12)
        for (w, week) in weeks.enumerated() {
            let x = left + Double(w) * slot + (slot - barW) / 2
            var y = top + plotH
            for s in stride(from: n - 1, through: 0, by: -1) where week.counts[s] > 0 {
                let h = Double(week.counts[s]) / Double(most) * plotH
                let colour = stageColour(s, of: n)
                c.rect(x, y - h, barW, h, fill: colour.fill, stroke: "#ffffff")
                if h >= 11 && barW >= 16 {
                    c.text(x + barW / 2, y - h / 2 + 3.5, String(week.counts[s]), size: 8, anchor: .middle, fill: colour.text)
                }
                y -= h
            }
            if w % step == 0 {
                c.text(x + barW / 2, top + plotH + 13, HTML.short(week.date), size: 8.5, anchor: .middle, fill: "#444444")
            }
        }
        c.text(left + plotW / 2, height - 5, "end of school week", size: 9, anchor: .middle, fill: "#444444")
        return c.render()
    }

    /// The key of the stage colours, in policy order.
    static func stageKey(_ policy: StagePolicy) -> String {
        var items: [String] = []
        for (i, stage) in policy.stages.enumerated() {
            let colour = stageColour(i, of: policy.stages.count)
            var c = SVGCanvas(width: 30, height: 16, label: stage.id)
            c.rect(0.5, 0.5, 29, 15, fill: colour.fill, stroke: "#888888")
            c.text(15, 12, String(i + 1), size: 9, anchor: .middle, fill: colour.text, bold: true)
            items.append("<li>" + c.render() + " " + HTML.escape(stage.id) + "</li>")
        }
        return "<ul class=\"key\">" + items.joined() + "</ul>"
    }
}
