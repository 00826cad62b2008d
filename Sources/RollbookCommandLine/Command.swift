/// A command-line command, in ArgumentParser's shape: it parses in its initializer and acts in `run`.
public protocol Command {
    /// The command's name as typed (for a subcommand, its full path, e.g. `calendar term`).
    static var name: String { get }
    /// One line saying what it does.
    static var summary: String { get }
    /// The usage line(s) and option help, shown by `--help` and after a usage error.
    static var usage: String { get }
    /// Parses the command's arguments, consuming them; throws ``UsageError`` for a malformed command line.
    init(_ arguments: inout Arguments) throws
    /// Does the work, writing to `output`.
    func run(_ output: inout Output) throws
}

extension Command {
    /// Parses the arguments (refusing any left over) and runs the command.
    public static func parseAndRun(_ arguments: inout Arguments, output: inout Output) throws {
        let command = try Self(&arguments)
        try arguments.finish()
        try command.run(&output)
    }
}

/// Where a command writes: standard output and standard error, captured as strings.
public struct Output: Sendable {
    /// What goes to standard output.
    public var standard: String = ""
    /// What goes to standard error (warnings and progress).
    public var errors: String = ""
    /// Creates an empty output.
    public init() {}
    /// Appends a line to standard output.
    public mutating func line(_ text: String) { standard += text + "\n" }
    /// Appends text to standard output without a newline.
    public mutating func write(_ text: String) { standard += text }
    /// Appends a line to standard error.
    public mutating func warn(_ text: String) { errors += text + "\n" }
}

/// A failure that is not a usage error: exits 1 with the message.
public struct CommandFailure: Error, Equatable, CustomStringConvertible {
    /// The full-sentence message.
    public var message: String
    /// Creates a failure.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
