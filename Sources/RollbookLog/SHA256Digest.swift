// The value type for a SHA-256 digest: parsing and printing its lowercase hex spelling.

/// A SHA-256 digest (32 bytes).
///
/// The digest is stored inline as four big-endian 64-bit words, so it never
/// allocates and compares, hashes and copies as a plain value.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    // Bytes 0..<8, 8..<16, 16..<24 and 24..<32 of the digest, each read big-endian.
    @usableFromInline internal var w0: UInt64
    @usableFromInline internal var w1: UInt64
    @usableFromInline internal var w2: UInt64
    @usableFromInline internal var w3: UInt64

    @inlinable
    internal init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Parses a digest from exactly 64 lowercase hexadecimal ASCII bytes.
    ///
    /// Returns `nil` when the input is not exactly 64 bytes long or contains any
    /// byte other than `0`-`9` and `a`-`f`; uppercase hex digits are refused so
    /// that every digest has a single canonical spelling. Contiguous inputs
    /// (`UnsafeRawBufferPointer`, `[UInt8]`, native `String.UTF8View`) take a
    /// branch-light fast path.
    @inlinable
    public init?(hex: some Collection<UInt8>) {
        if let parsed = hex.withContiguousStorageIfAvailable({ SHA256Digest.parse(UnsafeRawBufferPointer($0)) }) {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        for char in hex {
            guard count < 64, let nibble = SHA256Digest.nibble(char) else { return nil }
            let value = UInt64(nibble)
            switch count &>> 4 {
            case 0: words.0 = words.0 &<< 4 | value
            case 1: words.1 = words.1 &<< 4 | value
            case 2: words.2 = words.2 &<< 4 | value
            default: words.3 = words.3 &<< 4 | value
            }
            count &+= 1
        }
        guard count == 64 else { return nil }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Parses a digest from a 64-character lowercase hexadecimal string.
    ///
    /// Equivalent to `init?(hex:)` applied to the string's UTF-8 bytes, so any
    /// length other than 64, uppercase digits or non-hex characters yield `nil`.
    @inlinable
    public init?(hex: String) {
        self.init(hex: hex.utf8)
    }

    /// The digest whose 32 bytes are all zero.
    ///
    /// Useful as a sentinel, for example as the "previous hash" of the first
    /// entry in a hash chain.
    public static let zero = SHA256Digest(w0: 0, w1: 0, w2: 0, w3: 0)

    /// The digest as 64 lowercase hexadecimal characters.
    ///
    /// This is the same spelling that `sha256sum` prints and that `init?(hex:)`
    /// accepts.
    @inlinable
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { buffer in
            writeHex(to: UnsafeMutableRawBufferPointer(buffer))
            return 64
        }
    }

    /// Writes the 64 lowercase hexadecimal ASCII bytes of the digest to the start of `buffer`.
    ///
    /// The buffer must hold at least 64 bytes (checked with a precondition);
    /// bytes after the first 64 are left untouched.
    @inlinable
    public func writeHex(to buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= 64, "SHA256Digest.writeHex needs a buffer of at least 64 bytes")
        let base = buffer.baseAddress!
        SHA256Digest.writeHex(w0, to: base)
        SHA256Digest.writeHex(w1, to: base + 16)
        SHA256Digest.writeHex(w2, to: base + 32)
        SHA256Digest.writeHex(w3, to: base + 48)
    }

    /// Appends the 64 lowercase hexadecimal ASCII bytes of the digest to `bytes`.
    ///
    /// Existing contents of `bytes` are kept; the array grows by exactly 64.
    @inlinable
    public func appendHex(to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 64))
        bytes.withUnsafeMutableBytes { raw in
            writeHex(to: UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
        }
    }

    /// The 32 raw bytes of the digest.
    ///
    /// The bytes are in the standard order, i.e. the order `sha256sum` prints
    /// them in hex.
    @inlinable
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: w0.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: w1.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: w2.bigEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: w3.bigEndian, toByteOffset: 24, as: UInt64.self)
            initialized = 32
        }
    }

    /// A textual representation of the digest: its 64 lowercase hex characters.
    ///
    /// Identical to `hex`.
    public var description: String { hex }

    @inlinable @inline(__always)
    internal static func nibble(_ char: UInt8) -> UInt8? {
        let digit = char &- 0x30  // "0"
        if digit < 10 { return digit }
        let letter = char &- 0x61  // "a"
        if letter < 6 { return letter &+ 10 }
        return nil
    }

    /// Parses 64 lowercase hex bytes; `nil` for any other length or byte.
    @usableFromInline
    internal static func parse(_ text: UnsafeRawBufferPointer) -> SHA256Digest? {
        guard text.count == 64, let base = text.baseAddress else { return nil }
        var valid = true
        let w0 = parseWord(base, &valid)
        let w1 = parseWord(base + 16, &valid)
        let w2 = parseWord(base + 32, &valid)
        let w3 = parseWord(base + 48, &valid)
        return valid ? SHA256Digest(w0: w0, w1: w1, w2: w2, w3: w3) : nil
    }

    /// Parses 16 hex bytes into one word, clearing `valid` if any byte is not `0`-`9` or `a`-`f`.
    @inline(__always)
    internal static func parseWord(_ text: UnsafeRawPointer, _ valid: inout Bool) -> UInt64 {
        let high = parseHalf(UInt64(littleEndian: text.loadUnaligned(as: UInt64.self)), &valid)
        let low = parseHalf(UInt64(littleEndian: text.loadUnaligned(fromByteOffset: 8, as: UInt64.self)), &valid)
        return UInt64(high) &<< 32 | UInt64(low)
    }

    /// Parses eight hex characters (the first in the lowest byte of `chars`) into 32 bits.
    @inline(__always)
    internal static func parseHalf(_ chars: UInt64, _ valid: inout Bool) -> UInt32 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // For bytes below 0x80 these additions never carry into the next byte, so bit 7 of
        // each byte answers "byte >= lower bound" or "byte > upper bound".
        let atLeast0 = chars &+ ones &* (0x80 - 0x30)
        let above9 = chars &+ ones &* (0x7F - 0x39)
        let atLeastA = chars &+ ones &* (0x80 - 0x61)
        let aboveF = chars &+ ones &* (0x7F - 0x66)
        let digit = atLeast0 & ~above9 & highBits
        let letter = atLeastA & ~aboveF & highBits
        valid = valid && (chars & highBits) == 0 && (digit | letter) == highBits
        // Nibble values: low four bits, plus 9 for "a"..."f".
        var x = (chars & 0x0F0F_0F0F_0F0F_0F0F) &+ (letter &>> 7) &* 9
        // Pack pairs of nibbles, then bytes: the first character is the most significant nibble.
        x = ((x & 0x000F_000F_000F_000F) &<< 4 | (x & 0x0F00_0F00_0F00_0F00) &>> 8)
        x = (x | x &>> 8) & 0x0000_FFFF_0000_FFFF
        x = (x | x &>> 16) & 0x0000_0000_FFFF_FFFF
        return UInt32(truncatingIfNeeded: x).byteSwapped
    }

    /// Writes the 16 hex digits of `word`, most significant first.
    @usableFromInline
    internal static func writeHex(_ word: UInt64, to out: UnsafeMutableRawPointer) {
        out.storeBytes(of: hexDigits(UInt32(truncatingIfNeeded: word &>> 32)), as: UInt64.self)
        out.storeBytes(of: hexDigits(UInt32(truncatingIfNeeded: word)), toByteOffset: 8, as: UInt64.self)
    }

    /// The eight hex digits of `value` as ASCII bytes packed so that a native store writes them in order.
    @inline(__always)
    internal static func hexDigits(_ value: UInt32) -> UInt64 {
        // Spread the eight nibbles into eight bytes, least significant nibble in the lowest byte.
        var x = UInt64(value)
        x = (x | x &<< 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x &<< 8) & 0x00FF_00FF_00FF_00FF
        x = (x | x &<< 4) & 0x0F0F_0F0F_0F0F_0F0F
        // 0x01 in every byte whose nibble is 10...15, then "0" + nibble (+ 39 more for "a"...).
        let letters = ((x &+ 0x0606_0606_0606_0606) &>> 4) & 0x0101_0101_0101_0101
        let ascii = x &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
        // The most significant nibble must come first in memory.
        return UInt64(bigEndian: ascii)
    }
}
