/// Makes text safe to leave the program: what a terminal, a spreadsheet or an XML parser receives
/// never carries a control character, a formula or a character XML forbids (PRODUCT.md section 5).
///
/// Every text renderer of both executables passes what it prints through ``text(_:keepNewlines:)``,
/// every CSV cell goes through ``csvCell(_:)`` and every XML text node through ``xmlText(_:)``.
public enum TextEscaping {
    /// Text for a terminal: control characters (C0, DEL, C1) and the bidirectional overrides are shown
    /// escaped as `\n`, `\r`, `\t` or `\u{XX}`, so that no value can start a line, move the cursor or
    /// colour the screen. With `keepNewlines`, `\n` stays a line break (for a whole rendered report).
    public static func text(_ value: String, keepNewlines: Bool = false) -> String {
        guard value.unicodeScalars.contains(where: { needsEscape($0) && !(keepNewlines && $0 == "\n") }) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            if keepNewlines && scalar == "\n" { out.unicodeScalars.append(scalar); continue }
            guard needsEscape(scalar) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// Whether a scalar is shown escaped in text output.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x2028 || v == 0x2029
    }

    /// One CSV cell: control characters other than tab, CR and LF escaped as in text, a cell that
    /// begins with `=`, `+`, `-`, `@`, tab or carriage return prefixed with `'` (so a spreadsheet never
    /// reads it as a formula), and quoted when it holds a comma, a quote or a line break.
    public static func csvCell(_ value: String) -> String {
        var cell = value
        if cell.unicodeScalars.contains(where: { needsEscape($0) && $0 != "\t" && $0 != "\r" && $0 != "\n" }) {
            var out = ""
            for scalar in cell.unicodeScalars {
                if needsEscape(scalar) && scalar != "\t" && scalar != "\r" && scalar != "\n" {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            cell = out
        }
        if let first = cell.unicodeScalars.first, formulaStarts.contains(first), !isPlainNumber(cell) { cell = "'" + cell }
        if cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            var quoted = "\""
            for scalar in cell.unicodeScalars {
                if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
            }
            return quoted + "\""
        }
        return cell
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A negative number such as `-1` or `-12.5` (a figure, not a formula) keeps its sign unprefixed.
    static func isPlainNumber(_ cell: String) -> Bool {
        let utf8 = Array(cell.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "-") else { return false }
        var digits = 0, dots = 0
        for b in utf8.dropFirst() {
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == UInt8(ascii: ".") { dots += 1 } else { return false }
        }
        return digits > 0 && dots <= 1 && utf8[1] != UInt8(ascii: ".") && utf8.last != UInt8(ascii: ".")
    }

    /// Text for an XML text node built with FoundationXML (which escapes `& < >` itself): characters
    /// XML 1.0 cannot hold at all (controls other than tab, LF and CR, U+FFFE, U+FFFF) are replaced by
    /// U+FFFD. Inputs refuse them (the school name at init, pupils' names at import), so this only
    /// guards what an older log may already hold.
    public static func xmlText(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { !isXMLCharacter($0) }) else { return value }
        var out = ""
        for scalar in value.unicodeScalars { out.unicodeScalars.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}") }
        return out
    }

    /// Whether XML 1.0 allows the character in a document (its `Char` production).
    public static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
            || (0x10000...0x10FFFF).contains(v)
    }
}
