/// What free text a person types may hold: names (the school's, pupils', groups', terms') become
/// part of registers, CSV files and XML returns, so they must be plain text (PRODUCT.md section 5).
public enum PlainText {
    /// Why `value` cannot be stored as a name, or nil when it can: it holds a control character (a line
    /// break, tab, escape or any C0/C1 control, including DEL) or a character XML 1.0 forbids.
    public static func problem(_ value: String) -> String? {
        for scalar in value.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) {
                return "holds a control character (a line break, tab, escape or similar); it must be plain text"
            }
            if v == 0xFFFE || v == 0xFFFF {
                return "holds a character that is not text (U+FFFE or U+FFFF)"
            }
        }
        return nil
    }
}
