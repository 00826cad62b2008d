// SHA-256 (FIPS 180-4) in pure Swift, without Foundation.
//
// The compression function keeps the eight working variables and the sixteen
// message-schedule words in local variables and runs all 64 rounds unrolled,
// reading each 64-byte block directly from the caller's buffer.

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

/// Streaming SHA-256 (FIPS 180-4).
///
/// Feed data with `update(_:)` any number of times, in chunks of any size, then
/// call `finalize()` once to obtain the digest. For data that is already in
/// memory, the static `hash(_:)` functions do the same in a single call.
public struct SHA256: Sendable {
    @usableFromInline internal var state: SHA256State
    // Bytes received but not yet compressed (always fewer than 64).
    @usableFromInline internal var block: SHA256Block
    @usableFromInline internal var blockCount: Int
    // Total number of bytes received so far.
    @usableFromInline internal var length: UInt64

    /// Creates a hasher in the initial state defined by FIPS 180-4.
    ///
    /// The hasher is a small value type; copying it forks the computation.
    @inlinable
    public init() {
        state = SHA256State()
        block = SHA256Block()
        blockCount = 0
        length = 0
    }

    /// Absorbs the bytes of `buffer` into the hash.
    ///
    /// Whole 64-byte blocks are compressed directly from `buffer` without
    /// copying; only a trailing partial block is buffered.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var input = buffer.baseAddress, buffer.count > 0 else { return }
        var remaining = buffer.count
        length &+= UInt64(truncatingIfNeeded: remaining)
        if blockCount > 0 {
            let take = min(64 &- blockCount, remaining)
            let count = blockCount
            withUnsafeMutableBytes(of: &block) { raw in
                (raw.baseAddress! + count).copyMemory(from: input, byteCount: take)
            }
            blockCount &+= take
            input += take
            remaining &-= take
            if blockCount < 64 { return }
            withUnsafeBytes(of: block) { raw in
                state.compress(raw.baseAddress!, blocks: 1)
            }
            blockCount = 0
        }
        let blocks = remaining &>> 6
        if blocks > 0 {
            state.compress(input, blocks: blocks)
            input += blocks &<< 6
            remaining &= 63
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &block) { raw in
                raw.baseAddress!.copyMemory(from: input, byteCount: remaining)
            }
            blockCount = remaining
        }
    }

    /// Absorbs a sequence of bytes into the hash.
    ///
    /// Contiguous collections such as `[UInt8]`, `ArraySlice<UInt8>` and native
    /// `String.UTF8View` are hashed straight from their storage; other sequences
    /// are copied through a small stack buffer.
    @inlinable
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            self.update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            updateSlowly(bytes)
        }
    }

    @inlinable
    internal mutating func updateSlowly(_ bytes: some Sequence<UInt8>) {
        var chunk = SHA256Block()
        var count = 0
        for byte in bytes {
            withUnsafeMutableBytes(of: &chunk) { $0[count] = byte }
            count &+= 1
            if count == 64 {
                withUnsafeBytes(of: chunk) { self.update($0) }
                count = 0
            }
        }
        if count > 0 {
            withUnsafeBytes(of: chunk) { self.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// Pads the message, compresses the final block(s) and returns the digest.
    ///
    /// Consumes the hasher; copy it first if you need to keep hashing after
    /// reading an intermediate digest.
    public consuming func finalize() -> SHA256Digest {
        let count = blockCount
        let bitLength = length &<< 3
        var state = self.state
        var block = self.block
        withUnsafeMutableBytes(of: &block) { raw in
            let base = raw.baseAddress!
            base.storeBytes(of: 0x80, toByteOffset: count, as: UInt8.self)
            if count >= 56 {
                (base + count + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 63 &- count)
                state.compress(UnsafeRawPointer(base), blocks: 1)
                base.initializeMemory(as: UInt8.self, repeating: 0, count: 56)
            } else {
                (base + count + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 55 &- count)
            }
            base.storeBytes(of: bitLength.bigEndian, toByteOffset: 56, as: UInt64.self)
            state.compress(UnsafeRawPointer(base), blocks: 1)
        }
        return state.digest
    }

    /// Computes the SHA-256 digest of the bytes in `buffer` in one call.
    ///
    /// Whole blocks are compressed in place; only the final one or two padded
    /// blocks are assembled in a stack buffer, so nothing is allocated.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> SHA256Digest {
        var state = SHA256State()
        let total = buffer.count
        let blocks = total &>> 6
        let tailCount = total & 63
        if blocks > 0 {
            state.compress(buffer.baseAddress!, blocks: blocks)
        }
        var tail = (SHA256Block(), SHA256Block())
        withUnsafeMutableBytes(of: &tail) { raw in
            let base = raw.baseAddress!
            if tailCount > 0 {
                base.copyMemory(from: buffer.baseAddress! + (blocks &<< 6), byteCount: tailCount)
            }
            base.storeBytes(of: 0x80, toByteOffset: tailCount, as: UInt8.self)
            let tailBlocks = tailCount < 56 ? 1 : 2
            let bitLength = UInt64(truncatingIfNeeded: total) &<< 3
            base.storeBytes(of: bitLength.bigEndian, toByteOffset: (tailBlocks &<< 6) &- 8, as: UInt64.self)
            state.compress(UnsafeRawPointer(base), blocks: tailBlocks)
        }
        return state.digest
    }

    /// Computes the SHA-256 digest of a sequence of bytes in one call.
    ///
    /// Contiguous collections are hashed straight from their storage; other
    /// sequences go through the streaming path.
    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> SHA256Digest {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        var hasher = SHA256()
        hasher.updateSlowly(bytes)
        return hasher.finalize()
    }
}

/// 64 bytes of inline storage for one message block.
@usableFromInline
internal struct SHA256Block: Sendable {
    @usableFromInline internal var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    @inlinable
    internal init() {
        storage = (0, 0, 0, 0, 0, 0, 0, 0)
    }
}

/// The eight 32-bit chaining words H0...H7.
@usableFromInline
internal struct SHA256State: Sendable {
    @usableFromInline internal var h0: UInt32 = 0x6a09e667
    @usableFromInline internal var h1: UInt32 = 0xbb67ae85
    @usableFromInline internal var h2: UInt32 = 0x3c6ef372
    @usableFromInline internal var h3: UInt32 = 0xa54ff53a
    @usableFromInline internal var h4: UInt32 = 0x510e527f
    @usableFromInline internal var h5: UInt32 = 0x9b05688c
    @usableFromInline internal var h6: UInt32 = 0x1f83d9ab
    @usableFromInline internal var h7: UInt32 = 0x5be0cd19

    @inlinable
    internal init() {}

    internal var digest: SHA256Digest {
        SHA256Digest(
            w0: UInt64(h0) &<< 32 | UInt64(h1),
            w1: UInt64(h2) &<< 32 | UInt64(h3),
            w2: UInt64(h4) &<< 32 | UInt64(h5),
            w3: UInt64(h6) &<< 32 | UInt64(h7))
    }

    /// Compresses `blocks` consecutive 64-byte blocks starting at `input`.
    ///
    /// The 64 rounds are written out: instead of shifting the eight working variables after
    /// each round, every round names them in rotated order (round t updates the variables
    /// playing the roles of d and h). `w0...w15` hold the rolling 16-word message schedule,
    /// and `bc` carries b ^ c from one round to the next for the majority function.
    internal mutating func compress(_ input: UnsafeRawPointer, blocks: Int) {
        var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
        var p = input
        for _ in 0..<blocks {
            var w0 = sha256Load(p, 0), w1 = sha256Load(p, 1), w2 = sha256Load(p, 2), w3 = sha256Load(p, 3)
            var w4 = sha256Load(p, 4), w5 = sha256Load(p, 5), w6 = sha256Load(p, 6), w7 = sha256Load(p, 7)
            var w8 = sha256Load(p, 8), w9 = sha256Load(p, 9), w10 = sha256Load(p, 10), w11 = sha256Load(p, 11)
            var w12 = sha256Load(p, 12), w13 = sha256Load(p, 13), w14 = sha256Load(p, 14), w15 = sha256Load(p, 15)
            var bc = b ^ c

            sha256Round(a, b, c, &d, e, f, g, &h, 0x428a2f98, w0, &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0x71374491, w1, &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0xb5c0fbcf, w2, &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0xe9b5dba5, w3, &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0x3956c25b, w4, &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0x59f111f1, w5, &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0x923f82a4, w6, &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0xab1c5ed5, w7, &bc)
            sha256Round(a, b, c, &d, e, f, g, &h, 0xd807aa98, w8, &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0x12835b01, w9, &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0x243185be, w10, &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0x550c7dc3, w11, &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0x72be5d74, w12, &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0x80deb1fe, w13, &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0x9bdc06a7, w14, &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0xc19bf174, w15, &bc)
            sha256Round(a, b, c, &d, e, f, g, &h, 0xe49b69c1, sha256Expand(&w0, w1, w9, w14), &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0xefbe4786, sha256Expand(&w1, w2, w10, w15), &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0x0fc19dc6, sha256Expand(&w2, w3, w11, w0), &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0x240ca1cc, sha256Expand(&w3, w4, w12, w1), &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0x2de92c6f, sha256Expand(&w4, w5, w13, w2), &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0x4a7484aa, sha256Expand(&w5, w6, w14, w3), &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0x5cb0a9dc, sha256Expand(&w6, w7, w15, w4), &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0x76f988da, sha256Expand(&w7, w8, w0, w5), &bc)
            sha256Round(a, b, c, &d, e, f, g, &h, 0x983e5152, sha256Expand(&w8, w9, w1, w6), &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0xa831c66d, sha256Expand(&w9, w10, w2, w7), &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0xb00327c8, sha256Expand(&w10, w11, w3, w8), &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0xbf597fc7, sha256Expand(&w11, w12, w4, w9), &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0xc6e00bf3, sha256Expand(&w12, w13, w5, w10), &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0xd5a79147, sha256Expand(&w13, w14, w6, w11), &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0x06ca6351, sha256Expand(&w14, w15, w7, w12), &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0x14292967, sha256Expand(&w15, w0, w8, w13), &bc)
            sha256Round(a, b, c, &d, e, f, g, &h, 0x27b70a85, sha256Expand(&w0, w1, w9, w14), &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0x2e1b2138, sha256Expand(&w1, w2, w10, w15), &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0x4d2c6dfc, sha256Expand(&w2, w3, w11, w0), &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0x53380d13, sha256Expand(&w3, w4, w12, w1), &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0x650a7354, sha256Expand(&w4, w5, w13, w2), &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0x766a0abb, sha256Expand(&w5, w6, w14, w3), &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0x81c2c92e, sha256Expand(&w6, w7, w15, w4), &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0x92722c85, sha256Expand(&w7, w8, w0, w5), &bc)
            sha256Round(a, b, c, &d, e, f, g, &h, 0xa2bfe8a1, sha256Expand(&w8, w9, w1, w6), &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0xa81a664b, sha256Expand(&w9, w10, w2, w7), &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0xc24b8b70, sha256Expand(&w10, w11, w3, w8), &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0xc76c51a3, sha256Expand(&w11, w12, w4, w9), &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0xd192e819, sha256Expand(&w12, w13, w5, w10), &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0xd6990624, sha256Expand(&w13, w14, w6, w11), &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0xf40e3585, sha256Expand(&w14, w15, w7, w12), &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0x106aa070, sha256Expand(&w15, w0, w8, w13), &bc)
            sha256Round(a, b, c, &d, e, f, g, &h, 0x19a4c116, sha256Expand(&w0, w1, w9, w14), &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0x1e376c08, sha256Expand(&w1, w2, w10, w15), &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0x2748774c, sha256Expand(&w2, w3, w11, w0), &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0x34b0bcb5, sha256Expand(&w3, w4, w12, w1), &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0x391c0cb3, sha256Expand(&w4, w5, w13, w2), &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0x4ed8aa4a, sha256Expand(&w5, w6, w14, w3), &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0x5b9cca4f, sha256Expand(&w6, w7, w15, w4), &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0x682e6ff3, sha256Expand(&w7, w8, w0, w5), &bc)
            sha256Round(a, b, c, &d, e, f, g, &h, 0x748f82ee, sha256Expand(&w8, w9, w1, w6), &bc)
            sha256Round(h, a, b, &c, d, e, f, &g, 0x78a5636f, sha256Expand(&w9, w10, w2, w7), &bc)
            sha256Round(g, h, a, &b, c, d, e, &f, 0x84c87814, sha256Expand(&w10, w11, w3, w8), &bc)
            sha256Round(f, g, h, &a, b, c, d, &e, 0x8cc70208, sha256Expand(&w11, w12, w4, w9), &bc)
            sha256Round(e, f, g, &h, a, b, c, &d, 0x90befffa, sha256Expand(&w12, w13, w5, w10), &bc)
            sha256Round(d, e, f, &g, h, a, b, &c, 0xa4506ceb, sha256Expand(&w13, w14, w6, w11), &bc)
            sha256Round(c, d, e, &f, g, h, a, &b, 0xbef9a3f7, sha256Expand(&w14, w15, w7, w12), &bc)
            sha256Round(b, c, d, &e, f, g, h, &a, 0xc67178f2, sha256Expand(&w15, w0, w8, w13), &bc)

            a &+= h0; b &+= h1; c &+= h2; d &+= h3; e &+= h4; f &+= h5; g &+= h6; h &+= h7
            h0 = a; h1 = b; h2 = c; h3 = d; h4 = e; h5 = f; h6 = g; h7 = h
            p += 64
        }
    }
}

@inline(__always)
private func sha256Load(_ pointer: UnsafeRawPointer, _ index: Int) -> UInt32 {
    UInt32(bigEndian: pointer.loadUnaligned(fromByteOffset: index &<< 2, as: UInt32.self))
}

@inline(__always)
private func sha256Rotate(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 &- n))
}

/// One SHA-256 round: d += T1 and h = T1 + T2, where the caller rotates the roles of the eight variables.
@inline(__always)
private func sha256Round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
    _ k: UInt32, _ w: UInt32, _ bc: inout UInt32
) {
    let sigma1 = sha256Rotate(sha256Rotate(sha256Rotate(e, 14) ^ e, 5) ^ e, 6)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ sigma1 &+ choose &+ k &+ w
    let sigma0 = sha256Rotate(sha256Rotate(sha256Rotate(a, 9) ^ a, 11) ^ a, 2)
    let ab = a ^ b
    let majority = b ^ (ab & bc)
    bc = ab
    d &+= t1
    h = t1 &+ sigma0 &+ majority
}

/// Message-schedule step: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], in place of W[t-16].
@inline(__always)
private func sha256Expand(_ w16: inout UInt32, _ w15: UInt32, _ w7: UInt32, _ w2: UInt32) -> UInt32 {
    let s0 = sha256Rotate(sha256Rotate(w15, 11) ^ w15, 7) ^ (w15 &>> 3)
    let s1 = sha256Rotate(sha256Rotate(w2, 2) ^ w2, 17) ^ (w2 &>> 10)
    w16 = w16 &+ s0 &+ w7 &+ s1
    return w16
}
