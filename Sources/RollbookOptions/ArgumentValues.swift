import RollbookCommandLine
import RollbookDomain
import RollbookLog
import RollbookReports

// How each typed option value is written on the command line: declared once, used by both executables.

extension SchoolDate: ExpressibleByArgument {
    /// A date `YYYY-MM-DD`.
    public init?(argument: String) { self.init(argument) }
    /// What a date option takes.
    public static var expectation: String { "a real date YYYY-MM-DD" }
}

extension Session: ExpressibleByArgument {
    /// `AM` or `PM`.
    public init?(argument: String) { self.init(argument) }
    /// What a session option takes.
    public static var expectation: String { "AM or PM" }
}

extension Timestamp: ExpressibleByArgument {
    /// An ISO 8601 UTC time, or a date meaning the end of that day in the UK (BST aware).
    public init?(argument: String) {
        guard let t = UKTime.asOf(argument) else { return nil }
        self = t
    }
    /// What an `--as-of` option takes.
    public static var expectation: String {
        "an ISO 8601 UTC time such as 2025-10-01T12:00:00Z, or a date YYYY-MM-DD for the end of that day (UK time)"
    }
}

extension OutputFormat: ExpressibleByArgument {
    /// `text`, `csv` or `json`.
    public init?(argument: String) { self.init(rawValue: argument) }
    /// What `--format` takes.
    public static var expectation: String { "one of " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", ") }
}

extension RegisterWindow: ExpressibleByArgument {
    /// `HH:MM-HH:MM`.
    public init?(argument: String) { self.init(argument) }
    /// What a register-window option takes.
    public static var expectation: String { "HH:MM-HH:MM, opening before it closes, open at most 30 minutes" }
}

/// Minutes late, as given to `--minutes-late`: a whole number from 0 to 600.
public struct MinutesLate: ExpressibleByArgument, Sendable, Hashable {
    /// The number of minutes.
    public var minutes: Int
    /// A whole number from 0 to 600.
    public init?(argument: String) {
        guard let m = Int(argument), (0...600).contains(m) else { return nil }
        minutes = m
    }
    /// What `--minutes-late` takes.
    public static var expectation: String { "a whole number of minutes from 0 to 600" }
}

/// A count given to an option: a whole number, 0 or more.
public struct Count: ExpressibleByArgument, Sendable, Hashable {
    /// The number.
    public var value: Int
    /// A whole number, 0 or more.
    public init?(argument: String) {
        guard let n = Int(argument), n >= 0 else { return nil }
        value = n
    }
    /// What a count option takes.
    public static var expectation: String { "a whole number, 0 or more" }
}
