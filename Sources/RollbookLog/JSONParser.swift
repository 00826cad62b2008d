// The byte-level JSON parser behind `JSONValue.parse`.
//
// Design notes:
// - It reads straight from an `UnsafeRawPointer` and never builds strings byte by byte: a string's
//   content is scanned eight bytes at a time for the bytes that need attention (`"`, `\`, control
//   characters, non-ASCII) and, when it has no escapes, copied into a `String` in one go. Escaped
//   strings are decoded into a reusable scratch buffer.
// - Containers collect their elements on shared stacks (`valueStack`, `memberStack`) and move them
//   out into one exactly-sized array when they close, instead of growing an array per container.
// - Recursion depth is bounded by `JSONValue.maximumDepth`, so hostile nesting cannot exhaust the
//   stack.
// - Duplicate keys are found by comparing 64-bit hashes of the keys' UTF-8 bytes (exact bytes are
//   compared only when hashes match); objects with many members switch to a hash set so that a
//   huge object costs linear, not quadratic, time.

private let quote: UInt8 = 0x22 // "
private let backslash: UInt8 = 0x5C // \

struct JSONParser {
    let base: UnsafeRawPointer
    let count: Int
    var position = 0
    var depth = 0
    var valueStack = MoveStack<JSONValue>()
    var memberStack = MoveStack<JSONMember>()
    var keyHashes = MoveStack<UInt64>()
    var scratch: [UInt8] = []

    /// Objects with at least this many members check for duplicate keys with a hash set.
    static let linearKeyCheckLimit = 16

    init(base: UnsafeRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    /// Frees the element stacks; call exactly once, when done with the parser.
    mutating func release() {
        valueStack.release()
        memberStack.release()
        keyHashes.release()
    }

    @inline(__always)
    func byte(at index: Int) -> UInt8 {
        base.load(fromByteOffset: index, as: UInt8.self)
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        if position < count { throw .trailingData(offset: position) }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            switch byte(at: position) {
            case 0x20, 0x0A, 0x0D, 0x09: position &+= 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard position < count else { throw .unexpectedEnd(offset: position) }
        switch byte(at: position) {
        case quote:
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw .expectedValue(offset: position)
        }
    }

    @inline(__always)
    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let length = literal.utf8CodeUnitCount
        guard count &- position >= length else { throw .invalidLiteral(offset: position) }
        let expected = literal.utf8Start
        for index in 0..<length where byte(at: position &+ index) != expected[index] {
            throw .invalidLiteral(offset: position)
        }
        position &+= length
    }

    // MARK: Containers

    mutating func parseArray() throws(JSONError) -> JSONValue {
        let open = position
        depth &+= 1
        guard depth <= JSONValue.maximumDepth else { throw .tooDeep(offset: open) }
        position &+= 1
        skipWhitespace()
        guard position < count else { throw .unexpectedEnd(offset: position) }
        if byte(at: position) == UInt8(ascii: "]") {
            position &+= 1
            depth &-= 1
            return .array([])
        }
        let stackBase = valueStack.count
        while true {
            let element = try parseValue()
            valueStack.push(element)
            skipWhitespace()
            guard position < count else { throw .unexpectedEnd(offset: position) }
            let next = byte(at: position)
            if next == UInt8(ascii: ",") {
                let comma = position
                position &+= 1
                skipWhitespace()
                if position < count, byte(at: position) == UInt8(ascii: "]") {
                    throw .trailingComma(offset: comma)
                }
            } else if next == UInt8(ascii: "]") {
                position &+= 1
                break
            } else {
                throw .expectedCommaOrArrayEnd(offset: position)
            }
        }
        let elements = valueStack.popArray(from: stackBase)
        depth &-= 1
        return .array(elements)
    }

    mutating func parseObject() throws(JSONError) -> JSONValue {
        let open = position
        depth &+= 1
        guard depth <= JSONValue.maximumDepth else { throw .tooDeep(offset: open) }
        position &+= 1
        skipWhitespace()
        guard position < count else { throw .unexpectedEnd(offset: position) }
        if byte(at: position) == UInt8(ascii: "}") {
            position &+= 1
            depth &-= 1
            return .object([])
        }
        let stackBase = memberStack.count
        let hashBase = keyHashes.count
        var largeObjectKeys: Set<ExactKey>? = nil
        while true {
            guard position < count else { throw .unexpectedEnd(offset: position) }
            guard byte(at: position) == quote else { throw .expectedKey(offset: position) }
            let keyOffset = position
            let (key, hash) = try parseKey()
            if largeObjectKeys == nil {
                var index = hashBase
                while index < keyHashes.count {
                    if keyHashes.pointer(at: index).pointee == hash,
                       memberStack.pointer(at: stackBase &+ (index &- hashBase)).pointee.key.utf8
                           .elementsEqual(key.utf8) {
                        throw .duplicateKey(offset: keyOffset, key: key)
                    }
                    index &+= 1
                }
                keyHashes.push(hash)
                if keyHashes.count &- hashBase >= Self.linearKeyCheckLimit {
                    var keys = Set<ExactKey>(minimumCapacity: 2 * Self.linearKeyCheckLimit)
                    for index in hashBase..<(keyHashes.count &- 1) {
                        keys.insert(ExactKey(key: memberStack.pointer(at: stackBase &+ (index &- hashBase)).pointee.key,
                                             hash: keyHashes.pointer(at: index).pointee))
                    }
                    keys.insert(ExactKey(key: key, hash: hash))
                    largeObjectKeys = keys
                }
            } else if largeObjectKeys?.insert(ExactKey(key: key, hash: hash)).inserted == false {
                throw .duplicateKey(offset: keyOffset, key: key)
            }
            skipWhitespace()
            guard position < count else { throw .unexpectedEnd(offset: position) }
            guard byte(at: position) == UInt8(ascii: ":") else { throw .expectedColon(offset: position) }
            position &+= 1
            let value = try parseValue()
            memberStack.push(JSONMember(key: key, value: value))
            skipWhitespace()
            guard position < count else { throw .unexpectedEnd(offset: position) }
            let next = byte(at: position)
            if next == UInt8(ascii: ",") {
                let comma = position
                position &+= 1
                skipWhitespace()
                if position < count, byte(at: position) == UInt8(ascii: "}") {
                    throw .trailingComma(offset: comma)
                }
            } else if next == UInt8(ascii: "}") {
                position &+= 1
                break
            } else {
                throw .expectedCommaOrObjectEnd(offset: position)
            }
        }
        let members = memberStack.popArray(from: stackBase)
        keyHashes.truncate(to: hashBase)
        depth &-= 1
        return .object(members)
    }

    // MARK: Numbers

    @inline(__always)
    func isDigit(_ index: Int) -> Bool {
        index < count && byte(at: index) &- UInt8(ascii: "0") < 10
    }

    mutating func parseNumber() throws(JSONError) -> String {
        let start = position
        var index = position
        if byte(at: index) == UInt8(ascii: "-") { index &+= 1 }
        guard index < count else { throw .invalidNumber(offset: start) }
        let first = byte(at: index)
        if first == UInt8(ascii: "0") {
            index &+= 1
            if isDigit(index) { throw .leadingZero(offset: start) }
        } else if first &- UInt8(ascii: "1") < 9 {
            index &+= 1
            while isDigit(index) { index &+= 1 }
        } else {
            throw .invalidNumber(offset: start)
        }
        if index < count, byte(at: index) == UInt8(ascii: ".") {
            index &+= 1
            guard isDigit(index) else { throw .invalidNumber(offset: start) }
            while isDigit(index) { index &+= 1 }
        }
        if index < count, byte(at: index) | 0x20 == UInt8(ascii: "e") {
            index &+= 1
            if index < count, byte(at: index) == UInt8(ascii: "+") || byte(at: index) == UInt8(ascii: "-") {
                index &+= 1
            }
            guard isDigit(index) else { throw .invalidNumber(offset: start) }
            while isDigit(index) { index &+= 1 }
        }
        position = index
        return makeString(base + start, index &- start)
    }

    // MARK: Strings

    mutating func parseString() throws(JSONError) -> String {
        let (start, end) = try scanString()
        if start >= 0 { return makeString(base + start, end &- start) }
        return String(decoding: scratch, as: UTF8.self)
    }

    mutating func parseKey() throws(JSONError) -> (String, UInt64) {
        let (start, end) = try scanString()
        if start >= 0 {
            let pointer = base + start
            let length = end &- start
            return (makeString(pointer, length), hashBytes(pointer, length, readable: count &- start))
        }
        // An escape always decodes to at least one byte, so `scratch` is not empty here.
        let hash = scratch.withUnsafeBytes { hashBytes($0.baseAddress!, $0.count, readable: $0.count) }
        return (String(decoding: scratch, as: UTF8.self), hash)
    }

    /// Reads the string starting at `position` (its opening quote) and leaves `position` after the
    /// closing quote. Returns the range of its content in the input when it has no escapes, or
    /// (-1, -1) when the decoded content is in `scratch`.
    @inline(__always)
    mutating func scanString() throws(JSONError) -> (Int, Int) {
        let opening = position
        position &+= 1
        let start = position
        try scanPlainRun(opening: opening)
        if byte(at: position) == quote {
            let end = position
            position &+= 1
            return (start, end)
        }
        return try decodeEscapedString(opening: opening, start: start)
    }

    @inline(never)
    mutating func decodeEscapedString(opening: Int, start: Int) throws(JSONError) -> (Int, Int) {
        scratch.removeAll(keepingCapacity: true)
        appendToScratch(start, position)
        while true {
            // `position` is at a backslash.
            try decodeEscape(opening: opening)
            let runStart = position
            try scanPlainRun(opening: opening)
            appendToScratch(runStart, position)
            if byte(at: position) == quote {
                position &+= 1
                return (-1, -1)
            }
        }
    }

    @inline(__always)
    mutating func appendToScratch(_ start: Int, _ end: Int) {
        if end > start {
            scratch.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: end &- start))
        }
    }

    /// Advances `position` over string content that needs no decoding (printable ASCII other than
    /// `"` and `\`, and well-formed UTF-8 sequences), stopping at a `"` or `\`.
    @inline(__always)
    mutating func scanPlainRun(opening: Int) throws(JSONError) {
        var index = position
        while true {
            while index &+ 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let mask = specialByteMask(word)
                if mask != 0 {
                    index &+= mask.trailingZeroBitCount &>> 3
                    break
                }
                index &+= 8
            }
            guard index < count else { throw .unterminatedString(offset: opening) }
            let current = byte(at: index)
            if current == quote || current == backslash {
                position = index
                return
            }
            if current < 0x20 { throw .controlCharacter(offset: index) }
            if current < 0x80 {
                index &+= 1
            } else {
                index = try endOfUTF8Sequence(at: index, lead: current, opening: opening)
            }
        }
    }

    /// Returns the index just past the well-formed UTF-8 sequence whose lead byte is at `index`.
    func endOfUTF8Sequence(at index: Int, lead: UInt8, opening: Int) throws(JSONError) -> Int {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F // U+D800...U+DFFF are not scalars
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F // nothing above U+10FFFF
        default: throw .invalidUTF8(offset: index) // continuation byte, C0, C1 or F5...FF
        }
        for offset in 1..<length {
            guard index &+ offset < count else { throw .unterminatedString(offset: opening) }
            let continuation = byte(at: index &+ offset)
            let (lower, upper) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard continuation >= lower, continuation <= upper else { throw .invalidUTF8(offset: index) }
        }
        return index &+ length
    }

    /// Decodes the escape at `position` (a backslash) into `scratch` and advances past it.
    mutating func decodeEscape(opening: Int) throws(JSONError) {
        let escapeStart = position
        guard position &+ 1 < count else { throw .unterminatedString(offset: opening) }
        let kind = byte(at: position &+ 1)
        let decoded: UInt8
        switch kind {
        case quote, backslash, UInt8(ascii: "/"): decoded = kind
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            let unit = try readHex4(at: position &+ 2, escapeStart: escapeStart, opening: opening)
            position &+= 6
            var scalar = unit
            if unit >= 0xDC00, unit <= 0xDFFF { throw .loneSurrogate(offset: escapeStart) }
            if unit >= 0xD800, unit <= 0xDBFF {
                guard position < count else { throw .unterminatedString(offset: opening) }
                guard byte(at: position) == backslash else { throw .loneSurrogate(offset: escapeStart) }
                guard position &+ 1 < count else { throw .unterminatedString(offset: opening) }
                guard byte(at: position &+ 1) == UInt8(ascii: "u") else { throw .loneSurrogate(offset: escapeStart) }
                let low = try readHex4(at: position &+ 2, escapeStart: position, opening: opening)
                guard low >= 0xDC00, low <= 0xDFFF else { throw .loneSurrogate(offset: escapeStart) }
                position &+= 6
                scalar = 0x10000 &+ ((unit &- 0xD800) &<< 10) &+ (low &- 0xDC00)
            }
            appendUTF8(scalar)
            return
        default:
            throw .invalidEscape(offset: escapeStart)
        }
        scratch.append(decoded)
        position &+= 2
    }

    func readHex4(at index: Int, escapeStart: Int, opening: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard index &+ offset < count else { throw .unterminatedString(offset: opening) }
            let digit = byte(at: index &+ offset)
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit &- UInt8(ascii: "A") &+ 10
            default: throw .invalidUnicodeEscape(offset: escapeStart)
            }
            value = value &<< 4 | UInt32(nibble)
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar &>> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar &>> 12))
            scratch.append(UInt8(0x80 | scalar &>> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar &>> 18))
            scratch.append(UInt8(0x80 | scalar &>> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar &>> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

/// A mask with bit 7 of each byte set where that byte of `word` is `"`, `\`, below 0x20 or at
/// least 0x80. Bytes above the first flagged one may be flagged spuriously; the lowest set bit is
/// always exact, which is all the scanner uses.
@inline(__always)
private func specialByteMask(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quotes = word ^ (ones &* 0x22)
    let backslashes = word ^ (ones &* 0x5C)
    let hasQuote = (quotes &- ones) & ~quotes
    let hasBackslash = (backslashes &- ones) & ~backslashes
    let hasControl = (word &- ones &* 0x20) & ~word
    return (hasQuote | hasBackslash | hasControl | word) & highs
}

/// Copies `count` bytes of already validated UTF-8 into a new string.
@inline(__always)
private func makeString(_ pointer: UnsafeRawPointer, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
}

/// A 64-bit hash of `count` bytes, used to find duplicate keys quickly. `readable` (at least
/// `count`) is how many bytes from `pointer` on may be read, which lets the tail be loaded in one go.
@inline(__always)
private func hashBytes(_ pointer: UnsafeRawPointer, _ count: Int, readable: Int) -> UInt64 {
    var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: count)
    var index = 0
    while index &+ 8 <= count {
        let word = pointer.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash &>> 29
        index &+= 8
    }
    if index < count {
        var tail: UInt64 = 0
        if index &+ 8 <= readable {
            let word = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            tail = word & (UInt64.max &>> (64 &- 8 &* UInt64(truncatingIfNeeded: count &- index)))
        } else {
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(pointer.load(fromByteOffset: index, as: UInt8.self)) &<< shift
                shift &+= 8
                index &+= 1
            }
        }
        hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash &>> 29
    }
    return hash
}

/// A key compared by its exact UTF-8 bytes (not by Unicode canonical equivalence), with its hash.
struct ExactKey: Hashable {
    let key: String
    let hash: UInt64

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
        lhs.hash == rhs.hash && lhs.key.utf8.elementsEqual(rhs.key.utf8)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}

/// A stack of values that hands its top elements out as a new array by moving them, without the
/// copy-then-destroy (and reference counting) that slicing an `Array` would cost.
///
/// It owns manually allocated memory: `release()` must be called exactly once when done.
struct MoveStack<Element> {
    private var base: UnsafeMutablePointer<Element>? = nil
    private(set) var count = 0
    private var capacity = 0

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count &+= 1
    }

    /// The address of the element at `index`, which must be below `count`.
    @inline(__always)
    func pointer(at index: Int) -> UnsafeMutablePointer<Element> {
        base.unsafelyUnwrapped + index
    }

    /// Removes the elements from `start` up and returns them, in order, as an array.
    @inline(__always)
    mutating func popArray(from start: Int) -> [Element] {
        let moved = count &- start
        guard moved > 0 else { return [] }
        let source = base.unsafelyUnwrapped + start
        count = start
        return Array(unsafeUninitializedCapacity: moved) { buffer, initialized in
            buffer.baseAddress.unsafelyUnwrapped.moveInitialize(from: source, count: moved)
            initialized = moved
        }
    }

    /// Removes the elements from `start` up.
    @inline(__always)
    mutating func truncate(to start: Int) {
        if count > start {
            (base.unsafelyUnwrapped + start).deinitialize(count: count &- start)
            count = start
        }
    }

    @inline(never)
    private mutating func grow() {
        let newCapacity = Swift.max(16, capacity &* 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }

    mutating func release() {
        if let base {
            base.deinitialize(count: count)
            base.deallocate()
        }
        base = nil
        count = 0
        capacity = 0
    }
}
