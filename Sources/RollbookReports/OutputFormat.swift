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
        let header = header.map { TextEscaping.text($0) }
        let rows = rows.map { $0.map { TextEscaping.text($0) } }
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

    /// One CSV field: ``TextEscaping/csvCell(_:)`` (formula prefix, escaped controls, quoting).
    public static func csvField(_ value: String) -> String { TextEscaping.csvCell(value) }

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
