#if canImport(Glibc)
import Glibc
#endif

/// Why the replay tool's cache could not be used (each is answered by rebuilding it, never by failing),
/// or why a line the answer needs no longer matches the verified log (which fails the command).
enum HistoryCacheError: Error, Equatable, CustomStringConvertible {
    /// The cache file could not be opened or mapped.
    case unreadable(path: String, errno: Int32)
    /// The cache file (or its directory) could not be written.
    case unwritable(path: String, errno: Int32)
    /// The cache file is not one this tool wrote, or does not match its checksums.
    case damaged(path: String, problem: String)
    /// A line's offset does not fit the cache's records (a segment over 4 GiB).
    case tooLarge(seq: Int)
    /// The index was handed a line out of order (a bug, never the log's fault).
    case unexpectedLine(seq: Int, expected: Int)
    /// A line the answer needs differs from the line verified when the cache was built or extended.
    case lineChanged(seq: Int, segment: String, line: Int, problem: String)

    var description: String {
        switch self {
        case .unreadable(let path, let code):
            return "The replay cache \(path) cannot be read (\(String(cString: strerror(code))))."
        case .unwritable(let path, let code):
            return "\(path) cannot be written (\(String(cString: strerror(code))))"
        case .damaged(let path, let problem):
            return "The replay cache \(path) is damaged: \(problem)."
        case .tooLarge(let seq):
            return "Line \(seq) lies beyond 4 GiB into its segment, which the replay cache cannot record."
        case .unexpectedLine(let seq, let expected):
            return "The replay cache was handed line \(seq) where it expected line \(expected)."
        case .lineChanged(let seq, let segment, let line, let problem):
            return "seq \(seq) (\(segment) line \(line)) \(problem): the log was changed after this tool verified it. "
                + "Nothing is shown; run `rollbook-replay verify` on the ledger."
        }
    }
}
