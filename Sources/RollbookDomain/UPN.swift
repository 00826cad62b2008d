/// Unique pupil numbers: checks of their shape.
public enum UPN {
    /// Whether the text has the shape of a UPN: 13 characters, a capital letter, 11 digits, then a
    /// digit or (for a temporary UPN) a capital letter.
    ///
    /// The DfE check letter is not enforced, so test and migrated data with made-up numbers still load;
    /// ``checkLetterMatches(_:)`` reports it for those who want it.
    public static func isWellFormed(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 13 else { return false }
        func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        guard isUpper(u[0]) else { return false }
        for b in u[1..<12] where !isDigit(b) { return false }
        return isDigit(u[12]) || isUpper(u[12])
    }

    /// Whether the first character is the DfE check letter for the other twelve.
    public static func checkLetterMatches(_ text: String) -> Bool {
        let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
        let u = Array(text)
        guard isWellFormed(text) else { return false }
        var sum = 0
        for i in 1..<13 {
            let c = u[i]
            let value: Int
            if let d = c.wholeNumberValue { value = d } else if let idx = letters.firstIndex(of: c) { value = idx } else { return false }
            sum += value * (i + 1)
        }
        return letters[sum % 23] == u[0]
    }
}
