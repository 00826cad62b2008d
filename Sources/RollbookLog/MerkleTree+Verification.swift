extension MerkleTree {
    /// Whether `proof` shows that the leaf with hash `leafHash` is leaf `index` of the tree of `treeSize`
    /// leaves whose head is `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leafHash: SHA256Digest, index: Int, treeSize: Int, proof: [SHA256Digest],
                                       root: SHA256Digest) -> Bool {
        rootFromInclusion(leafHash: leafHash, index: index, treeSize: treeSize, proof: proof) == root
    }

    /// The tree head an inclusion proof leads to, or nil when the proof has the wrong shape for the index
    /// and size (RFC 9162 §2.1.3.2 steps 1–5).
    public static func rootFromInclusion(leafHash: SHA256Digest, index: Int, treeSize: Int, proof: [SHA256Digest]) -> SHA256Digest? {
        guard index >= 0, index < treeSize else { return nil }
        var fn = index
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { return nil }
        return r
    }

    /// Whether `proof` shows that the tree of `oldSize` leaves with head `oldRoot` is a prefix of the tree
    /// of `newSize` leaves with head `newRoot` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and
    /// equal heads.
    public static func verifyConsistency(oldSize: Int, newSize: Int, oldRoot: SHA256Digest, newRoot: SHA256Digest,
                                         proof: [SHA256Digest]) -> Bool {
        guard oldSize >= 1, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
