/// The ledger's commit record: how many lines are committed and the chain hash of the last one.
///
/// Stored as one line of JSON in `DIR/checkpoint` (see `events/FORMAT.md`), replaced atomically after
/// every durable append. ``LedgerDigest`` is the form an auditor keeps outside the ledger.
public struct Checkpoint: Sendable, Hashable {
    /// `rollbook/<URN>`.
    public var label: String
    /// The number of committed lines (the `seq` of the last one).
    public var count: Int
    /// The chain hash of line `count`.
    public var head: SHA256Digest
    /// The segment holding line `count`.
    public var segment: Int
    /// The byte offset just past the `\n` of line `count` in that segment.
    public var offset: Int

    /// Creates a checkpoint.
    public init(label: String, count: Int, head: SHA256Digest, segment: Int, offset: Int) {
        self.label = label
        self.count = count
        self.head = head
        self.segment = segment
        self.offset = offset
    }

    /// The checkpoint file's bytes: one JSON line ending in `\n`.
    public var fileBytes: [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.beginObject()
        w.member("label", label)
        w.member("count", count)
        w.member("head", head.hex)
        w.member("segment", segment)
        w.member("offset", offset)
        w.endObject()
        return w.bytes + [0x0A]
    }

    /// Parses a checkpoint file, or throws naming what is wrong with it.
    public init(fileBytes: [UInt8], path: String) throws(LogError) {
        var body = fileBytes
        guard body.last == 0x0A else { throw .badCheckpoint(path: path, reason: "it does not end with a newline") }
        body.removeLast()
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { throw .badCheckpoint(path: path, reason: "it is not valid JSON") }
        let members = JSONObjectReader(value)
        let label: String
        do { label = try members.string("label") } catch { throw .badCheckpoint(path: path, reason: error.description) }
        guard let count = Checkpoint.integer(value["count"]), count >= 0 else { throw .badCheckpoint(path: path, reason: "member \"count\" is missing or negative") }
        guard let headText = value["head"]?.stringValue, let head = SHA256Digest(hex: headText) else {
            throw .badCheckpoint(path: path, reason: "member \"head\" is not 64 lowercase hex digits")
        }
        guard let segment = Checkpoint.integer(value["segment"]), segment >= 1 else { throw .badCheckpoint(path: path, reason: "member \"segment\" is missing or not positive") }
        guard let offset = Checkpoint.integer(value["offset"]), offset >= 0 else { throw .badCheckpoint(path: path, reason: "member \"offset\" is missing or negative") }
        self.init(label: label, count: count, head: head, segment: segment, offset: offset)
    }

    /// A whole number member; a positive one too large for `Int` reads as `Int.max` (no log is that long,
    /// so it is reported as lines missing, as the independent verifier reports it).
    static func integer(_ value: JSONValue?) -> Int? {
        if let n = value?.intValue { return n }
        guard case .number(let literal)? = value, literal.utf8.count > 18, literal.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              literal.utf8.first != 0x30 else { return nil }
        return Int.max
    }

    /// The earlier three-line digest: label, count, head (``LedgerDigest/text`` is the current form).
    public var digestText: String { "\(label)\n\(count)\n\(head.hex)\n" }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}
