import Foundation
import RollbookCommandLine
import RollbookLog

/// Every `ROLLBOOK_*` environment variable, read in one place.
///
/// `ROLLBOOK_LEDGER`, `ROLLBOOK_AUTHOR` and `ROLLBOOK_POSITION` stand in for `--ledger`, `--author`
/// and `--position`. `ROLLBOOK_LOCK_TIMEOUT` is how many seconds a writer waits for another's lock
/// (default 10). `ROLLBOOK_NOW` fixes the clock (a test and demo hook). `ROLLBOOK_FAULT` and
/// `ROLLBOOK_SNAPSHOT_EVERY` are test hooks for the writer's fault injection and cache interval.
/// `XDG_CACHE_HOME` and `HOME` say where `rollbook-replay` keeps its own cache (never in a ledger);
/// `ROLLBOOK_REPLAY_TAIL` (a test hook) is how many appended lines that cache keeps apart before merging.
public struct ProcessEnvironment: Sendable {
    /// The ledger directory, when set.
    public var ledger: String?
    /// The author's name, when set.
    public var author: String?
    /// The author's position, when set.
    public var position: String?
    /// The lock timeout as written, when set.
    public var lockTimeout: String?
    /// The fixed clock as written, when set.
    public var now: String?
    /// The writer fault to inject (tests), when set.
    public var fault: String?
    /// How many events may follow the cache before a writer refreshes it (tests), when set.
    public var snapshotEvery: String?
    /// `XDG_CACHE_HOME`, when set: the user's cache directory.
    public var cacheHome: String?
    /// `HOME`, when set.
    public var home: String?
    /// How many appended lines the replay cache's tail may hold before it is merged (tests), when set.
    public var replayTail: String?

    /// Reads the variables from a dictionary (the process's environment, or a test's).
    public init(_ variables: [String: String]) {
        ledger = variables["ROLLBOOK_LEDGER"]
        author = variables["ROLLBOOK_AUTHOR"]
        position = variables["ROLLBOOK_POSITION"]
        lockTimeout = variables["ROLLBOOK_LOCK_TIMEOUT"]
        now = variables["ROLLBOOK_NOW"]
        fault = variables["ROLLBOOK_FAULT"]
        snapshotEvery = variables["ROLLBOOK_SNAPSHOT_EVERY"]
        cacheHome = variables["XDG_CACHE_HOME"]
        home = variables["HOME"]
        replayTail = variables["ROLLBOOK_REPLAY_TAIL"]
    }

    /// The running process's environment.
    public static var current: ProcessEnvironment { ProcessEnvironment(ProcessInfo.processInfo.environment) }

    /// The lock timeout in seconds: a finite number from 0 to one day (default 10).
    public func lockTimeoutSeconds() throws(UsageError) -> Double {
        guard let lockTimeout else { return 10 }
        guard let seconds = Double(lockTimeout), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw UsageError("ROLLBOOK_LOCK_TIMEOUT must be a number of seconds from 0 to 86400")
        }
        return seconds
    }

    /// The clock: fixed at `ROLLBOOK_NOW`, else the system's.
    public func clock() throws(UsageError) -> @Sendable () -> Timestamp {
        if let now {
            guard let fixed = Timestamp(parsing: now) else {
                throw UsageError("ROLLBOOK_NOW is not a UTC time like 2025-09-03T08:41:07.123Z")
            }
            return { fixed }
        }
        return { Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
    }

    /// How many events may follow the cache before a writer refreshes it (default 50,000).
    public var snapshotInterval: Int { snapshotEvery.flatMap { Int($0) }.map { max(1, $0) } ?? 1_000 }
}
