import RollbookDomain
import RollbookLog

/// Reading a CSV file given on the command line, with the errors an importer reports.
struct CSVInput {
    let table: CSVTable
    let path: String
    private let columns: [String: Int]

    /// Reads and parses the file, checking for the required columns and refusing unknown ones.
    init(path: String, required: [String], optional: [String]) throws {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readInput(path) } catch { throw InputError("cannot read the CSV file \(path): \(error)") }
        do { table = try CSVTable.parse(bytes) } catch { throw InputError("\(path): \(error)") }
        self.path = path
        var columns: [String: Int] = [:]
        for (i, name) in table.header.enumerated() { columns[name] = i }
        self.columns = columns
        for name in required where columns[name] == nil {
            throw InputError("\(path) has no column \"\(name)\" (the header must include \(required.joined(separator: ",")))", place: "line 1")
        }
        for name in table.header where !required.contains(name) && !optional.contains(name) {
            throw InputError("\(path) has an unknown column \"\(name)\" (allowed: \((required + optional).joined(separator: ",")))", place: "line 1")
        }
        guard !table.rows.isEmpty else { throw InputError("\(path) has a header but no rows") }
    }

    func has(_ column: String) -> Bool { columns[column] != nil }

    /// The position of a column, for reading many rows without looking the name up each time.
    func index(_ column: String) -> Int? { columns[column] }

    /// The value at a column position (empty when nil), trimmed of spaces; no copy when there is nothing to trim.
    @inline(__always)
    static func value(_ row: CSVTable.Row, _ index: Int?) -> String {
        guard let index else { return "" }
        let field = row.fields[index]
        guard field.utf8.first == 0x20 || field.utf8.last == 0x20 else { return field }
        var s = Substring(field)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    /// The value of a column in a row (empty string when the column is absent), trimmed of spaces.
    func value(_ row: CSVTable.Row, _ column: String) -> String {
        guard let i = columns[column] else { return "" }
        var s = Substring(row.fields[i])
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    static func place(_ row: CSVTable.Row, _ column: String) -> String { "line \(row.line), column \"\(column)\"" }
}
