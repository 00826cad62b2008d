/// A value read from one command-line word, as ArgumentParser's `ExpressibleByArgument`.
///
/// A type says once how it is written and what a valid word looks like; every option of that type
/// then parses the same way and refuses a bad word with the same usage error, naming the option:
/// `--date must be a real date YYYY-MM-DD`.
public protocol ExpressibleByArgument {
    /// The value a word spells, or nil when the word is not one.
    init?(argument: String)
    /// What a valid word looks like, completing "--option must be …" (e.g. `a real date YYYY-MM-DD`).
    static var expectation: String { get }
}

extension String: ExpressibleByArgument {
    /// Any word is a string.
    public init?(argument: String) { self = argument }
    /// Any text.
    public static var expectation: String { "text" }
}

extension Arguments {
    /// Removes `--name value` and returns the value read as `T`; throws a usage error naming the option
    /// when the word is not a `T`.
    public mutating func option<T: ExpressibleByArgument>(_ name: String, as type: T.Type) throws(UsageError) -> T? {
        guard let text = try option(name) else { return nil }
        guard let value = T(argument: text) else { throw UsageError("\(name) must be \(T.expectation)") }
        return value
    }

    /// Like ``option(_:as:)`` but required.
    public mutating func required<T: ExpressibleByArgument>(_ name: String, as type: T.Type) throws(UsageError) -> T {
        guard let value = try option(name, as: type) else { throw UsageError("missing required option \(name)") }
        return value
    }

    /// Removes `--name value` and returns it as text that must not be blank (only whitespace).
    public mutating func text(_ name: String) throws(UsageError) -> String? {
        guard let text = try option(name) else { return nil }
        guard text.contains(where: { !$0.isWhitespace }) else { throw UsageError("\(name) must not be empty") }
        return text
    }
}
