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
    /// The segments hold events but the checkpoint is missing: the ledger is refused until it is restored.
    case checkpointMissing(directory: String)
    /// A ledger file is not a regular file (a FIFO, a device, a directory, a symbolic link).
    case notARegularFile(path: String)
    /// A ledger file is larger than it can sanely be; it is not read.
    case fileTooLarge(path: String, size: Int, limit: Int)
    /// The system clock reads earlier than the last event's time by more than the tolerance.
    case clockBehind(now: Timestamp, last: Timestamp, seq: Int, toleranceMinutes: Int)
    /// The checkpoint changed while this writer held the lock (another writer, or a hand edit).
    case checkpointChanged(path: String)
    /// Complete events from more than one write follow the checkpoint: it is older than the log.
    case checkpointBehindLog(directory: String, count: Int, firstSeq: Int, lastSeq: Int)
    /// The lock wait is not a finite, non-negative number of seconds.
    case badLockTimeout(String)
    /// A write failed and everything it wrote was taken back: nothing was recorded.
    indirect case notRecorded(LogError)
    /// Replacing a recorded disposal's lines by stubs failed part way; the log still verifies.
    indirect case stubsUnfinished(LogError)
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
        case .checkpointMissing(let directory):
            return "The ledger at \(directory) holds events in its segments but its checkpoint (\(directory)/checkpoint) is missing, so it cannot be checked and nothing was read or written. Restore the checkpoint from your most recent backup (taken with the segments), or run `rollbook rebuild-checkpoint` to make one from the events that chain. Do not run `rollbook init`: the ledger exists."
        case .notARegularFile(let path):
            return "\(path) is not a regular file (it is a FIFO, a device, a directory or a link), so it was not read. Replace it with the ledger's file from a backup."
        case .fileTooLarge(let path, let size, let limit):
            return "\(path) is \(size) bytes, more than the \(limit) bytes such a file can hold, so it was not read."
        case .clockBehind(let now, let last, let seq, let tolerance):
            let behind = tolerance > 0 ? "more than \(tolerance) minutes earlier than" : "earlier than"
            return "The system clock reads \(now), \(behind) the last event (seq \(seq), at \(last)): the clock went back, or an earlier write was stamped in the future. Nothing was recorded. Correct the system clock, or, if it is right, record the step back with `rollbook clock-correction --reason S`."
        case .checkpointChanged(let path):
            return "The checkpoint \(path) changed while this command held the ledger's lock (another writer, or a hand edit), so it was not replaced. Nothing was recorded; run `rollbook verify`, then try again."
        case .checkpointBehindLog(let directory, let count, let firstSeq, let lastSeq):
            return "The checkpoint of the ledger at \(directory) records \(count) events, but complete events seq \(firstSeq)–\(lastSeq), written by more than one command, follow it and chain to it: the checkpoint is older than the log (restored from an older backup?). Nothing was written or moved. Restore the checkpoint from the same backup as the segments, or run `rollbook rebuild-checkpoint` to commit the events that chain."
        case .badLockTimeout(let text):
            return "ROLLBOOK_LOCK_TIMEOUT is \"\(text)\"; it must be a finite number of seconds, zero or more."
        case .notRecorded(let error):
            return "\(error) Nothing was recorded: the ledger is as it was before this command."
        case .stubsUnfinished(let error):
            return "\(error) The disposal is recorded, but its entries were not all replaced by stubs yet; the log verifies as it is. Run `rollbook retention dispose` again to finish it."
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
