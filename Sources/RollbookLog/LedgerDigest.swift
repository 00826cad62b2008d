/// A digest kept outside the ledger: the label, an event count, the head hash at that count and, in
/// the current form, the root of the RFC 6962 tree over the first `count` lines.
///
/// `rollbook digest` prints it in the C2SP tlog-checkpoint form (``text``):
///
/// ```
/// rollbook/123456
/// 1234
/// <the tree's root, standard base64>
/// chain <the head hash, 64 lowercase hex>
/// ```
///
/// The earlier three-line form (label, count, head hex) has no root and is still read.
public struct LedgerDigest: Sendable, Hashable {
    /// `rollbook/<URN>` (the checkpoint's origin).
    public var label: String
    /// The number of events the digest covers (the tree size).
    public var count: Int
    /// The chain hash of line `count`.
    public var head: SHA256Digest
    /// The root of the tree over the first `count` lines, or nil for a three-line digest.
    public var root: SHA256Digest?

    /// Creates a digest.
    public init(label: String, count: Int, head: SHA256Digest, root: SHA256Digest? = nil) {
        self.label = label
        self.count = count
        self.head = head
        self.root = root
    }

    /// The checkpoint text: origin, size, base64 root and `chain <head>`, each line ending in `\n`
    /// (the three-line form when there is no root).
    public var text: String {
        guard let root else { return "\(label)\n\(count)\n\(head.hex)\n" }
        return "\(label)\n\(count)\n\(Base64.encode(root.bytes))\nchain \(head.hex)\n"
    }

    /// Parses a digest in either form, or throws naming the line that is wrong.
    ///
    /// The checkpoint form is an origin line, a decimal size, a base64 root of 32 bytes, then extension
    /// lines, of which `chain <64 hex>` is required and others are ignored; a blank line ends the note
    /// (any signature lines after it are not read). Surrounding spaces on a line are allowed.
    public init(text: String, path: String) throws(LogError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        if lines.last == "" { lines.removeLast() }
        guard lines.count >= 3 else {
            throw .badDigest(path: path, reason: "it should have at least three lines (label, count, and the root or head hash)")
        }
        guard lines[0].hasPrefix("rollbook/"), lines[0].count > 9 else {
            throw .badDigest(path: path, reason: "line 1 should be the label rollbook/<URN>")
        }
        guard lines[1].allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(lines[1]), count >= 1 else {
            throw .badDigest(path: path, reason: "line 2 should be a positive event count")
        }
        let label = String(lines[0])
        if let head = SHA256Digest(hex: String(lines[2])) {
            guard lines.count == 3 else {
                throw .badDigest(path: path, reason: "a digest whose line 3 is a hex head hash should have exactly three lines")
            }
            self.init(label: label, count: count, head: head)
            return
        }
        guard let rootBytes = Base64.decode(lines[2]), rootBytes.count == 32,
              let root = SHA256Digest(hex: rootBytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()) else {
            throw .badDigest(path: path, reason: "line 3 should be the tree's root (32 bytes in standard base64) or a head hash (64 lowercase hex digits)")
        }
        var head: SHA256Digest?
        for (index, line) in lines.enumerated().dropFirst(3) {
            if line.isEmpty { break }
            guard line.hasPrefix("chain ") else { continue }
            guard head == nil else { throw .badDigest(path: path, reason: "line \(index + 1) repeats the chain line") }
            guard let value = SHA256Digest(hex: String(line.dropFirst(6).trimmingSpaces())) else {
                throw .badDigest(path: path, reason: "line \(index + 1) should be chain <64 lowercase hex digits>")
            }
            head = value
        }
        guard let head else {
            throw .badDigest(path: path, reason: "it has no line chain <head hash>, which a Rollbook checkpoint always carries")
        }
        self.init(label: label, count: count, head: head, root: root)
    }
}
