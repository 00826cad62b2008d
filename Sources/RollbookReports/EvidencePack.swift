import RollbookDomain
import RollbookLog

/// One pupil's evidence pack: their lines of the log, each with its inclusion proof against the
/// checkpoint of the log now (`events/FORMAT.md`, "The evidence pack").
///
/// The pack holds only lines about that pupil alone: a `returns.sent` line that also names other pupils
/// is left out, and so are stubs. It proves each entry is in the log; it does not prove none is missing.
public struct EvidencePack: Sendable {
    /// One line of the log about the pupil.
    public struct Entry: Sendable, Hashable {
        /// The line's sequence number.
        public var seq: Int
        /// The line's stored text, without its newline.
        public var line: String
        /// The inclusion proof of leaf `seq − 1` in the tree of the checkpoint's size.
        public var proof: [SHA256Digest]
    }

    /// The checkpoint the proofs lead to, in the form `rollbook digest` prints.
    public var checkpoint: LedgerDigest
    /// The pupil's lines in `seq` order.
    public var entries: [Entry]
    /// With a digest: the proof that the checkpoint extends it.
    public var consistency: LogConsistency?
    /// Bytes after the committed lines (an interrupted write), which the pack ignores.
    public var uncommittedTail: UncommittedTail?

    /// Verifies the ledger in `directory` and gathers the lines about pupil `upn` (marks, amendments and
    /// interventions only when dated from `from` to `to`), each with its inclusion proof; with `digest`,
    /// also the proof that the log extends it. An uncommitted tail is ignored, as every reader ignores it.
    public static func make(directory: String, upn: String, from: SchoolDate?, to: SchoolDate?,
                            digest: LedgerDigest?) throws -> EvidencePack {
        let needle = Array(upn.utf8)
        var decoder = EventLineDecoder()
        var found: [(seq: Int, line: String)] = []
        let logTree = try LogReader(directory: directory).tree(allowingUncommittedTail: true) { line in
            guard !line.isStub, contains(line.bytes, needle) else { return }
            let event = try decoder.decode(line).event
            guard event.pupils == [upn] else { return }
            if let date = event.entryDate {
                if let from, date < from { return }
                if let to, date > to { return }
            }
            found.append((line.seq, String(decoding: line.bytes, as: UTF8.self)))
        }
        guard !found.isEmpty else { throw ProofError.noEntries(dated: from != nil || to != nil) }
        var consistency: LogConsistency?
        if let digest {
            switch logTree.consistency(from: digest) {
            case .success(let proof): consistency = proof
            case .failure(let fault): throw ProofError.notExtended(fault)
            }
        }
        let size = logTree.tree.size
        let entries = found.map { entry in
            Entry(seq: entry.seq, line: entry.line, proof: logTree.tree.inclusionProof(index: entry.seq - 1, treeSize: size) ?? [])
        }
        return EvidencePack(checkpoint: logTree.digest, entries: entries, consistency: consistency,
                            uncommittedTail: logTree.scan.uncommittedTail)
    }

    /// The pack as JSON: `{"checkpoint", "entries": [{"seq", "line", "proof"}], "consistency"?}`.
    public func render() -> String {
        var members = [
            JSONMember(key: "checkpoint", value: .string(checkpoint.text)),
            JSONMember(key: "entries", value: .array(entries.map { entry in
                .object([
                    JSONMember(key: "seq", value: .number(String(entry.seq))),
                    JSONMember(key: "line", value: .string(entry.line)),
                    JSONMember(key: "proof", value: .array(entry.proof.map { .string($0.hex) })),
                ])
            })),
        ]
        if let consistency { members.append(JSONMember(key: "consistency", value: ConsistencyReport(consistency).json)) }
        return JSONWriter.pretty(.object(members)) + "\n"
    }

    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
