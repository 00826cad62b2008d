/// Why the ledger layer refused a write or could not open a ledger.
///
/// The executables print ``description`` (a full sentence about the school) and exit 1. A refusal of
/// input (``rejected(_:_:)``) always leaves the log byte-for-byte unchanged, and says so.
public enum LedgerError: Error, Equatable, CustomStringConvertible {
    /// Bad input, refused before anything was written: where, and what is wrong.
    case rejected(InputPlace?, String)
    /// The directory holds no opened ledger (no school).
    case notOpened(directory: String)
    /// `init` on a directory that already holds a ledger.
    case alreadyExists(directory: String)
    /// The stage policy is neither a preset nor a readable policy file.
    case unknownPolicy(String, presets: [String])
    /// The ledger's cache says something the log does not (it was damaged or changed): the write is
    /// refused, never made from the cache.
    case cacheDisagrees(cache: String, seq: Int)
    /// A file given on the command line could not be read.
    case unreadableFile(path: String, reason: String)
    /// A page of the snapshot was found damaged while a write was being checked: the write is refused
    /// (a session retries it from the whole log; this reaches the user only if that fails too).
    case indexDamaged(path: String, page: Int)

    /// Bad input at a place.
    static func rejected(_ problem: String, at place: InputPlace? = nil) -> LedgerError { .rejected(place, problem) }

    /// The message, as a full sentence.
    public var description: String {
        switch self {
        case .rejected(let place, let problem):
            let sentence = problem.hasSuffix(".") ? problem : problem + "."
            return (place.map { "\($0): \(sentence)" } ?? sentence) + " Nothing was written."
        case .notOpened(let directory):
            return "The ledger at \(directory) was never opened for a school; create it with `rollbook init`."
        case .alreadyExists(let directory):
            return "A ledger already exists at \(directory); it cannot be initialised again."
        case .unknownPolicy(let name, let presets):
            return "The stage policy \"\(name)\" is neither a preset (\(presets.joined(separator: ", "))) nor a readable policy file."
        case .cacheDisagrees(let cache, let seq):
            return "The ledger's cache \(cache) disagrees with the log at seq \(seq), so nothing was written. The log is the record: run `rollbook verify`, and remove \(cache) (it is rebuilt from the log)."
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason). Nothing was written."
        case .indexDamaged(let path, let page):
            return "Page \(page) of the ledger's snapshot \(path) is damaged, so the write was not checked against it and nothing was written. Run the command again: it reads the whole log."
        }
    }

    /// The place of a rejected input, if any.
    public var place: InputPlace? {
        if case .rejected(let place, _) = self { return place }
        return nil
    }

    /// The problem of a rejected input, without the place or the closing words (for reading commands
    /// that reuse a rule, where "Nothing was written" would be out of place).
    public var problem: String? {
        if case .rejected(_, let problem) = self { return problem }
        return nil
    }
}
