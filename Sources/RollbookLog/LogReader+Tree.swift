extension LogReader {
    /// Verifies the whole log and builds the tree over its committed lines.
    ///
    /// `body` sees each committed line as ``scan(digest:_:)`` hands it over. Throws
    /// ``LogError/verificationFailed(_:)`` when the log fails verification; bytes after the committed
    /// lines (an interrupted write) fail it too unless `allowingUncommittedTail`, when they are ignored as
    /// every reader ignores them (and reported in ``LogScan/uncommittedTail``). A ledger with no events
    /// has no tree: ``LogError/notALedger(path:)``.
    public func tree(allowingUncommittedTail: Bool, _ body: (borrowing LogLine) throws -> Void = { _ in }) throws -> LogTree {
        guard exists else { throw LogError.notALedger(path: paths.directory) }
        var leaves: [SHA256Digest] = []
        let scan = try scan { line in
            leaves.append(line.hash)
            try body(line)
        }
        if let fault = scan.fault {
            let onlyTail = scan.uncommittedTail.map { fault.seq == $0.firstSeq } ?? false
            if !(allowingUncommittedTail && onlyTail) { throw LogError.verificationFailed(fault) }
        }
        guard let checkpoint = scan.checkpoint, checkpoint.count >= 1, leaves.count == checkpoint.count else {
            throw LogError.notALedger(path: paths.directory)
        }
        return LogTree(scan: scan, checkpoint: checkpoint, tree: MerkleTree(leafDigests: consume leaves))
    }

    /// Verifies the log as ``scan(digest:_:)`` does and, when the digest carries a tree root, that the
    /// log extends it by a consistency proof (``LogTree/consistency(from:)``); the first fault is in the
    /// result's ``LogScan/fault``.
    public func verify(digest: LedgerDigest?) throws -> LogScan {
        guard let digest, digest.root != nil else { return try scan(digest: digest) { _ in } }
        var leaves: [SHA256Digest] = []
        var scan = try scan(digest: digest) { line in leaves.append(line.hash) }
        guard scan.fault == nil, let checkpoint = scan.checkpoint, leaves.count == checkpoint.count, !leaves.isEmpty else { return scan }
        let logTree = LogTree(scan: scan, checkpoint: checkpoint, tree: MerkleTree(leafDigests: consume leaves))
        if case .failure(let fault) = logTree.consistency(from: digest) { scan.fault = fault }
        return scan
    }
}
