/// Writes compact JSON into a byte array, one token at a time, placing commas automatically.
///
/// Call the methods in document order: `beginObject()`, then `key(_:)` and a value for each member,
/// then `endObject()`; arrays likewise without keys. The output has no spaces or newlines. Strings
/// are written with the minimal escapes of the Rollbook log format: `\"`, `\\`, `\n`, `\r`, `\t`,
/// `\u00xx` (lowercase hex) for the other control characters; `/` and all non-ASCII characters are
/// written as they are, in UTF-8. The writer does not check that calls are balanced or that keys
/// appear only in objects; it trusts its caller.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    ///
    /// Take them when the document is complete; the writer adds no trailing newline.
    public var bytes: [UInt8]

    /// Whether the next key or value must be preceded by a comma.
    ///
    /// This single flag is all the comma state needed: a comma is due exactly when the previous
    /// token finished a value (a scalar or a closing bracket), and never after an opening bracket
    /// or a key, however deeply containers nest.
    private var needsComma = false

    /// Creates an empty writer whose byte array has room for `capacity` bytes before growing.
    ///
    /// The capacity is only a hint; the array grows as needed.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Writes `{`, starting an object.
    ///
    /// Follow it with `key(_:)` and value pairs and close it with `endObject()`.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`, closing the innermost object.
    ///
    /// The object then counts as a finished value, so whatever follows it gets a comma.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[`, starting an array.
    ///
    /// Follow it with the element values and close it with `endArray()`.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`, closing the innermost array.
    ///
    /// The array then counts as a finished value, so whatever follows it gets a comma.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key and its colon, preceded by a comma if a member came before.
    ///
    /// The next call must write the member's value.
    public mutating func key(_ key: String) {
        separate()
        Self.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value, escaped as described on `JSONWriter`.
    ///
    /// A comma is written first if the value follows another one.
    public mutating func string(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &bytes)
        needsComma = true
    }

    /// Writes an integer value in decimal.
    ///
    /// Negative numbers get a leading `-`; there is never a `+` or leading zero.
    public mutating func int(_ value: Int) {
        separate()
        Self.appendInt(value, to: &bytes)
        needsComma = true
    }

    /// Writes `true` or `false`.
    ///
    /// A comma is written first if the value follows another one.
    public mutating func bool(_ value: Bool) {
        separate()
        Self.appendLiteral(value ? "true" : "false", to: &bytes)
        needsComma = true
    }

    /// Writes `null`.
    ///
    /// A comma is written first if the value follows another one.
    public mutating func null() {
        separate()
        Self.appendLiteral("null", to: &bytes)
        needsComma = true
    }

    /// Writes a number in fixed notation with exactly `fractionDigits` digits after the point.
    ///
    /// For example 94.7 with 1 digit gives `94.7`, 2.0 with 2 gives `2.00`, and 3.5 with 0 gives
    /// `4`. Rounding is half away from zero, applied to the shortest decimal form that reads back
    /// as the same `Double` (so 0.15 rounds to `0.2` and 2.675 to `2.68`, as a person reading those
    /// numbers would expect). There is never an exponent and never `-0`. JSON cannot represent NaN
    /// or infinity: they are written as `null`. Negative `fractionDigits` count as 0.
    public mutating func double(_ value: Double, fractionDigits: Int) {
        separate()
        Self.appendFixed(value, fractionDigits: max(0, fractionDigits), to: &bytes)
        needsComma = true
    }

    /// Writes a whole `JSONValue`, recursively, in compact form.
    ///
    /// Numbers are written as their literal text, unchanged; object members in their stored order.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text):
            separate()
            bytes.append(contentsOf: text.utf8)
            needsComma = true
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    /// Writes an object member whose value is a string.
    ///
    /// Equivalent to `key(key)` followed by `string(value)`.
    public mutating func member(_ key: String, _ string: String) {
        self.key(key)
        self.string(string)
    }

    /// Writes an object member whose value is an integer.
    ///
    /// Equivalent to `key(key)` followed by `int(value)`.
    public mutating func member(_ key: String, _ int: Int) {
        self.key(key)
        self.int(int)
    }

    /// Writes an object member whose value is a Boolean.
    ///
    /// Equivalent to `key(key)` followed by `bool(value)`.
    public mutating func member(_ key: String, _ bool: Bool) {
        self.key(key)
        self.bool(bool)
    }

    /// Writes an object member whose value is a string, or `null` when it is nil.
    ///
    /// The member is always written; only its value depends on `optionalString`.
    public mutating func member(_ key: String, _ optionalString: String?) {
        self.key(key)
        if let optionalString { string(optionalString) } else { null() }
    }

    /// Encodes a value as compact JSON bytes.
    ///
    /// The result parses back with `JSONValue.parse` to an equal value (provided every `.number`
    /// holds a valid JSON number literal and no object repeats a key).
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.bytes
    }

    /// Renders a value as indented JSON for people to read.
    ///
    /// Each element and member goes on its own line, indented two spaces per level, with `": "`
    /// after keys; empty arrays and objects are written `[]` and `{}`. Members keep their order and
    /// strings use the same escapes as compact output. There is no trailing newline.
    public static func pretty(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        appendPretty(value, indent: 0, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Helpers

    private static func appendPretty(_ value: JSONValue, indent: Int, to bytes: inout [UInt8]) {
        func newline(_ level: Int) {
            bytes.append(0x0A)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                appendPretty(element, indent: indent + 1, to: &bytes)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                appendQuoted(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(UInt8(ascii: " "))
                appendPretty(member.value, indent: indent + 1, to: &bytes)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            var writer = JSONWriter(capacity: 0)
            swap(&writer.bytes, &bytes)
            writer.value(value)
            swap(&writer.bytes, &bytes)
        }
    }

    @inline(__always)
    private static func appendLiteral(_ literal: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Appends `"text"` with the minimal escapes.
    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                    index &+= 1
                    continue
                }
                if index > runStart {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = hexDigits.utf8Start
                    bytes.append(UInt8(ascii: "u"))
                    bytes.append(UInt8(ascii: "0"))
                    bytes.append(UInt8(ascii: "0"))
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                }
                index &+= 1
                runStart = index
            }
            if utf8.count > runStart {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    static func appendInt(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// Appends `value` in fixed notation; see `double(_:fractionDigits:)`.
    static func appendFixed(_ value: Double, fractionDigits: Int, to bytes: inout [UInt8]) {
        guard value.isFinite else {
            appendLiteral("null", to: &bytes)
            return
        }
        // The shortest round-tripping decimal digits of |value| and the position of the decimal
        // point among them: value = 0.d1d2d3... × 10^point.
        var (digits, point) = shortestDigits(value.magnitude)
        // Round to `fractionDigits` places: keep the first `point + fractionDigits` digits.
        let keep = point + fractionDigits
        if keep < 0 {
            digits = []
        } else if keep < digits.count {
            let roundUp = digits[keep] >= 5
            digits.removeSubrange(keep...)
            if roundUp {
                var index = keep - 1
                while index >= 0, digits[index] == 9 {
                    digits[index] = 0
                    index -= 1
                }
                if index >= 0 {
                    digits[index] += 1
                } else {
                    digits.insert(1, at: 0)
                    point += 1
                }
            }
        }
        if value < 0, digits.contains(where: { $0 != 0 }) { bytes.append(UInt8(ascii: "-")) }
        func digit(at index: Int) -> UInt8 {
            UInt8(ascii: "0") + (index >= 0 && index < digits.count ? digits[index] : 0)
        }
        if point <= 0 {
            bytes.append(UInt8(ascii: "0"))
        } else {
            for index in 0..<point { bytes.append(digit(at: index)) }
        }
        if fractionDigits > 0 {
            bytes.append(UInt8(ascii: "."))
            for index in point..<(point + fractionDigits) { bytes.append(digit(at: index)) }
        }
    }

    /// The shortest decimal digits that identify a finite, non-negative `value`, without leading
    /// zeros, and the decimal exponent `point` such that value = 0.digits × 10^point.
    private static func shortestDigits(_ value: Double) -> (digits: [UInt8], point: Int) {
        // `description` gives the shortest round-tripping form, e.g. "94.7", "1e-05", "1.5e+16".
        var digits: [UInt8] = []
        var point = 0
        var sawPoint = false
        var exponent = 0
        var utf8 = value.description.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte - UInt8(ascii: "0"))
                if !sawPoint { point += 1 }
            case UInt8(ascii: "."):
                sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var negative = false
                while let next = utf8.next() {
                    switch next {
                    case UInt8(ascii: "-"): negative = true
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): exponent = exponent * 10 + Int(next - UInt8(ascii: "0"))
                    default: break
                    }
                }
                if negative { exponent = -exponent }
            default:
                break
            }
        }
        point += exponent
        var leadingZeros = 0
        while leadingZeros < digits.count, digits[leadingZeros] == 0 { leadingZeros += 1 }
        if leadingZeros == digits.count { return ([], 0) }
        digits.removeFirst(leadingZeros)
        point -= leadingZeros
        return (digits, point)
    }
}
