import RollbookDomain
import RollbookProjections

extension SVGChart {
    static let cellW = 44.0, cellH = 32.0, gap = 2.0, monthGap = 18.0, monthsPerRow = 3

    /// The calendar heat map: one block per month, a column per weekday, a row per week.
    ///
    /// For a school or group each day shows its attendance (overall attendance ÷ possible sessions, the
    /// same sessions `stats` counts) and is coloured by band; for one pupil each session shows its code,
    /// coloured by the code's category. Closures are hatched and labelled with their code, holidays grey
    /// and labelled "hol".
    static func calendar(_ data: ReportData) -> String {
        let pupil: Bool
        if case .pupil = data.scope { pupil = true } else { pupil = false }
        // Months in order, each with its weekdays.
        var months: [(year: Int, month: Int, days: [ReportData.Day])] = []
        for day in data.days {
            let (y, m, _) = day.date.components
            if months.last?.year != y || months.last?.month != m { months.append((y, m, [])) }
            months[months.count - 1].days.append(day)
        }
        let monthW = 5 * cellW + 4 * gap
        let width = Double(monthsPerRow) * monthW + Double(monthsPerRow - 1) * monthGap
        func rows(_ days: [ReportData.Day]) -> Int {
            guard let first = days.first, let last = days.last else { return 1 }
            return Int(last.date.mondayOfWeek.day - first.date.mondayOfWeek.day) / 7 + 1
        }
        var blockTops: [Double] = []
        var y = 0.0
        for start in stride(from: 0, to: months.count, by: monthsPerRow) {
            blockTops.append(y)
            let tallest = months[start..<min(start + monthsPerRow, months.count)].map { rows($0.days) }.max() ?? 1
            y += 30 + Double(tallest) * (cellH + gap) + 14
        }
        var canvas = SVGCanvas(width: width, height: max(y, 40),
                               label: pupil ? "Calendar of the pupil's sessions, coloured by the category of each code"
                                   : "Calendar of school days, coloured by attendance")
        for (m, month) in months.enumerated() {
            let x0 = Double(m % monthsPerRow) * (monthW + monthGap)
            let y0 = blockTops[m / monthsPerRow]
            canvas.text(x0, y0 + 12, "\(HTML.monthNames[month.month - 1]) \(month.year)", size: 12, bold: true)
            for (i, name) in ["Mon", "Tue", "Wed", "Thu", "Fri"].enumerated() {
                canvas.text(x0 + Double(i) * (cellW + gap) + cellW / 2, y0 + 26, name, size: 8, anchor: .middle, fill: "#444444")
            }
            let firstMonday = month.days.first?.date.mondayOfWeek.day ?? 0
            for day in month.days {
                let row = Double(Int(day.date.mondayOfWeek.day - firstMonday) / 7)
                let x = x0 + Double(day.date.isoWeekday - 1) * (cellW + gap)
                let y = y0 + 30 + row * (cellH + gap)
                if pupil { pupilCell(&canvas, day, x, y) } else { schoolCell(&canvas, day, x, y) }
            }
        }
        return canvas.render()
    }

    static func dayNumber(_ canvas: inout SVGCanvas, _ day: ReportData.Day, _ x: Double, _ y: Double, fill: String) {
        canvas.text(x + 2.5, y + 8.5, String(day.date.components.day), size: 7.5, fill: fill)
    }

    static func closedCell(_ canvas: inout SVGCanvas, _ x: Double, _ y: Double, _ w: Double, _ h: Double, code: String) {
        canvas.rect(x, y, w, h, fill: ReportPalette.closed.fill, stroke: "#888888")
        canvas.hatch(x, y, w, h, stroke: "#aaaaaa", spacing: 6)
        canvas.rect(x + w / 2 - 9, y + h / 2 - 2, 18, 12, fill: "#ffffff")
        canvas.text(x + w / 2, y + h / 2 + 7.5, code, size: 9, anchor: .middle, bold: true)
    }

    static func schoolCell(_ canvas: inout SVGCanvas, _ day: ReportData.Day, _ x: Double, _ y: Double) {
        let f = day.figures
        let attributes: [(String, String)] = [("data-day", day.date.description), ("data-possible", String(f.possibleSessions)),
                                              ("data-attended", String(f.overallAttendance))]
        switch day.kind {
        case .future:
            canvas.rect(x, y, cellW, cellH, fill: "#ffffff", stroke: "#dddddd")
        case .holiday:
            canvas.rect(x, y, cellW, cellH, fill: ReportPalette.holiday.fill)
            dayNumber(&canvas, day, x, y, fill: ReportPalette.holiday.text)
            canvas.text(x + cellW / 2, y + 23, "hol", size: 9, anchor: .middle, fill: ReportPalette.holiday.text)
        case .closed(let code, _):
            canvas.group(attributes)
            closedCell(&canvas, x, y, cellW, cellH, code: code)
            canvas.rect(x + 1, y + 1, 12, 9, fill: "#ffffff")
            dayNumber(&canvas, day, x, y, fill: "#000000")
            canvas.end()
        case .school:
            canvas.group(attributes)
            if f.possibleSessions == 0 {
                canvas.rect(x, y, cellW, cellH, fill: ReportPalette.unmarked.fill, stroke: "#999999", dashed: true)
                dayNumber(&canvas, day, x, y, fill: ReportPalette.unmarked.text)
                canvas.text(x + cellW / 2, y + 23, "–", size: 10, anchor: .middle, fill: ReportPalette.unmarked.text)
            } else {
                let band = ReportPalette.band(f.overallAttendance, f.possibleSessions)
                canvas.rect(x, y, cellW, cellH, fill: band.fill)
                dayNumber(&canvas, day, x, y, fill: band.text)
                canvas.text(x + cellW / 2, y + 24, HTML.percent(f.overallAttendance, f.possibleSessions), size: 11, anchor: .middle,
                            fill: band.text, bold: true)
            }
            if let partial = day.partialClosure {
                let ink = f.possibleSessions == 0 ? "#000000" : ReportPalette.band(f.overallAttendance, f.possibleSessions).text
                canvas.text(x + cellW - 2, y + 8.5, partial, size: 6.5, anchor: .end, fill: ink)
            }
            canvas.end()
        }
    }

    static func pupilCell(_ canvas: inout SVGCanvas, _ day: ReportData.Day, _ x: Double, _ y: Double) {
        let half = (cellW - 1) / 2
        switch day.kind {
        case .future:
            canvas.rect(x, y, cellW, cellH, fill: "#ffffff", stroke: "#dddddd")
            return
        case .holiday:
            canvas.rect(x, y, cellW, cellH, fill: ReportPalette.holiday.fill)
            dayNumber(&canvas, day, x, y, fill: ReportPalette.holiday.text)
            canvas.text(x + cellW / 2, y + 24, "hol", size: 9, anchor: .middle, fill: ReportPalette.holiday.text)
            return
        case .closed, .school:
            break
        }
        guard let codes = day.codes else {
            canvas.rect(x, y, cellW, cellH, fill: ReportPalette.offRoll.fill, stroke: "#dddddd")
            dayNumber(&canvas, day, x, y, fill: ReportPalette.offRoll.text)
            canvas.text(x + cellW / 2, y + 24, "off roll", size: 7, anchor: .middle, fill: ReportPalette.offRoll.text)
            return
        }
        canvas.group([("data-day", day.date.description), ("data-possible", String(day.figures.possibleSessions)),
                      ("data-attended", String(day.figures.overallAttendance))])
        for (s, code) in codes.enumerated() {
            let hx = x + Double(s) * (half + 1)
            let session = s == 0 ? "AM" : "PM"
            guard let code else {
                canvas.rect(hx, y, half, cellH, fill: ReportPalette.unmarked.fill, stroke: "#999999", dashed: true)
                canvas.text(hx + half / 2, y + 24, "–", size: 10, anchor: .middle, fill: ReportPalette.unmarked.text,
                            extra: [("data-session", session), ("data-code", "")])
                continue
            }
            let category = code.category(on: day.date)
            if code.isClosureCode {
                canvas.rect(hx, y, half, cellH, fill: ReportPalette.closed.fill, stroke: "#888888")
                canvas.hatch(hx, y, half, cellH, stroke: "#aaaaaa", spacing: 6)
                canvas.rect(hx + 2, y + 14, half - 4, 13, fill: "#ffffff")
                canvas.text(hx + half / 2, y + 24, code.text, size: 9, anchor: .middle, bold: true,
                            extra: [("data-session", session), ("data-code", code.text)])
                continue
            }
            let swatch = ReportPalette.category(category)
            canvas.rect(hx, y, half, cellH, fill: swatch.fill)
            if category.isUnauthorisedAbsence {
                canvas.hatch(hx, y, half, cellH, stroke: "#ffffff", spacing: 5)
                canvas.rect(hx + 3, y + 14, half - 6, 13, fill: swatch.fill)
            }
            canvas.text(hx + half / 2, y + 24, code.text, size: 11, anchor: .middle, fill: swatch.text, bold: true,
                        extra: [("data-session", session), ("data-code", code.text)])
        }
        canvas.rect(x + 1, y + 1, 12, 9, fill: "#ffffff")
        dayNumber(&canvas, day, x, y, fill: "#000000")
        canvas.end()
    }

    /// The heat map's key, as an HTML list of swatches (so it reads without the colours too).
    static func calendarKey(pupil: Bool) -> String {
        func item(_ s: ReportPalette.Swatch, _ sample: String, hatched: Bool = false, dashed: Bool = false) -> String {
            var c = SVGCanvas(width: 30, height: 16, label: s.label)
            c.rect(0.5, 0.5, 29, 15, fill: s.fill, stroke: dashed ? "#999999" : "#888888", dashed: dashed)
            if hatched { c.hatch(0.5, 0.5, 29, 15, stroke: s.fill == "#ffffff" ? "#aaaaaa" : "#ffffff", spacing: 5) }
            c.text(15, 12, sample, size: 9, anchor: .middle, fill: s.text, bold: true)
            return "<li>" + c.render() + " " + HTML.escape(s.label) + "</li>"
        }
        var items: [String] = []
        if pupil {
            let samples: [AttendanceCategory: String] = [.present: "/", .presentLate: "L", .approvedActivity: "B", .otherAuthorised: "I",
                                                         .unauthorised: "O", .notPossible: "D"]
            for c in ReportPalette.legendCategories {
                items.append(item(ReportPalette.category(c), samples[c] ?? "", hatched: c == .unauthorised))
            }
            items.append(item(ReportPalette.closed, "#", hatched: true))
            items.append(item(ReportPalette.unmarked, "–", dashed: true))
            items.append(item(ReportPalette.offRoll, ""))
        } else {
            for (_, swatch) in ReportPalette.bands { items.append(item(swatch, "")) }
            items.append(item(ReportPalette.closed, "#", hatched: true))
            items.append(item(ReportPalette.unmarked, "–", dashed: true))
        }
        items.append(item(ReportPalette.holiday, "hol"))
        return "<ul class=\"key\">" + items.joined() + "</ul>"
    }
}
