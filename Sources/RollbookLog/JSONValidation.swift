/// Whether bytes are exactly one strict JSON value, as ``JSONValue/parse(_:)-(UnsafeRawBufferPointer)``
/// would accept them, without building the value.
///
/// The reader checks every line with this, so it is a single pass that allocates only a small list
/// of key ranges. It decides the common cases itself (ASCII and UTF-8 text, the simple escapes,
/// objects of up to 16 members whose keys have no escapes, shallow nesting) and hands anything else
/// (`\u` escapes, escaped or many keys, deep nesting) to the full parser, so its answer is always
/// the parser's.
enum JSONValidation {
    /// Whether `bytes` parse as one JSON value (with optional surrounding whitespace).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count > 0 else { return false }
        var checker = Checker(bytes: bytes)
        checker.keys.reserveCapacity(16)
        switch checker.document() {
        case .valid: return true
        case .invalid: return false
        case .unsure: return (try? JSONValue.parse(bytes)) != nil
        }
    }

    enum Verdict { case valid, invalid, unsure }

    private struct Checker {
        let bytes: UnsafeRawBufferPointer
        var i = 0
        var depth = 0
        var keys: [Range<Int>] = []

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func document() -> Verdict {
            skipWhitespace()
            let verdict = value()
            guard verdict == .valid else { return verdict }
            skipWhitespace()
            return i == bytes.count ? .valid : .invalid
        }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value() -> Verdict {
            guard i < bytes.count else { return .invalid }
            switch bytes[i] {
            case 0x22: return string(key: false).verdict
            case 0x7B: return object()
            case 0x5B: return array()
            case 0x74: return literal("true")
            case 0x66: return literal("false")
            case 0x6E: return literal("null")
            case 0x2D, 0x30...0x39: return number()
            default: return .invalid
            }
        }

        mutating func literal(_ word: StaticString) -> Verdict {
            let count = word.utf8CodeUnitCount
            guard i + count <= bytes.count else { return .invalid }
            for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return .invalid }
            i += count
            return .valid
        }

        func digit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }

        mutating func number() -> Verdict {
            if bytes[i] == 0x2D { i += 1 }
            guard digit(i) else { return .invalid }
            if bytes[i] == 0x30 { i += 1 } else { while digit(i) { i += 1 } }
            if i < bytes.count, bytes[i] == 0x2E {
                i += 1
                guard digit(i) else { return .invalid }
                while digit(i) { i += 1 }
            }
            if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
                i += 1
                if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
                guard digit(i) else { return .invalid }
                while digit(i) { i += 1 }
            }
            return .valid
        }

        /// Scans a string from its opening quote; returns the verdict and whether it held an escape.
        mutating func string(key: Bool) -> (verdict: Verdict, escaped: Bool) {
            i += 1
            var escaped = false
            let base = bytes.baseAddress!
            let count = bytes.count
            while i < count {
                // The common case, plain ASCII text, in a tight loop.
                var k = i
                while k < count {
                    let c = base.load(fromByteOffset: k, as: UInt8.self)
                    guard c >= 0x20, c < 0x80, c != 0x22, c != 0x5C else { break }
                    k += 1
                }
                i = k
                guard i < count else { break }
                let b = bytes[i]
                if b == 0x22 { i += 1; return (.valid, escaped) }
                if b < 0x20 { return (.invalid, escaped) }
                if b == 0x5C {
                    escaped = true
                    guard i + 1 < bytes.count else { return (.invalid, escaped) }
                    switch bytes[i + 1] {
                    case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 2
                    case 0x75: return (.unsure, escaped)  // \u: surrogate rules are the parser's business
                    default: return (.invalid, escaped)
                    }
                    continue
                }
                if b < 0x80 { i += 1; continue }
                guard let length = utf8Sequence(at: i) else { return (.invalid, escaped) }
                i += length
            }
            return (.invalid, escaped)
        }

        /// The length of the well-formed UTF-8 sequence at `at` (Unicode Table 3-7), or nil.
        func utf8Sequence(at: Int) -> Int? {
            func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
                at + k < bytes.count && bytes[at + k] >= low && bytes[at + k] <= high
            }
            switch bytes[at] {
            case 0xC2...0xDF: return cont(1) ? 2 : nil
            case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : nil
            case 0xE1...0xEC, 0xEE, 0xEF: return cont(1) && cont(2) ? 3 : nil
            case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : nil
            case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : nil
            case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : nil
            case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : nil
            default: return nil
            }
        }

        mutating func array() -> Verdict {
            depth += 1
            guard depth <= 32 else { return .unsure }
            i += 1
            skipWhitespace()
            if i < bytes.count, bytes[i] == 0x5D { i += 1; depth -= 1; return .valid }
            while true {
                skipWhitespace()
                let v = value()
                guard v == .valid else { return v }
                skipWhitespace()
                guard i < bytes.count else { return .invalid }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x5D { i += 1; depth -= 1; return .valid }
                return .invalid
            }
        }

        mutating func object() -> Verdict {
            depth += 1
            guard depth <= 32 else { return .unsure }
            i += 1
            let firstKey = keys.count
            defer { keys.removeSubrange(firstKey...) }
            skipWhitespace()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; depth -= 1; return .valid }
            while true {
                skipWhitespace()
                guard i < bytes.count, bytes[i] == 0x22 else { return .invalid }
                let start = i
                let key = string(key: true)
                guard key.verdict == .valid else { return key.verdict }
                if key.escaped || keys.count - firstKey >= 16 { return .unsure }
                let range = (start + 1)..<(i - 1)
                for other in keys[firstKey...] where other.count == range.count {
                    if memcmp(bytes.baseAddress! + other.lowerBound, bytes.baseAddress! + range.lowerBound, range.count) == 0 {
                        return .invalid  // a repeated member
                    }
                }
                keys.append(range)
                skipWhitespace()
                guard i < bytes.count, bytes[i] == 0x3A else { return .invalid }
                i += 1
                skipWhitespace()
                let v = value()
                guard v == .valid else { return v }
                skipWhitespace()
                guard i < bytes.count else { return .invalid }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x7D { i += 1; depth -= 1; return .valid }
                return .invalid
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
