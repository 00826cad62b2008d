/// UPNs for the suites' made-up pupils, with DfE's check letter so that they are accepted.
package enum TestUPN {
    static let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    /// The UPN for twelve digits: the check letter (weights 2–13, sum mod 23), then the digits.
    package static func forDigits(_ digits: String) -> String {
        var sum = 0
        for (weight, c) in zip(2..., digits) { sum += (c.wholeNumberValue ?? 0) * weight }
        return String(letters[sum % 23]) + digits
    }

    /// Pupil `n` of a suite's school: the digits `12345678900n`.
    package static func number(_ n: Int) -> String { forDigits("12345678900\(n)") }
}
