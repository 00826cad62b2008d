/// The command line's remaining words, consumed by commands as they parse.
///
/// Options are `--name value` or `--name=value`; flags are `--name`. A command takes what it knows
/// and then calls ``finish()``, which refuses anything left over (an unknown flag or a stray word).
public struct Arguments: Sendable {
    /// The words not yet consumed.
    public private(set) var words: [String]

    /// Creates arguments from words (without the program name).
    public init(_ words: [String]) { self.words = words }

    /// Whether nothing is left.
    public var isEmpty: Bool { words.isEmpty }

    /// Removes and returns the first word if it is not an option (a subcommand name or a positional value).
    public mutating func positional() -> String? {
        guard let first = words.first, !first.hasPrefix("--") || first == "--" else { return nil }
        words.removeFirst()
        return first
    }

    /// Removes and returns the first word (whatever it is).
    public mutating func next() -> String? { words.isEmpty ? nil : words.removeFirst() }

    /// Peeks at the first word.
    public var first: String? { words.first }

    /// Removes `--name` and returns whether it was there.
    public mutating func flag(_ name: String) -> Bool {
        guard let i = words.firstIndex(of: name) else { return false }
        words.remove(at: i)
        return true
    }

    /// Removes `--name value` (or `--name=value`) and returns the value; throws if the value is missing
    /// or the option is given twice.
    public mutating func option(_ name: String) throws(UsageError) -> String? {
        var found: String?
        var i = 0
        while i < words.count {
            let word = words[i]
            var value: String?
            if word == name {
                guard i + 1 < words.count else { throw UsageError("option \(name) needs a value") }
                value = words[i + 1]
                words.removeSubrange(i...(i + 1))
            } else if word.hasPrefix(name + "=") {
                value = String(word.dropFirst(name.count + 1))
                words.remove(at: i)
            } else {
                i += 1
                continue
            }
            if found != nil { throw UsageError("option \(name) is given more than once") }
            found = value
        }
        return found
    }

    /// Like ``option(_:)`` but required.
    public mutating func required(_ name: String) throws(UsageError) -> String {
        guard let value = try option(name) else { throw UsageError("missing required option \(name)") }
        return value
    }

    /// Refuses anything left over.
    public func finish() throws(UsageError) {
        guard let word = words.first else { return }
        if word.hasPrefix("-") { throw UsageError("unknown option \(word.split(separator: "=").first.map(String.init) ?? word)") }
        throw UsageError("unexpected argument \(word)")
    }
}

/// A usage error: the command line itself is wrong. Exits 64 with a one-line reason and the usage.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    /// The one-line reason.
    public var message: String
    /// Creates a usage error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
