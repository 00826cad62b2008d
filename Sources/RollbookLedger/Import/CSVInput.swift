import RollbookDomain
import RollbookLog

/// A CSV file given to an import, read and checked against the columns the import takes.
public struct CSVInput: Sendable {
    /// The parsed rows.
    public let table: CSVTable
    /// The file's path, for messages.
    public let path: String
    private let columns: [String: Int]

    /// Reads and parses the file, checking for the required columns and refusing unknown ones.
    public init(path: String, required: [String], optional: [String]) throws(LedgerError) {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path) } catch { throw .unreadableFile(path: path, reason: "\(error)") }
        try self.init(bytes: bytes, path: path, required: required, optional: optional)
    }

    /// Parses a file's bytes (`path` names it in messages), checking the columns.
    public init(bytes: [UInt8], path: String, required: [String], optional: [String]) throws(LedgerError) {
        do { table = try CSVTable.parse(bytes) } catch { throw .rejected("\(path): \(error)", at: nil) }
        self.path = path
        var columns: [String: Int] = [:]
        for (i, name) in table.header.enumerated() { columns[name] = i }
        self.columns = columns
        for name in required where columns[name] == nil {
            throw .rejected("\(path) has no column \"\(name)\" (the header must include \(required.joined(separator: ",")))",
                            at: .csv(line: 1, column: nil))
        }
        for name in table.header where !required.contains(name) && !optional.contains(name) {
            throw .rejected("\(path) has an unknown column \"\(name)\" (allowed: \((required + optional).joined(separator: ",")))",
                            at: .csv(line: 1, column: nil))
        }
        guard !table.rows.isEmpty else { throw .rejected("\(path) has a header but no rows", at: nil) }
    }

    /// Whether the file has the column.
    public func has(_ column: String) -> Bool { columns[column] != nil }

    /// The position of a column, for reading many rows without looking the name up each time.
    public func index(_ column: String) -> Int? { columns[column] }

    /// The value at a column position (empty when nil), trimmed of spaces; no copy when there is nothing to trim.
    @inline(__always)
    public static func value(_ row: CSVTable.Row, _ index: Int?) -> String {
        guard let index else { return "" }
        let field = row.fields[index]
        guard field.utf8.first == 0x20 || field.utf8.last == 0x20 else { return field }
        var s = Substring(field)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    /// The value of a column in a row (empty string when the column is absent), trimmed of spaces.
    public func value(_ row: CSVTable.Row, _ column: String) -> String { CSVInput.value(row, columns[column]) }
}
