/// Typed reading of a JSON object's members for every on-disk JSON format (events, the checkpoint,
/// stage policies): each getter names the member's full path when it is missing or of the wrong kind.
///
/// The formats' own decoders add their domain types (dates, codes) on top and turn a ``JSONReadError``
/// into their own error, so every format reports a bad member the same way.
public struct JSONObjectReader: Sendable {
    /// The object read.
    public let value: JSONValue
    /// The path of the object in its document, ending in `.` (empty at the top).
    public let path: String

    /// Reads `value`, whose members are named with `path` in front (e.g. `stages[2].`).
    public init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// The member's path in the document, for messages.
    public func path(_ key: String) -> String { path + key }

    /// An error about a member.
    public func fail(_ key: String, _ problem: String) -> JSONReadError { JSONReadError(path: path(key), problem: problem) }

    /// Whether the member is present (and not `null`).
    public func has(_ key: String) -> Bool { value[key].map { $0 != .null } ?? false }

    /// A required string member.
    public func string(_ key: String) throws(JSONReadError) -> String {
        guard let v = value[key] else { throw fail(key, "is missing") }
        guard let s = v.stringValue else { throw fail(key, "is not a string") }
        return s
    }

    /// An optional string member (absent or `null` is nil).
    public func optionalString(_ key: String) throws(JSONReadError) -> String? {
        guard let v = value[key], v != .null else { return nil }
        guard let s = v.stringValue else { throw fail(key, "is not a string") }
        return s
    }

    /// A required integer member.
    public func int(_ key: String) throws(JSONReadError) -> Int {
        guard let v = value[key] else { throw fail(key, "is missing") }
        guard let i = v.intValue else { throw fail(key, "is not an integer") }
        return i
    }

    /// An optional integer member.
    public func optionalInt(_ key: String) throws(JSONReadError) -> Int? {
        guard let v = value[key], v != .null else { return nil }
        guard let i = v.intValue else { throw fail(key, "is not an integer") }
        return i
    }

    /// A required boolean member.
    public func bool(_ key: String) throws(JSONReadError) -> Bool {
        guard let v = value[key] else { throw fail(key, "is missing") }
        guard let b = v.boolValue else { throw fail(key, "is not true or false") }
        return b
    }

    /// A required array member.
    public func array(_ key: String) throws(JSONReadError) -> [JSONValue] {
        guard let v = value[key]?.arrayValue else { throw fail(key, "is missing or not an array") }
        return v
    }

    /// The objects of an array member, each with its path (`key[i].`).
    public func objects(_ key: String) throws(JSONReadError) -> [JSONObjectReader] {
        try array(key).enumerated().map { JSONObjectReader($1, path: "\(path)\(key)[\($0)].") }
    }
}

/// A member of a JSON document that is missing or not of the kind its format needs.
public struct JSONReadError: Error, Equatable, CustomStringConvertible {
    /// The member's path, e.g. `entries[0].upn`.
    public var path: String
    /// What is wrong, e.g. `is missing`.
    public var problem: String
    /// Creates the error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    /// `member "entries[0].upn" is missing`.
    public var description: String { "member \"\(path)\" \(problem)" }
}
