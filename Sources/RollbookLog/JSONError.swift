/// Why a byte sequence is not a valid JSON text, and where the problem is.
///
/// Every case carries `offset`, the 0-based byte offset into the input at which the problem was
/// found (for a string problem, the offending byte or escape; for an unterminated string, its
/// opening quote). `description` is a complete English sentence suitable for an error message,
/// such as `Invalid JSON at byte 17: expected ':' after an object key.`
public enum JSONError: Error, Equatable, CustomStringConvertible {
    /// The input ended before the JSON text was complete (this includes empty input).
    case unexpectedEnd(offset: Int)
    /// A value was expected but the byte there cannot start one (for example `+`, `.` or `N`).
    case expectedValue(offset: Int)
    /// A byte sequence starting with `t`, `f` or `n` is not exactly `true`, `false` or `null`.
    case invalidLiteral(offset: Int)
    /// A number does not follow the JSON grammar (for example `-`, `1.` or `1e`).
    case invalidNumber(offset: Int)
    /// A number has a superfluous leading zero (for example `01` or `-00.5`).
    case leadingZero(offset: Int)
    /// An object member does not start with a double-quoted key.
    case expectedKey(offset: Int)
    /// An object key is not followed by `:`.
    case expectedColon(offset: Int)
    /// An object member is followed by something other than `,` or `}`.
    case expectedCommaOrObjectEnd(offset: Int)
    /// An array element is followed by something other than `,` or `]`.
    case expectedCommaOrArrayEnd(offset: Int)
    /// A `,` is directly followed by the `}` or `]` that closes its container.
    case trailingComma(offset: Int)
    /// A string is never closed; the offset is that of its opening quote.
    case unterminatedString(offset: Int)
    /// A string contains a raw control character (U+0000 to U+001F) that must be escaped.
    case controlCharacter(offset: Int)
    /// A backslash in a string is followed by a character that is not a JSON escape.
    case invalidEscape(offset: Int)
    /// A `\u` escape is not followed by four hexadecimal digits.
    case invalidUnicodeEscape(offset: Int)
    /// A `\u` escape names half of a UTF-16 surrogate pair without the other half.
    case loneSurrogate(offset: Int)
    /// The bytes of a string are not well-formed UTF-8.
    case invalidUTF8(offset: Int)
    /// The same key appears twice in one object; the offset is that of the second occurrence.
    case duplicateKey(offset: Int, key: String)
    /// Arrays and objects are nested more deeply than `JSONValue.maximumDepth`.
    case tooDeep(offset: Int)
    /// Something other than whitespace follows the complete JSON value.
    case trailingData(offset: Int)

    /// The 0-based byte offset in the input at which the problem was found.
    ///
    /// Offsets count UTF-8 bytes from the start of the buffer passed to `JSONValue.parse`.
    public var offset: Int {
        switch self {
        case .unexpectedEnd(let o), .expectedValue(let o), .invalidLiteral(let o), .invalidNumber(let o),
             .leadingZero(let o), .expectedKey(let o), .expectedColon(let o),
             .expectedCommaOrObjectEnd(let o), .expectedCommaOrArrayEnd(let o), .trailingComma(let o),
             .unterminatedString(let o), .controlCharacter(let o), .invalidEscape(let o),
             .invalidUnicodeEscape(let o), .loneSurrogate(let o), .invalidUTF8(let o),
             .duplicateKey(let o, _), .tooDeep(let o), .trailingData(let o):
            return o
        }
    }

    /// A complete sentence naming the byte offset and the problem.
    ///
    /// For example `Invalid JSON at byte 17: expected ':' after an object key.` Only a duplicate
    /// key is quoted from the input (escaped as a JSON string); no other content is.
    public var description: String {
        "Invalid JSON at byte \(offset): \(reason)."
    }

    private var reason: String {
        switch self {
        case .unexpectedEnd: return "the input ends before the JSON text is complete"
        case .expectedValue: return "expected a value (an object, array, string, number, true, false or null)"
        case .invalidLiteral: return "expected the literal true, false or null"
        case .invalidNumber:
            return "malformed number (JSON numbers need digits before and after a '.' and after an exponent, and no '+' sign)"
        case .leadingZero: return "a number must not have a leading zero"
        case .expectedKey: return "expected an object key in double quotes"
        case .expectedColon: return "expected ':' after an object key"
        case .expectedCommaOrObjectEnd: return "expected ',' or '}' after an object member"
        case .expectedCommaOrArrayEnd: return "expected ',' or ']' after an array element"
        case .trailingComma: return "a trailing comma before the end of an object or array is not allowed"
        case .unterminatedString: return "the string that starts here is never closed"
        case .controlCharacter: return "a control character in a string must be escaped"
        case .invalidEscape:
            return "invalid escape in a string (allowed are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)"
        case .invalidUnicodeEscape: return "\\u must be followed by four hexadecimal digits"
        case .loneSurrogate: return "a \\u escape names a UTF-16 surrogate without its other half"
        case .invalidUTF8: return "the bytes are not valid UTF-8"
        case .duplicateKey(_, let key):
            var writer = JSONWriter(capacity: key.utf8.count + 2)
            writer.string(key)
            return "the key \(String(decoding: writer.bytes, as: UTF8.self)) appears more than once in the same object"
        case .tooDeep: return "arrays and objects are nested more than \(JSONValue.maximumDepth) levels deep"
        case .trailingData: return "unexpected data after the JSON value"
        }
    }
}
