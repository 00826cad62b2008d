/// How a report is written: aligned text for people, CSV for spreadsheets, JSON for programs.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned text.
    case text
    /// RFC 4180 CSV with a header row.
    case csv
    /// JSON (pretty-printed, keys in a fixed order).
    case json
}

/// Small text helpers shared by the reports.
public enum TextTable {
    /// Renders rows as left-aligned columns separated by two spaces.
    public static func render(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                out += cell
                if i < cells.count - 1 { out += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            return out
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// One CSV field, quoted when it must be.
    public static func csvField(_ value: String) -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// A CSV document from a header and rows.
    public static func csv(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
