import RollbookLog

/// Why an evidence pack or a consistency proof cannot be given.
public enum ProofError: Error, Equatable, CustomStringConvertible {
    /// No committed line is about the pupil (in the dates asked for).
    case noEntries(dated: Bool)
    /// The log does not extend the digest it was asked to extend.
    case notExtended(LogFault)

    public var description: String {
        switch self {
        case .noEntries(let dated):
            return dated
                ? "No line in the log is about the pupil with that UPN on the dates from --from to --to, so there is nothing to prove."
                : "No line in the log is about the pupil with that UPN, so there is nothing to prove."
        case .notExtended(let fault):
            return "The log does not extend the digest: \(fault.description)"
        }
    }
}
