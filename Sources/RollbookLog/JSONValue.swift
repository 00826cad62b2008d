/// One member of a JSON object: a key and its value.
///
/// Objects are stored as arrays of members so that document order is kept; the parser rejects an
/// object that uses the same key twice.
public struct JSONMember: Sendable, Hashable {
    /// The member's key.
    ///
    /// It is the decoded string: escapes such as `\u00e9` have been resolved.
    public var key: String
    /// The member's value.
    ///
    /// It may itself be an array or object.
    public var value: JSONValue

    /// Creates a member from a key and a value.
    ///
    /// Nothing is checked; the writer escapes the key when it is written.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A parsed JSON value.
///
/// Numbers keep their literal text (for example `"12"` or `"-1.5e3"`), so nothing is lost or
/// rounded; two numbers are equal only when their texts are. Objects keep their members in
/// document order. Parse with `JSONValue.parse`, which is strict RFC 8259 (see there).
public enum JSONValue: Sendable, Hashable {
    /// The literal `null`.
    ///
    /// Distinct from a missing member: `value["k"]` is nil when there is no member `k`.
    case null
    /// The literal `true` or `false`.
    ///
    /// Read it with `boolValue`.
    case bool(Bool)
    /// A number, as its literal text (for example `"12"` or `"-1.5e3"`).
    ///
    /// Keeping the text loses no precision; `intValue` converts integer literals. When building a
    /// value by hand the text must be a valid JSON number, since the writer copies it verbatim.
    case number(String)
    /// A string, with its escapes decoded.
    ///
    /// Read it with `stringValue`.
    case string(String)
    /// An array of values.
    ///
    /// Read it with `arrayValue`.
    case array([JSONValue])
    /// An object, with its members in document order.
    ///
    /// Look members up with the `subscript(key:)` or walk them with `members`.
    case object([JSONMember])

    /// The deepest nesting of arrays and objects the parser accepts.
    ///
    /// A document whose arrays and objects are nested more deeply is rejected with
    /// `JSONError.tooDeep`; a bare scalar has depth 0 and `[[1]]` has depth 2.
    public static let maximumDepth = 64

    /// Parses exactly one JSON value from UTF-8 bytes, with optional surrounding whitespace.
    ///
    /// The parser is strict RFC 8259: it rejects invalid UTF-8 (including overlong forms, encoded
    /// surrogates and bytes above F4), raw control characters and bad escapes in strings, `\u`
    /// escapes naming a lone surrogate, numbers with leading zeros, a `+` sign, a missing integer
    /// or fraction part, `NaN` and other non-JSON literals, trailing commas, anything but
    /// whitespace after the value, nesting deeper than `maximumDepth`, and objects that repeat a
    /// key (keys are compared by their exact Unicode scalars after unescaping). It never crashes or
    /// loops on malformed input; every failure is reported as a `JSONError` with its byte offset.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONError) -> JSONValue {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw .unexpectedEnd(offset: 0) }
        var parser = JSONParser(base: base, count: bytes.count)
        defer { parser.release() }
        return try parser.parseDocument()
    }

    /// Parses exactly one JSON value from an array of UTF-8 bytes.
    ///
    /// This is `parse(_: UnsafeRawBufferPointer)` applied to the array's storage; see there for the
    /// rules.
    public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONError) -> JSONValue in try parse(raw) }
        }
        return try result.get()
    }

    /// Parses exactly one JSON value from the UTF-8 form of a string.
    ///
    /// This is `parse(_: UnsafeRawBufferPointer)` applied to the string's UTF-8 bytes; see there for
    /// the rules. Byte offsets in errors count UTF-8 bytes, not characters.
    public static func parse(_ text: String) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }

    /// The value of the first member with this key, or nil if there is none or this is not an object.
    ///
    /// Keys are compared with Swift string equality.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// The string, if this is a string.
    ///
    /// Numbers are not converted: `.number("1")` has no string value.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, if this is an integer literal that fits in `Int`.
    ///
    /// Literals with a fraction or an exponent (`1.0`, `1e3`) give nil even when their value is a
    /// whole number; so do integers outside `Int`'s range. `-0` gives 0.
    public var intValue: Int? {
        guard case .number(let literal) = self else { return nil }
        var text = literal
        return text.withUTF8 { utf8 -> Int? in
            var index = 0
            var negative = false
            if index < utf8.count, utf8[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            guard index < utf8.count else { return nil }
            var value = 0
            while index < utf8.count {
                let digit = utf8[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = negative
                    ? times10.subtractingReportingOverflow(Int(digit))
                    : times10.addingReportingOverflow(Int(digit))
                guard !o1, !o2 else { return nil }
                value = next
                index += 1
            }
            return value
        }
    }

    /// The Boolean, if this is `true` or `false`.
    ///
    /// No other value converts: `null`, `0` and `"true"` give nil.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    ///
    /// An empty array gives an empty Swift array, not nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members in document order, if this is an object.
    ///
    /// An empty object gives an empty Swift array, not nil.
    public var members: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
