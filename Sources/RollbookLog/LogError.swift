/// Errors of the log layer: files that cannot be read or written, a lock that cannot be taken, a log
/// that fails verification.
///
/// Messages are full sentences naming the path, the sequence number or the operation. They never
/// quote the content of a line (lines hold pupils' names).
public enum LogError: Error, Equatable, CustomStringConvertible {
    /// The directory does not hold a ledger (no segments and no checkpoint).
    case notALedger(path: String)
    /// A ledger already exists where a new one was to be created.
    case alreadyExists(path: String)
    /// A system call on a path failed.
    case io(operation: String, path: String, errno: Int32)
    /// The checkpoint file cannot be understood.
    case badCheckpoint(path: String, reason: String)
    /// A digest file cannot be understood.
    case badDigest(path: String, reason: String)
    /// The log fails verification; the fault names the first bad sequence.
    case verificationFailed(LogFault)
    /// Another writer held the lock for longer than the bounded wait.
    case lockTimeout(path: String, seconds: Double)
    /// An earlier write on this writer failed; the writer refuses further appends.
    case writerStopped
    /// A line to append is not a JSON object body the writer can frame.
    case badRecord(index: Int, reason: String)
    /// A writer committed while the log was being read (e.g. a disposal replacing lines by stubs), so
    /// what was read is not one state of the log; not a sign of tampering.
    case changedWhileReading(path: String)

    public var description: String {
        switch self {
        case .notALedger(let path):
            return "No ledger found at \(path): it has no segments and no checkpoint (create one with `rollbook init`)."
        case .alreadyExists(let path):
            return "A ledger already exists at \(path); it cannot be initialised again."
        case .io(let operation, let path, let errno):
            return "Could not \(operation) \(path): \(LogError.describe(errno: errno)) (errno \(errno))."
        case .badCheckpoint(let path, let reason):
            return "The checkpoint \(path) is invalid: \(reason)."
        case .badDigest(let path, let reason):
            return "The digest file \(path) is invalid: \(reason)."
        case .verificationFailed(let fault):
            return fault.description
        case .lockTimeout(let path, let seconds):
            return "Another rollbook process is writing to this ledger: gave up waiting for the lock on \(path) after \(LogError.format(seconds)) seconds. Nothing was written; try again."
        case .writerStopped:
            return "An earlier write to this ledger failed, so this writer has stopped; nothing more was written. Reopen the ledger to recover."
        case .badRecord(let index, let reason):
            return "Record \(index + 1) of the batch cannot be appended: \(reason)."
        case .changedWhileReading(let path):
            return "Another rollbook process wrote to the ledger at \(path) while it was being read (a write in progress, not tampering); run the command again."
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func describe(errno: Int32) -> String {
        switch errno {
        case 1: return "operation not permitted"
        case 2: return "no such file or directory"
        case 5: return "input/output error"
        case 9: return "bad file descriptor"
        case 13: return "permission denied"
        case 17: return "file exists"
        case 20: return "not a directory"
        case 21: return "is a directory"
        case 28: return "no space left on device"
        case 30: return "read-only file system"
        case 122: return "disk quota exceeded"
        default: return "system error"
        }
    }
}

/// The first place where a log fails verification.
public struct LogFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first bad sequence number: the `seq` the line at that position should have.
    public var seq: Int
    /// The segment file, relative to the ledger (`segments/000001.jsonl`), when a line is at fault.
    public var segment: String?
    /// The 1-based line number within that segment.
    public var line: Int?
    /// What is wrong, as a sentence fragment.
    public var problem: String

    /// Creates a fault.
    public init(seq: Int, segment: String?, line: Int?, problem: String) {
        self.seq = seq
        self.segment = segment
        self.line = line
        self.problem = problem
    }

    public var description: String {
        var place = "seq \(seq)"
        if let segment, let line { place += " (\(segment) line \(line))" }
        return "Verification failed at \(place): \(problem)."
    }
}
