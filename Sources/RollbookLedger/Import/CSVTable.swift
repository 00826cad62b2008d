/// A parsed CSV file: a header row and data rows, each remembering its 1-based line number in the file.
///
/// Parsing follows RFC 4180: fields are separated by commas; a field may be enclosed in double
/// quotes, and then may contain commas, line breaks and doubled quotes (`""` stands for one `"`).
/// Lines end in LF or CRLF. A UTF-8 byte-order mark at the start is skipped, the final line break
/// is optional, and blank lines at the end of the file are ignored; a blank line anywhere else is
/// an error. Every data row must have as many fields as the header. Header names are trimmed of
/// surrounding spaces and tabs and must be unique; data fields are kept exactly as written.
public struct CSVTable: Sendable, Equatable {
    /// One data row and the line of the file it starts on.
    ///
    /// A row whose quoted fields contain line breaks spans several physical lines; `line` is the
    /// first of them.
    public struct Row: Sendable, Equatable {
        /// The 1-based number of the physical line the row starts on.
        ///
        /// Lines are counted by line feeds in the file, including those inside quoted fields.
        public var line: Int
        /// The row's fields, in column order, unquoted and unescaped.
        ///
        /// There are exactly as many as header columns; surrounding spaces are kept.
        public var fields: [String]

        /// Creates a row from its line number and fields.
        ///
        /// Nothing is checked; this exists mainly for tests and for building tables by hand.
        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The column names from the first line, trimmed of surrounding spaces and tabs.
    ///
    /// The names are unique; find a column by name with `columnIndex(_:)`.
    public var header: [String]
    /// The data rows, in file order.
    ///
    /// Blank lines at the end of the file produce no rows.
    public var rows: [Row]

    /// Creates a table from a header and rows.
    ///
    /// No checks are made; `parse` is the way to get a table that obeys the rules.
    public init(header: [String], rows: [Row]) {
        self.header = header
        self.rows = rows
    }

    /// The index of the column with this name, or nil if there is none.
    ///
    /// The name is trimmed of surrounding spaces and tabs and then compared exactly (by Unicode
    /// scalars, so case and accents matter) with the trimmed header names.
    public func columnIndex(_ name: String) -> Int? {
        let wanted = trimmedSpaces(Array(name.utf8))
        return header.firstIndex { $0.utf8.elementsEqual(wanted) }
    }

    /// Parses a whole CSV file from its bytes.
    ///
    /// The rules are described on `CSVTable`. Fields must be valid UTF-8. Errors name the line
    /// where the problem is but never quote the file's contents.
    public static func parse(_ bytes: [UInt8]) throws(CSVError) -> CSVTable {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(CSVError) -> CSVTable in
                var parser = CSVParser(buffer)
                return try parser.parseTable()
            }
        }
        return try result.get()
    }
}

/// Why a CSV file could not be parsed.
///
/// Descriptions are full sentences that name the line (1-based, counting physical lines) but never
/// include field contents, since fields may hold pupils' personal data.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// The file has no header row (it is empty, or holds only a byte-order mark or blank lines).
    case empty
    /// A quoted field that starts on this line is never closed.
    case unterminatedQuote(line: Int)
    /// A double quote appears inside a field that does not start with one.
    case unexpectedQuote(line: Int)
    /// A closing quote is followed by something other than a comma or the end of the line.
    case textAfterClosingQuote(line: Int)
    /// A carriage return outside quotes is not followed by a line feed.
    case bareCarriageReturn(line: Int)
    /// A field on this line is not valid UTF-8.
    case invalidUTF8(line: Int)
    /// This line is blank but more rows follow it.
    case blankLine(line: Int)
    /// The row starting on this line has a different number of fields from the header.
    case fieldCount(line: Int, expected: Int, found: Int)
    /// Two header columns have this (trimmed) name.
    case duplicateColumn(String)

    /// A complete sentence describing the problem and naming its line.
    ///
    /// Only header names (in `duplicateColumn`) are quoted; data fields never are.
    public var description: String {
        switch self {
        case .empty:
            return "The CSV file is empty: it has no header row."
        case .unterminatedQuote(let line):
            return "The quoted field that starts on line \(line) is never closed."
        case .unexpectedQuote(let line):
            return "Line \(line) has a double quote inside a field that is not enclosed in quotes."
        case .textAfterClosingQuote(let line):
            return "Line \(line) has text after the closing quote of a field; a quoted field must end at a comma or the end of the line."
        case .bareCarriageReturn(let line):
            return "Line \(line) has a carriage return that is not followed by a line feed."
        case .invalidUTF8(let line):
            return "Line \(line) is not valid UTF-8 text."
        case .blankLine(let line):
            return "Line \(line) is blank; blank lines are allowed only at the end of the file."
        case .fieldCount(let line, let expected, let found):
            return "The row on line \(line) has \(found) field\(found == 1 ? "" : "s") but the header has \(expected)."
        case .duplicateColumn(let name):
            if name.isEmpty { return "The header has more than one column with an empty name." }
            return "The header has more than one column named \"\(name)\"."
        }
    }
}

private let comma: UInt8 = 0x2C
private let quoteByte: UInt8 = 0x22
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D

/// The parser behind `CSVTable.parse`, working directly on the file's bytes.
private struct CSVParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var line = 1
    /// Holds a quoted field's content while `""` pairs are collapsed.
    var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    mutating func parseTable() throws(CSVError) -> CSVTable {
        var header: [String]? = nil
        var rows: [CSVTable.Row] = []
        var blankLine: Int? = nil
        var fields: [String] = []
        let end = bytes.count
        while position < end {
            let recordLine = line
            // A blank line: only tolerated if nothing but blank lines follows.
            let first = bytes[position]
            if first == lineFeed || first == carriageReturn {
                if first == carriageReturn {
                    guard position + 1 < end, bytes[position + 1] == lineFeed else {
                        throw .bareCarriageReturn(line: line)
                    }
                    position += 1
                }
                position += 1
                line += 1
                if blankLine == nil { blankLine = recordLine }
                continue
            }
            if let blankLine { throw .blankLine(line: blankLine) }

            fields.removeAll(keepingCapacity: true)
            try parseRecord(into: &fields)
            if let header {
                guard fields.count == header.count else {
                    throw .fieldCount(line: recordLine, expected: header.count, found: fields.count)
                }
                rows.append(CSVTable.Row(line: recordLine, fields: fields))
            } else {
                let names = fields.map { String(decoding: trimmedSpaces(Array($0.utf8)), as: UTF8.self) }
                var seen = Set<[UInt8]>()
                for name in names where !seen.insert(Array(name.utf8)).inserted {
                    throw .duplicateColumn(name)
                }
                header = names
                fields.reserveCapacity(names.count)
            }
        }
        guard let header else { throw .empty }
        return CSVTable(header: header, rows: rows)
    }

    /// Parses one record starting at `position` (which is not at a line break) and consumes its
    /// line ending, if any.
    mutating func parseRecord(into fields: inout [String]) throws(CSVError) {
        let end = bytes.count
        while true {
            if position < end, bytes[position] == quoteByte {
                fields.append(try parseQuotedField())
            } else {
                let start = position
                var orBits: UInt8 = 0
                while position < end {
                    let byte = bytes[position]
                    if byte == comma || byte == lineFeed || byte == carriageReturn || byte == quoteByte { break }
                    orBits |= byte
                    position += 1
                }
                if position < end, bytes[position] == quoteByte { throw .unexpectedQuote(line: line) }
                fields.append(try makeString(start, position, ascii: orBits < 0x80))
            }
            guard position < end else { return }
            switch bytes[position] {
            case comma:
                position += 1
            case lineFeed:
                position += 1
                line += 1
                return
            case carriageReturn:
                guard position + 1 < end, bytes[position + 1] == lineFeed else {
                    throw .bareCarriageReturn(line: line)
                }
                position += 2
                line += 1
                return
            default:
                throw .textAfterClosingQuote(line: line)
            }
        }
    }

    /// Parses a quoted field starting at its opening quote and leaves `position` after the closing
    /// quote.
    mutating func parseQuotedField() throws(CSVError) -> String {
        let openingLine = line
        let end = bytes.count
        position += 1
        let start = position
        var doubledQuotes = false
        var orBits: UInt8 = 0
        while true {
            guard position < end else { throw .unterminatedQuote(line: openingLine) }
            let byte = bytes[position]
            if byte == quoteByte {
                if position + 1 < end, bytes[position + 1] == quoteByte {
                    doubledQuotes = true
                    position += 2
                    continue
                }
                break
            }
            if byte == lineFeed { line += 1 }
            orBits |= byte
            position += 1
        }
        let contentEnd = position
        position += 1 // the closing quote
        guard doubledQuotes else {
            return try makeString(start, contentEnd, ascii: orBits < 0x80, firstLine: openingLine)
        }
        scratch.removeAll(keepingCapacity: true)
        var index = start
        while index < contentEnd {
            let byte = bytes[index]
            scratch.append(byte)
            index += byte == quoteByte ? 2 : 1
        }
        if orBits >= 0x80, let bad = firstInvalidUTF8(in: scratch) {
            // Count line breaks before the bad byte in the unescaped content; "" pairs hold none.
            let breaks = scratch[..<bad].reduce(0) { $0 + ($1 == lineFeed ? 1 : 0) }
            throw .invalidUTF8(line: openingLine + breaks)
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Makes a string from `bytes[start..<end]`, checking UTF-8 unless the bytes are known ASCII.
    /// `firstLine` is the line the bytes start on, for errors.
    @inline(__always)
    func makeString(_ start: Int, _ end: Int, ascii: Bool, firstLine: Int? = nil) throws(CSVError) -> String {
        let field = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !ascii, let bad = firstInvalidUTF8(in: field) {
            let breaks = field[..<bad].reduce(0) { $0 + ($1 == lineFeed ? 1 : 0) }
            throw .invalidUTF8(line: (firstLine ?? line) + breaks)
        }
        return String(decoding: field, as: UTF8.self)
    }
}

/// The index of the first byte of the first ill-formed UTF-8 sequence in `bytes`, or nil if all of
/// it is well-formed (no overlong forms, no encoded surrogates, nothing above U+10FFFF).
func firstInvalidUTF8<C: RandomAccessCollection>(in bytes: C) -> C.Index?
where C.Element == UInt8, C.Index == Int {
    var index = bytes.startIndex
    let end = bytes.endIndex
    while index < end {
        let lead = bytes[index]
        if lead < 0x80 {
            index += 1
            continue
        }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return index
        }
        guard end - index >= length else { return index }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            let (lower, upper) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= lower, byte <= upper else { return index }
        }
        index += length
    }
    return nil
}

/// `utf8` without leading and trailing spaces and tabs.
private func trimmedSpaces(_ utf8: [UInt8]) -> ArraySlice<UInt8> {
    var slice = utf8[...]
    while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
    while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
    return slice
}
