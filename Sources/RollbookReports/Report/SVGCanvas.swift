/// An SVG drawing built up element by element; every text is escaped, every number rounded.
struct SVGCanvas {
    var width: Double
    var height: Double
    var body = ""
    let label: String

    init(width: Double, height: Double, label: String) {
        self.width = width
        self.height = height
        self.label = label
    }

    /// Extra attributes, escaped: `[("data-day", "2025-09-15")]`.
    static func attributes(_ list: [(String, String)]) -> String {
        list.map { " \($0.0)=\"\(HTML.escape($0.1))\"" }.joined()
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       dashed: Bool = false, extra: [(String, String)] = []) {
        body += "<rect x=\"\(HTML.n(x))\" y=\"\(HTML.n(y))\" width=\"\(HTML.n(w))\" height=\"\(HTML.n(h))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"0.75\"" }
        if dashed { body += " stroke-dasharray=\"3 2\"" }
        body += SVGCanvas.attributes(extra) + "/>"
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        body += "<line x1=\"\(HTML.n(x1))\" y1=\"\(HTML.n(y1))\" x2=\"\(HTML.n(x2))\" y2=\"\(HTML.n(y2))\" stroke=\"\(stroke)\""
            + " stroke-width=\"\(HTML.n(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil) {
        let list = points.map { "\(HTML.n($0.0)),\(HTML.n($0.1))" }.joined(separator: " ")
        body += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(HTML.n(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    mutating func circle(_ x: Double, _ y: Double, _ r: Double, fill: String, stroke: String? = nil) {
        body += "<circle cx=\"\(HTML.n(x))\" cy=\"\(HTML.n(y))\" r=\"\(HTML.n(r))\" fill=\"\(fill)\""
            + (stroke.map { " stroke=\"\($0)\" stroke-width=\"1\"" } ?? "") + "/>"
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String) {
        let list = points.map { "\(HTML.n($0.0)),\(HTML.n($0.1))" }.joined(separator: " ")
        body += "<polygon points=\"\(list)\" fill=\"\(fill)\"/>"
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ content: String, size: Double = 10, anchor: Anchor = .start,
                       fill: String = "#000000", bold: Bool = false, extra: [(String, String)] = []) {
        body += "<text x=\"\(HTML.n(x))\" y=\"\(HTML.n(y))\" font-size=\"\(HTML.n(size))\" text-anchor=\"\(anchor.rawValue)\""
            + " fill=\"\(fill)\"" + (bold ? " font-weight=\"bold\"" : "") + SVGCanvas.attributes(extra) + ">"
            + HTML.escape(content) + "</text>"
    }

    /// Diagonal hatching inside a rectangle, drawn as clipped line segments (no pattern reference needed).
    mutating func hatch(_ x: Double, _ y: Double, _ w: Double, _ h: Double, stroke: String, spacing: Double = 5,
                        cross: Bool = false) {
        // Lines x + y = c (falling to the right), for c across the rectangle, clipped to it.
        var c = x + y + spacing / 2
        while c < x + w + y + h {
            let x1 = max(x, c - (y + h)), x2 = min(x + w, c - y)
            if x2 > x1 { line(x1, c - x1, x2, c - x2, stroke: stroke, width: 0.75) }
            c += spacing
        }
        if cross {
            // Lines x - y = c (rising to the right).
            var d = x - (y + h) + spacing / 2
            while d < x + w - y {
                let x1 = max(x, d + y), x2 = min(x + w, d + y + h)
                if x2 > x1 { line(x1, x1 - d, x2, x2 - d, stroke: stroke, width: 0.75) }
                d += spacing
            }
        }
    }

    /// Begins a group with attributes; close it with ``end()``.
    mutating func group(_ extra: [(String, String)]) { body += "<g" + SVGCanvas.attributes(extra) + ">" }
    mutating func end() { body += "</g>" }

    /// The finished `<svg>` element, scaled to the page's width.
    func render() -> String {
        // No xmlns: inline in HTML the parser puts <svg> in the SVG namespace, and the file then names no address at all.
        "<svg viewBox=\"0 0 \(HTML.n(width)) \(HTML.n(height))\" role=\"img\""
            + " aria-label=\"\(HTML.escape(label))\" font-family=\"system-ui, sans-serif\">" + body + "</svg>"
    }
}
