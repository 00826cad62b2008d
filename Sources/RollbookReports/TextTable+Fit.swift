/// Text tables and sentences that fit a terminal width (100 columns, PRODUCT.md section 5).
extension TextTable {
    /// The width text output fits.
    public static let width = 100

    /// Renders rows like ``render(_:_:)``, fitting `width` columns: the last column (a free-text detail)
    /// is wrapped at word boundaries under its own heading; when that leaves it under 40 characters the
    /// `shrink` column (a name) is first cut with "…" (to no fewer than `minimum` characters), and when
    /// under 24 are still left the detail is written on lines of its own below its row, indented by four.
    public static func fitted(_ header: [String], _ rows: [[String]], width: Int = TextTable.width,
                              shrink: Int? = nil, minimum: Int = 8) -> String {
        guard let last = header.indices.last else { return "" }
        var rows = rows
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func total() -> Int { widths.reduce(0, +) + 2 * (widths.count - 1) }
        func room() -> Int { width - (widths.dropLast().reduce(0, +) + 2 * last) }
        if let shrink, shrink < last, total() > width, room() < 40 {
            let target = max(minimum, header[shrink].count, widths[shrink] - (total() - width))
            if target < widths[shrink] {
                rows = rows.map { row in
                    var row = row
                    if shrink < row.count, row[shrink].count > target { row[shrink] = String(row[shrink].prefix(target - 1)) + "…" }
                    return row
                }
                widths[shrink] = target
            }
        }
        let prefix = widths.dropLast().reduce(0, +) + 2 * last
        let room = room()
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                out += cell
                if i < cells.count - 1 { out += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        if total() <= width { return ([line(header)] + rows.map(line)).joined(separator: "\n") }
        if room >= 24 {
            var out = [line(header)]
            for row in rows {
                let detail = row.count > last ? row[last] : ""
                let pieces = wrap(detail, width: room)
                out.append(line(Array(row.prefix(last)) + [pieces.first ?? ""]))
                for piece in pieces.dropFirst() { out.append(String(repeating: " ", count: prefix) + piece) }
            }
            return out.joined(separator: "\n")
        }
        // The detail on lines of its own.
        var out = [line(Array(header.prefix(last)))]
        for row in rows {
            out.append(line(Array(row.prefix(last))))
            let detail = row.count > last ? row[last] : ""
            if !detail.isEmpty { out += wrap(detail, width: width - 4).map { "    " + $0 } }
        }
        return out.joined(separator: "\n")
    }

    /// Splits text into lines of at most `width` characters at spaces (a longer word is cut).
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 1)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// A paragraph wrapped to `width`, its first line starting with `lead` and the rest indented under it.
    public static func paragraph(_ text: String, lead: String = "", indent: Int? = nil, width: Int = TextTable.width) -> String {
        let hang = indent ?? lead.count
        let firstRoom = width - lead.count
        let lines = wrap(text, width: min(firstRoom, width - hang))
        return lines.enumerated().map { i, l in (i == 0 ? lead : String(repeating: " ", count: hang)) + l }.joined(separator: "\n")
    }
}
