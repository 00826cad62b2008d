import RollbookDomain
import RollbookLog
import RollbookLogWriter

/// What a ledger session takes from its surroundings: which ledger, who is writing, the clock, and the
/// writer's settings. The executables build it from options and the environment; tests build it directly.
///
/// The library never reads the system clock itself: ``clock`` is injected.
public struct LedgerContext {
    /// The ledger directory.
    public var directory: String
    /// Who is writing (every write needs one; reading sessions have none).
    public var author: Author?
    /// The clock every appended event is stamped from.
    public var clock: () -> Timestamp
    /// How many seconds a writer waits for another writer's lock.
    public var lockTimeout: Double
    /// Storage faults to inject (tests only; `.none` in use).
    public var faults: StorageFaults
    /// How many events may follow the cache before an append refreshes it.
    public var snapshotInterval: Int
    /// The size past which the writer starts a new segment (``LogWriter/segmentLimit``; tests use small ones).
    public var segmentLimit: Int
    /// Progress for work that takes a while (reading a large log, checking a large file).
    public var progress: (String) -> any ProgressReporting

    /// Creates a context.
    public init(directory: String, author: Author?, clock: @escaping () -> Timestamp, lockTimeout: Double = 10,
                faults: StorageFaults = .none, snapshotInterval: Int = 1_000, segmentLimit: Int = LogWriter.segmentLimit,
                progress: @escaping (String) -> any ProgressReporting = { _ in SilentProgress() }) {
        self.directory = directory
        self.author = author
        self.clock = clock
        self.lockTimeout = lockTimeout
        self.faults = faults
        self.snapshotInterval = snapshotInterval
        self.segmentLimit = segmentLimit
        self.progress = progress
    }
}

/// Something that shows progress of long work (the command line's progress meter).
public protocol ProgressReporting {
    /// `done` of `total` items are finished.
    func update(_ done: Int, of total: Int)
    /// The work is finished.
    func finish()
}

/// Progress shown nowhere.
public struct SilentProgress: ProgressReporting {
    /// Creates it.
    public init() {}
    /// Does nothing.
    public func update(_ done: Int, of total: Int) {}
    /// Does nothing.
    public func finish() {}
}
