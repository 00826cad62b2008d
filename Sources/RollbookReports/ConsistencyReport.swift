import RollbookLog

/// The proof that a log only grew since a digest, as text or JSON (`rollbook-replay consistency`).
public struct ConsistencyReport: Sendable {
    /// The proof.
    public var consistency: LogConsistency
    /// The log's label.
    public var label: String

    /// Creates the report of a proof.
    public init(_ consistency: LogConsistency, label: String = "") {
        self.consistency = consistency
        self.label = label
    }

    /// `{"old_size", "new_size", "old_root", "new_root", "proof"}`, roots and nodes as lowercase hex.
    public var json: JSONValue {
        .object([
            JSONMember(key: "old_size", value: .number(String(consistency.oldSize))),
            JSONMember(key: "new_size", value: .number(String(consistency.newSize))),
            JSONMember(key: "old_root", value: .string(consistency.oldRoot.hex)),
            JSONMember(key: "new_root", value: .string(consistency.newRoot.hex)),
            JSONMember(key: "proof", value: .array(consistency.proof.map { .string($0.hex) })),
        ])
    }

    /// Renders the proof: JSON, or text for people (CSV is not offered: a proof is not a table).
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json, .csv:
            return JSONWriter.pretty(json) + "\n"
        case .text:
            let c = consistency
            var out = "The log \(label) extends the digest: it grew from \(c.oldSize) to \(c.newSize) events.\n"
            out += "old size \(c.oldSize), root \(Base64.encode(c.oldRoot.bytes))\n"
            out += "new size \(c.newSize), root \(Base64.encode(c.newRoot.bytes))\n"
            out += "proof (RFC 6962 PROOF(\(c.oldSize), D[\(c.newSize)]), \(c.proof.count) node\(c.proof.count == 1 ? "" : "s")):\n"
            for node in c.proof { out += "  \(node.hex)\n" }
            return out
        }
    }
}
