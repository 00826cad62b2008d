import RollbookLog

/// The result of verifying a ledger, shared by `rollbook verify` and `rollbook-replay verify`.
public struct LedgerVerification: Sendable {
    /// The ledger's label, if its checkpoint could be read.
    public var label: String?
    /// The committed event count the checkpoint records.
    public var count: Int
    /// The head hash.
    public var head: SHA256Digest?
    /// The first fault, or nil when the ledger verifies.
    public var fault: LogFault?
    /// Whether a digest was checked.
    public var checkedDigest: Bool

    /// Verifies the ledger in `directory`, and that it extends the digest at `digestPath` if one is given
    /// (with a tree root, by a consistency proof from the digest's count to now).
    public static func run(directory: String, digestPath: String?) throws -> LedgerVerification {
        let reader = LogReader(directory: directory)
        guard reader.exists else { throw LogError.notALedger(path: reader.paths.directory) }
        var digest: LedgerDigest?
        if let digestPath {
            let bytes = try FileSystemAccess.read(digestPath)
            digest = try LedgerDigest(text: String(decoding: bytes, as: UTF8.self), path: digestPath)
        }
        let scan = try reader.verify(digest: digest)
        return LedgerVerification(label: scan.checkpoint?.label, count: scan.checkpoint?.count ?? 0,
                                  head: scan.checkpoint?.head, fault: scan.fault, checkedDigest: digest != nil)
    }

    /// Renders the result: one line of text, a CSV header and row, or a JSON object.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONWriter.pretty(.object([
                JSONMember(key: "ok", value: .bool(fault == nil)),
                JSONMember(key: "label", value: label.map { .string($0) } ?? .null),
                JSONMember(key: "count", value: .number(String(count))),
                JSONMember(key: "head", value: head.map { .string($0.hex) } ?? .null),
                JSONMember(key: "digest_checked", value: .bool(checkedDigest)),
                JSONMember(key: "first_bad_seq", value: fault.map { .number(String($0.seq)) } ?? .null),
                JSONMember(key: "segment", value: fault?.segment.map { .string($0) } ?? .null),
                JSONMember(key: "line", value: fault?.line.map { .number(String($0)) } ?? .null),
                JSONMember(key: "message", value: .string(fault?.description ?? "The ledger verifies.")),
            ])) + "\n"
        case .csv:
            return TextTable.csv(["ok", "label", "count", "head", "digest_checked", "first_bad_seq", "segment", "line", "message"], [[
                fault == nil ? "true" : "false", label ?? "", String(count), head?.hex ?? "", checkedDigest ? "true" : "false",
                fault.map { String($0.seq) } ?? "", fault?.segment ?? "", fault?.line.map(String.init) ?? "",
                fault?.description ?? "The ledger verifies.",
            ]]) + "\n"
        case .text:
            if let fault {
                var place = "seq \(fault.seq)"
                if let segment = fault.segment, let line = fault.line { place += " (\(segment) line \(line))" }
                return "FAIL \(place): \(fault.problem)\n"
            }
            let digestNote = checkedDigest ? " (extends the digest)" : ""
            return "ok: \(label ?? "empty ledger"), \(count) events, head \(head?.hex ?? SHA256Digest.zero.hex)\(digestNote)\n"
        }
    }
}

/// Read access to files for reports (the log layer's reader, re-exported for digests and inputs).
public enum FileSystemAccess {
    /// Reads a whole file.
    public static func read(_ path: String) throws -> [UInt8] { try FileSystem.read(path) }
}
