// SHA-256 (FIPS 180-4), without Foundation.
//
// Blocks are compressed by the CPU's SHA instructions when it has them (the CRollbookSHA target,
// chosen once at run time: SHA256Backend), else by the portable Swift compression below, which is
// also the reference the hardware is tested against. The portable function keeps the eight working
// variables and the sixteen message-schedule words in local variables and runs all 64 rounds
// unrolled, reading each 64-byte block directly from the caller's buffer.
import CRollbookSHA

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
    // The compression function this hasher uses.
    @usableFromInline internal let backend: SHA256Backend

    /// Creates a hasher in the initial state defined by FIPS 180-4.
    ///
    /// The hasher is a small value type; copying it forks the computation. It compresses with the
    /// CPU's SHA instructions when this CPU has them.
    @inlinable
    public init() {
        self.init(uncheckedBackend: SHA256Backend.preferred)
    }

    /// Creates a hasher that compresses with `backend` (tests and the benchmark compare the two).
    ///
    /// The backend must be available on this CPU (``SHA256Backend/available``).
    package init(backend: SHA256Backend) {
        precondition(backend.isAvailable, "the \(backend) SHA-256 backend is not available on this CPU")
        self.init(uncheckedBackend: backend)
    }

    @inlinable
    internal init(uncheckedBackend backend: SHA256Backend) {
        state = SHA256State()
        block = SHA256Block()
        blockCount = 0
        length = 0
        self.backend = backend
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
                state.compress(raw.baseAddress!, blocks: 1, backend: backend)
            }
            blockCount = 0
        }
        let blocks = remaining &>> 6
        if blocks > 0 {
            state.compress(input, blocks: blocks, backend: backend)
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
        let backend = self.backend
        var state = self.state
        var block = self.block
        withUnsafeMutableBytes(of: &block) { raw in
            let base = raw.baseAddress!
            base.storeBytes(of: 0x80, toByteOffset: count, as: UInt8.self)
            if count >= 56 {
                (base + count + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 63 &- count)
                state.compress(UnsafeRawPointer(base), blocks: 1, backend: backend)
                base.initializeMemory(as: UInt8.self, repeating: 0, count: 56)
            } else {
                (base + count + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 55 &- count)
            }
            base.storeBytes(of: bitLength.bigEndian, toByteOffset: 56, as: UInt64.self)
            state.compress(UnsafeRawPointer(base), blocks: 1, backend: backend)
        }
        return state.digest
    }

    /// Computes the SHA-256 digest of the bytes in `buffer` in one call.
    ///
    /// Whole blocks are compressed in place; only the final one or two padded
    /// blocks are assembled in a stack buffer, so nothing is allocated.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> SHA256Digest {
        hash(buffer, uncheckedBackend: SHA256Backend.preferred)
    }

    /// Computes the SHA-256 digest of the bytes in `buffer` with `backend` (tests and the benchmark).
    ///
    /// The backend must be available on this CPU (``SHA256Backend/available``).
    package static func hash(_ buffer: UnsafeRawBufferPointer, backend: SHA256Backend) -> SHA256Digest {
        precondition(backend.isAvailable, "the \(backend) SHA-256 backend is not available on this CPU")
        return hash(buffer, uncheckedBackend: backend)
    }

    @inline(__always)
    internal static func hash(_ buffer: UnsafeRawBufferPointer, uncheckedBackend backend: SHA256Backend) -> SHA256Digest {
        if backend == .hardware {
            // One call does the blocks and the padding.
            var words: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { raw in
                rollbook_sha256_hardware_hash(buffer.baseAddress, buffer.count, raw.baseAddress!.assumingMemoryBound(to: UInt32.self))
            }
            return SHA256State(words).digest
        }
        var state = SHA256State()
        let total = buffer.count
        let blocks = total &>> 6
        let tailCount = total & 63
        if blocks > 0 {
            state.compress(buffer.baseAddress!, blocks: blocks, backend: backend)
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
            state.compress(UnsafeRawPointer(base), blocks: tailBlocks, backend: backend)
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

    /// The state whose chaining words are H0…H7 = `words`.
    internal init(_ words: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) {
        (h0, h1, h2, h3, h4, h5, h6, h7) = words
    }

    internal var digest: SHA256Digest {
        SHA256Digest(
            w0: UInt64(h0) &<< 32 | UInt64(h1),
            w1: UInt64(h2) &<< 32 | UInt64(h3),
            w2: UInt64(h4) &<< 32 | UInt64(h5),
            w3: UInt64(h6) &<< 32 | UInt64(h7))
    }

    /// Compresses `blocks` consecutive 64-byte blocks starting at `input` with `backend`.
    @inline(__always)
    internal mutating func compress(_ input: UnsafeRawPointer, blocks: Int, backend: SHA256Backend) {
        switch backend {
        case .hardware: compressWithHardware(input, blocks: blocks)
        case .portable: compress(input, blocks: blocks)
        }
    }

    /// Compresses with the CPU's SHA instructions (the caller has checked that the CPU has them).
    internal mutating func compressWithHardware(_ input: UnsafeRawPointer, blocks: Int) {
        var words = (h0, h1, h2, h3, h4, h5, h6, h7)
        withUnsafeMutableBytes(of: &words) { raw in
            rollbook_sha256_hardware_compress(raw.baseAddress!.assumingMemoryBound(to: UInt32.self), input, blocks)
        }
        (h0, h1, h2, h3, h4, h5, h6, h7) = words
    }

    /// Compresses `blocks` consecutive 64-byte blocks starting at `input` in portable Swift.
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
