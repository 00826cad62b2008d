import Dispatch

/// An RFC 6962 Merkle tree over a list of leaves, with every level kept so proofs are read, not recomputed.
///
/// A leaf's hash is `SHA-256(0x00 ‖ leaf)` and an interior node's is `SHA-256(0x01 ‖ left ‖ right)`
/// (RFC 6962 §2.1). Level 0 holds the leaf hashes; level `k` holds the hash of every complete, aligned
/// run of `2^k` leaves. A subtree on the right edge that is not complete is combined from the stored
/// levels when a root or proof needs it (at most one per level). The tree knows nothing of attendance:
/// for a ledger, leaf `i` is the 32-byte chain hash of line `i + 1` (see `events/FORMAT.md`).
public struct MerkleTree: Sendable {
    /// `levels[k][i]` is the hash of leaves `i·2^k ..< (i+1)·2^k`.
    var levels: [[SHA256Digest]]

    /// Creates the tree whose leaves are the given byte strings (each hashed as `SHA-256(0x00 ‖ leaf)`).
    public init(leaves: [[UInt8]]) {
        self.init(leafHashes: leaves.map { MerkleTree.leafHash($0) })
    }

    /// Creates the tree whose leaves are 32-byte values, such as a log's chain hashes.
    ///
    /// The leaf hashes replace the values in the array's own storage, so a log's chain hashes handed over
    /// with `consume` cost no second array.
    public init(leafDigests: consuming [SHA256Digest]) {
        var hashes = leafDigests
        MerkleTree.parallelUpdate(&hashes) { MerkleTree.leafHash($0) }
        self.init(leafHashes: hashes)
    }

    /// Creates the tree from leaf hashes already computed with ``leafHash(_:)-swift.type.method``.
    public init(leafHashes: [SHA256Digest]) {
        var levels = [leafHashes]
        while let below = levels.last, below.count >= 2 {
            levels.append(MerkleTree.parallelMap(below.count / 2) { (below[2 * $0], below[2 * $0 + 1]) }
                                                transform: { MerkleTree.nodeHash($0.0, $0.1) })
        }
        self.levels = levels
    }

    /// Replaces each element by `transform` of it, on both cores when there are many.
    static func parallelUpdate(_ values: inout [SHA256Digest], _ transform: (SHA256Digest) -> SHA256Digest) {
        let count = values.count
        guard count >= 1 << 14 else {
            for i in values.indices { values[i] = transform(values[i]) }
            return
        }
        let chunks = 8
        let perChunk = (count + chunks - 1) / chunks
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            values.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let buffer = buffer
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    var i = chunk * perChunk
                    let upper = min(count, i + perChunk)
                    while i < upper {
                        buffer[i] = transform(buffer[i])
                        i += 1
                    }
                }
            }
        }
    }

    /// `(0..<count).map { transform(input($0)) }`, on both cores when there are many (each slot is written
    /// by exactly one task, so the result does not depend on scheduling).
    static func parallelMap<Input>(_ count: Int, _ input: (Int) -> Input, transform: (Input) -> SHA256Digest) -> [SHA256Digest] {
        guard count >= 1 << 14 else { return (0..<count).map { transform(input($0)) } }
        var out = [SHA256Digest](repeating: .zero, count: count)
        let chunks = 8
        let perChunk = (count + chunks - 1) / chunks
        withoutActuallyEscaping(input) { input in
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let input = input
                nonisolated(unsafe) let transform = transform
                out.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let buffer = buffer
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        let lower = chunk * perChunk
                        let upper = min(count, lower + perChunk)
                        var i = lower
                        while i < upper {
                            buffer[i] = transform(input(i))
                            i += 1
                        }
                    }
                }
            }
        }
        return out
    }

    /// The number of leaves.
    public var size: Int { levels[0].count }

    /// The hash of leaf `index` (`SHA-256(0x00 ‖ leaf)`), or nil when there is no such leaf.
    public func leafHash(at index: Int) -> SHA256Digest? {
        index >= 0 && index < size ? levels[0][index] : nil
    }

    /// The tree head `MTH` of the whole tree (for no leaves, the SHA-256 of the empty string).
    public var root: SHA256Digest { root(size: size) ?? SHA256.hash([UInt8]()) }

    /// The tree head of the first `size` leaves, or nil when `size` is not 1 … ``size``.
    public func root(size n: Int) -> SHA256Digest? {
        guard n >= 1, n <= size else { return nil }
        return subtree(0, n)
    }

    /// The audit path (RFC 6962 §2.1.1 `PATH`) of leaf `index` in the tree of the first `treeSize` leaves,
    /// or nil when the index or size is out of range.
    public func inclusionProof(index: Int, treeSize: Int) -> [SHA256Digest]? {
        guard treeSize >= 1, treeSize <= size, index >= 0, index < treeSize else { return nil }
        var proof: [SHA256Digest] = []
        path(index, start: 0, count: treeSize, into: &proof)
        return proof
    }

    /// The consistency proof (RFC 6962 §2.1.2 `PROOF`) that the tree of the first `oldSize` leaves is a
    /// prefix of the tree of the first `newSize`, or nil unless `1 ≤ oldSize ≤ newSize ≤ size`.
    public func consistencyProof(oldSize: Int, newSize: Int) -> [SHA256Digest]? {
        guard oldSize >= 1, oldSize <= newSize, newSize <= size else { return nil }
        var proof: [SHA256Digest] = []
        subproof(oldSize, start: 0, count: newSize, complete: true, into: &proof)
        return proof
    }

    /// `SHA-256(0x00 ‖ data)`: the hash of a leaf.
    public static func leafHash(_ data: some Sequence<UInt8>) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update([UInt8(0)])
        hasher.update(data)
        return hasher.finalize()
    }

    /// `SHA-256(0x00 ‖ digest)`: the hash of a 32-byte leaf such as a chain hash.
    public static func leafHash(_ digest: SHA256Digest) -> SHA256Digest {
        withUnsafeTemporaryAllocation(byteCount: 33, alignment: 8) { raw in
            raw.storeBytes(of: 0, toByteOffset: 0, as: UInt8.self)
            store(digest, raw, at: 1)
            return SHA256.hash(UnsafeRawBufferPointer(raw))
        }
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`: the hash of an interior node.
    public static func nodeHash(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { raw in
            raw.storeBytes(of: 1, toByteOffset: 0, as: UInt8.self)
            store(left, raw, at: 1)
            store(right, raw, at: 33)
            return SHA256.hash(UnsafeRawBufferPointer(raw))
        }
    }

    @inline(__always)
    static func store(_ digest: SHA256Digest, _ raw: UnsafeMutableRawBufferPointer, at offset: Int) {
        raw.storeBytes(of: digest.w0.bigEndian, toByteOffset: offset, as: UInt64.self)
        raw.storeBytes(of: digest.w1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
        raw.storeBytes(of: digest.w2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
        raw.storeBytes(of: digest.w3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
    }

    /// The largest power of two strictly less than `n` (`n ≥ 2`): where RFC 6962 splits a tree of `n` leaves.
    static func split(_ n: Int) -> Int {
        1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }

    /// `MTH(D[start ..< start + count])`, read from the stored levels where the run is complete and aligned.
    func subtree(_ start: Int, _ count: Int) -> SHA256Digest {
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            if start & (count - 1) == 0 { return levels[level][start >> level] }
        }
        if count == 1 { return levels[0][start] }
        let k = MerkleTree.split(count)
        return MerkleTree.nodeHash(subtree(start, k), subtree(start + k, count - k))
    }

    /// RFC 6962 `PATH(m, D[start ..< start + count])`, appended to `proof` leaf-side first.
    func path(_ m: Int, start: Int, count: Int, into proof: inout [SHA256Digest]) {
        guard count > 1 else { return }
        let k = MerkleTree.split(count)
        if m < k {
            path(m, start: start, count: k, into: &proof)
            proof.append(subtree(start + k, count - k))
        } else {
            path(m - k, start: start + k, count: count - k, into: &proof)
            proof.append(subtree(start, k))
        }
    }

    /// RFC 6962 `SUBPROOF(m, D[start ..< start + count], b)`, appended to `proof`.
    func subproof(_ m: Int, start: Int, count: Int, complete: Bool, into proof: inout [SHA256Digest]) {
        if m == count {
            if !complete { proof.append(subtree(start, count)) }
            return
        }
        let k = MerkleTree.split(count)
        if m <= k {
            subproof(m, start: start, count: k, complete: complete, into: &proof)
            proof.append(subtree(start + k, count - k))
        } else {
            subproof(m - k, start: start + k, count: count - k, complete: false, into: &proof)
            proof.append(subtree(start, k))
        }
    }
}
