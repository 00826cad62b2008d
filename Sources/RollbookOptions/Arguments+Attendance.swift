import RollbookCommandLine
import RollbookDomain

extension Arguments {
    /// `--code C`: an attendance code.
    public mutating func code(_ name: String = "--code") throws(UsageError) -> AttendanceCode {
        let text = try required(name)
        guard let code = AttendanceCode(text) else { throw UsageError("\(name) \"\(TextEscape.option(text))\" is not an attendance code") }
        return code
    }

    /// `--upn U`, required: a UPN with the right check letter (or a temporary UPN).
    public mutating func requiredUPN(_ name: String = "--upn") throws(UsageError) -> String {
        guard let upn = try upn(name) else { throw UsageError("missing required option \(name)") }
        return upn
    }

    /// `--upn U`, optional: a UPN with the right check letter (or a temporary UPN).
    public mutating func upn(_ name: String = "--upn") throws(UsageError) -> String? {
        guard let text = try option(name) else { return nil }
        guard UPN.isWellFormed(text) else { throw UsageError("\(name) must be \(UPN.expectation)") }
        guard UPN.isValid(text) else { throw UsageError("\(name): the UPN's check letter is wrong") }
        return text
    }
}

/// Escaping of a value echoed in a usage message, so that a control character never reaches the terminal.
enum TextEscape {
    static func option(_ text: String) -> String {
        var out = ""
        for scalar in text.prefix(40).unicodeScalars {
            if scalar.properties.generalCategory == .control { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
