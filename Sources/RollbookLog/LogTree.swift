/// A verified log and the RFC 6962 tree over its committed lines: leaf `i` is the chain hash of line `i + 1`.
///
/// Built by ``LogReader/tree(allowingUncommittedTail:_:)`` from a full verification of the log, so every
/// leaf is a chain hash the reader has just checked; a disposal stub keeps its place (its leaf is the
/// removed line's hash, its `disposed` value), so proofs made before and after a disposal agree.
public struct LogTree: Sendable {
    /// What the reader found (an uncommitted tail, if one was allowed, is reported here).
    public var scan: LogScan
    /// The ledger's checkpoint: the tree's size is its count.
    public var checkpoint: Checkpoint
    /// The tree over the committed lines.
    public var tree: MerkleTree

    /// The digest of the log now, in the checkpoint form (origin, size, root, chain head).
    public var digest: LedgerDigest {
        LedgerDigest(label: checkpoint.label, count: checkpoint.count, head: checkpoint.head, root: tree.root)
    }

    /// The proof that the log extends `old`, or a fault naming the digest's count when it does not.
    ///
    /// The digest must have this ledger's label, cover no more lines than the log holds, and its head
    /// must be the chain hash of line `count`; with a root (the checkpoint form), the root must be the
    /// head of the tree over the first `count` lines, shown by an RFC 6962 consistency proof from
    /// `count` to the log's size that verifies against both roots. A three-line digest has no root: its
    /// head is checked, and the old root is the one the log gives.
    public func consistency(from old: LedgerDigest) -> Result<LogConsistency, LogFault> {
        guard old.label == checkpoint.label else {
            return .failure(LogFault(seq: 1, segment: nil, line: nil,
                                     problem: "the digest is for \(old.label) but this ledger is \(checkpoint.label)"))
        }
        guard old.count <= tree.size else {
            return .failure(LogFault(seq: tree.size + 1, segment: nil, line: nil,
                                     problem: "the digest covers \(old.count) events but the log holds only \(tree.size) (events were removed)"))
        }
        guard let oldRootHere = tree.root(size: old.count), let proof = tree.consistencyProof(oldSize: old.count, newSize: tree.size) else {
            return .failure(LogFault(seq: 1, segment: nil, line: nil, problem: "the digest's count \(old.count) is not a size this log has"))
        }
        guard tree.leafHash(at: old.count - 1) == MerkleTree.leafHash(old.head) else {
            return .failure(LogFault(seq: old.count, segment: nil, line: nil,
                                     problem: "line \(old.count) does not hash to the digest's head: the log was rewritten at or before seq \(old.count)"))
        }
        let oldRoot = old.root ?? oldRootHere
        guard MerkleTree.verifyConsistency(oldSize: old.count, newSize: tree.size, oldRoot: oldRoot, newRoot: tree.root, proof: proof) else {
            return .failure(LogFault(seq: old.count, segment: nil, line: nil,
                                     problem: "the tree of the first \(old.count) lines does not have the digest's root (no consistency proof from \(old.count) to \(tree.size) exists): the log was rewritten at or before seq \(old.count)"))
        }
        return .success(LogConsistency(oldSize: old.count, newSize: tree.size, oldRoot: oldRoot, newRoot: tree.root, proof: proof))
    }
}

/// A consistency proof between two sizes of a log's tree (RFC 6962 §2.1.2).
public struct LogConsistency: Sendable, Hashable {
    /// The size of the earlier tree (the digest's count).
    public var oldSize: Int
    /// The size of the later tree (the log's count now).
    public var newSize: Int
    /// The earlier tree's root.
    public var oldRoot: SHA256Digest
    /// The later tree's root.
    public var newRoot: SHA256Digest
    /// The proof's nodes.
    public var proof: [SHA256Digest]

    /// Creates a consistency proof.
    public init(oldSize: Int, newSize: Int, oldRoot: SHA256Digest, newRoot: SHA256Digest, proof: [SHA256Digest]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.oldRoot = oldRoot
        self.newRoot = newRoot
        self.proof = proof
    }
}
