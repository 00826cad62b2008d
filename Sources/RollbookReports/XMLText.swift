/// Text made safe for an XML 1.0 document.
public enum XMLText {
    /// The text with every character XML 1.0 forbids (control characters other than tab, line feed and
    /// carriage return; U+FFFE and U+FFFF) replaced by U+FFFD, so a document never holds one, whatever
    /// reached the ledger. `&`, `<` and `>` are escaped by the XML writer itself.
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !allowed($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(allowed(scalar) ? scalar : "\u{FFFD}") }
        return String(out)
    }

    /// Whether XML 1.0's `Char` production allows the scalar (Swift strings hold no lone surrogates).
    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return true
        case 0x20...0xFFFD: return true
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
