/// Unique pupil numbers (DfE): their shape and check letter.
public enum UPN {
    /// The check letters, in order of value (no I, O or S).
    static let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    /// Whether the text has the shape of a UPN: 13 characters, a capital letter, 11 digits, then a
    /// digit or (for a temporary UPN) a capital letter.
    public static func isWellFormed(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 13 else { return false }
        func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        guard isUpper(u[0]) else { return false }
        for b in u[1..<12] where !isDigit(b) { return false }
        return isDigit(u[12]) || isUpper(u[12])
    }

    /// Whether the text is a UPN a school may record: well formed, and either temporary (ending in a
    /// letter) or with the right check letter (DfE's rule: weights 2–13 on the 12 digits, sum mod 23).
    public static func isValid(_ text: String) -> Bool {
        guard isWellFormed(text) else { return false }
        let u = Array(text.utf8)
        return u[12] >= 0x41 || checkLetter(forDigits: u[1...]) == u[0]
    }

    /// The DfE check letter for the twelve digits after it.
    static func checkLetter(forDigits digits: ArraySlice<UInt8>) -> UInt8 {
        var sum = 0
        for (weight, b) in zip(2..., digits) { sum += Int(b &- 0x30) * weight }
        return letters[sum % 23]
    }

    /// What a valid UPN looks like, for messages.
    public static let expectation = "a UPN (13 characters: the check letter, 11 digits, then a digit or, for a temporary UPN, a capital letter)"
}
