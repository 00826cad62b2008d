/// A cursor over a log line's bytes for the exact decoders (``EventLineDecoder``, ``MarkLineDecoder``):
/// every method returns nil/false on anything but the writer's exact layout, leaving the caller to fall
/// back to the general decoder.
struct LineCursor {
    let b: UnsafeRawBufferPointer
    var i: Int
    /// The last date read and its bytes: marks come a register at a time, one date for many lines.
    var lastDate: (low: UInt64, high: UInt16, date: SchoolDate)?

    /// 8 to 40 bytes of a member name and its punctuation, compared a word at a time (the last word
    /// ends at the literal's last byte, overlapping the one before it, so no load passes the literal).
    struct Literal {
        let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64, last: UInt64
        let count: Int

        init(_ bytes: [UInt8]) {
            precondition(bytes.count >= 8 && bytes.count <= 40, "a literal of the layout is 8 to 40 bytes")
            count = bytes.count
            func word(_ from: Int) -> UInt64 {
                var v: UInt64 = 0
                for k in 0..<8 where from + k < bytes.count { v |= UInt64(bytes[from + k]) << (8 * UInt64(k)) }
                return v
            }
            (w0, w1, w2, w3, last) = (word(0), word(8), word(16), word(24), word(bytes.count - 8))
        }

        /// Whether the `count` bytes at `p` are the literal.
        @inline(__always)
        func matches(_ p: UnsafeRawPointer) -> Bool {
            @inline(__always) func load(_ offset: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
            var diff = load(count - 8) ^ last
            if count > 8 { diff |= load(0) ^ w0 }
            if count > 16 { diff |= load(8) ^ w1 }
            if count > 24 { diff |= load(16) ^ w2 }
            if count > 32 { diff |= load(24) ^ w3 }
            return diff == 0
        }
    }

    /// The offset of the `,` after the `prev` member of `{"seq":N,"at":"…","prev":"…"`, or 0.
    @inline(__always)
    static func prefixEnd(_ b: UnsafeRawBufferPointer) -> Int {
        var i = 7
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        i += 7 + 24 + 10 + 64 + 1
        return i < b.count && b[i] == UInt8(ascii: ",") ? i : 0
    }

    /// Bytes of the layout given as an array (for literals shorter than 8 bytes or used rarely).
    @inline(__always)
    mutating func literal(_ bytes: [UInt8]) -> Bool {
        guard i + bytes.count <= b.count else { return false }
        for k in 0..<bytes.count where b[i + k] != bytes[k] { return false }
        i += bytes.count
        return true
    }

    @inline(__always)
    mutating func literal(_ key: Literal) -> Bool {
        guard i + key.count <= b.count, key.matches(b.baseAddress! + i) else { return false }
        i += key.count
        return true
    }

    /// The body of a string whose opening quote was consumed: printable ASCII without escapes; consumes the closing quote.
    @inline(__always)
    mutating func stringBody() -> Range<Int>? {
        let start = i
        // Eight bytes at a time: the first `"`, `\`, control byte or non-ASCII byte (each test below
        // marks exactly the lowest such byte of the word; only bytes above it may be marked wrongly).
        while i + 8 <= b.count {
            let w = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let quote = w ^ 0x2222_2222_2222_2222, slash = w ^ 0x5C5C_5C5C_5C5C_5C5C
            let zeroQuote = (quote &- 0x0101_0101_0101_0101) & ~quote
            let zeroSlash = (slash &- 0x0101_0101_0101_0101) & ~slash
            let control = (w &- 0x2020_2020_2020_2020) & ~w
            let stop = (zeroQuote | zeroSlash | control | w) & 0x8080_8080_8080_8080
            if stop == 0 {
                i += 8
                continue
            }
            i += stop.trailingZeroBitCount / 8
            guard b[i] == 0x22 else { return nil }
            i += 1
            return start..<(i - 1)
        }
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                i += 1
                return start..<(i - 1)
            }
            if c == 0x5C || c < 0x20 || c >= 0x80 { return nil }
            i += 1
        }
        return nil
    }

    @inline(__always)
    mutating func skipString() -> Bool { stringBody() != nil }

    /// A string's body (see ``stringBody()``) as a String.
    mutating func string() -> String? {
        guard let range = stringBody() else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[range]), as: UTF8.self)
    }

    /// `YYYY-MM-DD"` (the opening quote consumed).
    @inline(__always)
    mutating func date() -> SchoolDate? {
        guard i + 11 <= b.count, b[i + 4] == 0x2D, b[i + 7] == 0x2D, b[i + 10] == 0x22 else { return nil }
        // The same ten bytes as the last date read: the same (valid) date.
        let low = b.loadUnaligned(fromByteOffset: i, as: UInt64.self), high = b.loadUnaligned(fromByteOffset: i + 8, as: UInt16.self)
        if let lastDate, lastDate.low == low, lastDate.high == high {
            i += 11
            return lastDate.date
        }
        var ok = true
        @inline(__always) func digit(_ k: Int) -> Int {
            let c = b[i + k] &- 0x30
            if c > 9 { ok = false }
            return Int(c)
        }
        let y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let m = digit(5) * 10 + digit(6)
        let d = digit(8) * 10 + digit(9)
        guard ok, let date = SchoolDate(year: y, month: m, day: d) else { return nil }
        lastDate = (low, high, date)
        i += 11
        return date
    }

    /// `AM"` or `PM"`.
    @inline(__always)
    mutating func session() -> Session? {
        guard i + 3 <= b.count, b[i + 1] == UInt8(ascii: "M"), b[i + 2] == 0x22 else { return nil }
        let session: Session
        switch b[i] {
        case UInt8(ascii: "A"): session = .am
        case UInt8(ascii: "P"): session = .pm
        default: return nil
        }
        i += 3
        return session
    }

    /// A code of one or two bytes (or `\\`, the escaped `\`) and its closing quote.
    @inline(__always)
    mutating func code() -> AttendanceCode? {
        guard i + 3 <= b.count else { return nil }
        if b[i] == 0x5C {
            guard b[i + 1] == 0x5C, b[i + 2] == 0x22 else { return nil }
            i += 3
            return .presentPM
        }
        if b[i + 1] == 0x22 {
            guard let code = AttendanceCode(utf8: CollectionOfOne(b[i])) else { return nil }
            i += 2
            return code
        }
        guard b[i + 2] == 0x22, let code = AttendanceCode(utf8: UnsafeRawBufferPointer(rebasing: b[i..<(i + 2)])) else { return nil }
        i += 3
        return code
    }

    /// A JSON integer without sign, leading zeros, fraction or exponent (at most 9 digits).
    @inline(__always)
    mutating func integer() -> Int? {
        let start = i
        var v = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            v = v * 10 + Int(b[i] &- 0x30)
            i += 1
        }
        let n = i - start
        guard n >= 1, n <= 9, !(n > 1 && b[start] == 0x30) else { return nil }
        return v
    }

    /// The closing brace is the line's last byte.
    @inline(__always)
    func end() -> Bool { i + 1 == b.count && b[i] == 0x7D }
}
