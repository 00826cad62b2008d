import RollbookLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single writer of a ledger: holds the OS lock, appends batches durably, keeps the checkpoint.
///
/// Opening takes an exclusive `flock` on `DIR/lock`, waiting at most `lockTimeout` seconds for another
/// writer to finish. The owner then reads the log under the lock and, if the only problem is bytes
/// after the last committed line (a torn line or a batch that never committed), calls
/// ``cutUncommittedTail()`` to remove them and reports what was cut. Each ``append(_:at:)`` frames its records with `seq`, `at` and `prev`, writes them
/// in one `write`, fsyncs the segment, and replaces the checkpoint atomically (temp file, fsync,
/// rename, fsync of the directory); only then is the append acknowledged. If any step fails the
/// writer stops: it reports the error and refuses further appends rather than retrying.
public final class LogWriter {
    /// The ledger's files.
    public let paths: LedgerPaths
    /// The checkpoint after the last acknowledged append (nil while the ledger is empty).
    public private(set) var checkpoint: Checkpoint?
    /// The time of the last committed event.
    public private(set) var lastAt: Timestamp?

    /// A segment is closed and a new one started once it has grown past this size.
    public static let segmentLimit = 64 << 20

    private let lockDescriptor: Int32
    let faults: StorageFaults
    var stopped = false
    private let label: String

    /// Opens (and with `create`, creates) the ledger in `directory` for writing.
    ///
    /// - Parameters:
    ///   - label: `rollbook/<URN>`; required when the ledger has no checkpoint yet, checked otherwise.
    ///   - create: create the directory (0700) if needed; fails if it already holds a ledger.
    ///   - lockTimeout: how long to wait for another writer, in seconds.
    ///   - lastAt: the time of the last committed event, which the caller knows from reading the log.
    public init(directory: String, label: String?, create: Bool = false, lockTimeout: Double = 10,
                faults: StorageFaults = .none) throws(LogError) {
        let paths = LedgerPaths(directory: directory)
        self.paths = paths
        self.faults = faults
        if create {
            try LogWriter.makeDirectory(paths.directory)
            try LogWriter.makeDirectory(paths.segments)
        } else if !FileSystem.isDirectory(paths.directory) {
            throw .notALedger(path: paths.directory)
        }
        let fd = open(paths.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "open the lock file", path: paths.lock, errno: errno) }
        do {
            try LogWriter.lock(fd, path: paths.lock, timeout: lockTimeout)
        } catch {
            close(fd)
            throw error
        }
        self.lockDescriptor = fd
        do {
            let reader = LogReader(directory: directory)
            let existing = try reader.checkpoint()
            if create, existing != nil { throw LogError.alreadyExists(path: paths.directory) }
            if existing == nil, !create, !FileSystem.exists(paths.segment(1)) { throw LogError.notALedger(path: paths.directory) }
            guard let resolved = existing?.label ?? label else { throw LogError.notALedger(path: paths.directory) }
            self.label = resolved
            self.checkpoint = existing
            if !FileSystem.isDirectory(paths.segments) { try LogWriter.makeDirectory(paths.segments) }
        } catch let error as LogError {
            flock(fd, LOCK_UN)
            close(fd)
            throw error
        } catch {
            flock(fd, LOCK_UN)
            close(fd)
            throw .writerStopped
        }
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    /// Cuts off everything after the last committed line and returns what was cut, or nil if nothing was.
    ///
    /// Call this only after reading the log under this writer's lock and finding it intact up to the
    /// checkpoint: it trusts the checkpoint to say where the committed log ends.
    public func cutUncommittedTail() throws(LogError) -> UncommittedTail? {
        guard !stopped else { throw .writerStopped }
        return try LogWriter.cutUncommittedTail(paths: paths, checkpoint: checkpoint)
    }

    /// Records the time of the last committed event, so appends never go back in time.
    public func setLastAt(_ at: Timestamp?) { lastAt = at }


    /// The sequence number the next appended line will get.
    public var nextSeq: Int { (checkpoint?.count ?? 0) + 1 }

    /// Appends a batch durably and returns the sequence numbers and time given to it.
    ///
    /// Each record is the event's JSON object (`{"type":…}`); the writer inserts `seq`, `at` and `prev`
    /// in front of its members. `at` is `now`, or the last event's time if the clock reads earlier.
    ///
    /// With `startingNewSegment`, the batch is written at the start of a new segment file (a retention
    /// disposal does this so that the segments it rewrites never hold the checkpoint's line).
    @discardableResult
    public func append(_ records: [[UInt8]], at now: Timestamp, startingNewSegment: Bool = false) throws(LogError) -> (first: Int, at: Timestamp) {
        guard !stopped else { throw .writerStopped }
        guard !records.isEmpty else { return (nextSeq, now) }
        let at = max(now, lastAt ?? now)
        let atBytes = at.logBytes
        var prev = checkpoint?.head ?? .zero
        var seq = nextSeq
        var batch: [UInt8] = []
        batch.reserveCapacity(records.reduce(0) { $0 + $1.count + 120 })
        var lastLineStart = 0
        for (index, record) in records.enumerated() {
            guard record.count >= 3, record.first == 0x7B, record.last == 0x7D, record[1] == 0x22 else {
                throw .badRecord(index: index, reason: "it is not a JSON object with at least one member")
            }
            lastLineStart = batch.count
            batch.append(contentsOf: #"{"seq":"#.utf8)
            batch.append(contentsOf: String(seq).utf8)
            batch.append(contentsOf: #","at":""#.utf8)
            batch.append(contentsOf: atBytes)
            batch.append(contentsOf: #"","prev":""#.utf8)
            prev.appendHex(to: &batch)
            batch.append(contentsOf: #"","#.utf8)
            batch.append(contentsOf: record[1...])
            prev = batch.withUnsafeBytes { SHA256.hash(UnsafeRawBufferPointer(rebasing: $0[lastLineStart...])) }
            batch.append(0x0A)
            seq += 1
        }
        var segment = checkpoint?.segment ?? 1
        var offset = checkpoint?.offset ?? 0
        if offset > 0 && (startingNewSegment || offset + batch.count > LogWriter.segmentLimit && offset >= LogWriter.segmentLimit / 2) {
            segment += 1
            offset = 0
        }
        do {
            try writeSegment(segment, offset: offset, bytes: batch)
            let next = Checkpoint(label: label, count: seq - 1, head: prev, segment: segment, offset: offset + batch.count)
            try writeCheckpoint(next)
            checkpoint = next
            lastAt = at
            return (seq - records.count, at)
        } catch {
            stopped = true
            throw error
        }
    }

    private func writeSegment(_ segment: Int, offset: Int, bytes: [UInt8]) throws(LogError) {
        let path = paths.segment(segment)
        let isNew = !FileSystem.exists(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "open the segment", path: path, errno: errno) }
        defer { close(fd) }
        if let code = faults.fail(.appendSegment) {
            if faults.partialBytes > 0 {
                _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, min(faults.partialBytes, bytes.count), off_t(offset)) }
            }
            throw .io(operation: StorageOperation.appendSegment.rawValue, path: path, errno: code)
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + written, bytes.count - written, off_t(offset + written)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write to", path: path, errno: errno)
            }
            written += n
        }
        if let code = faults.fail(.syncSegment) { throw .io(operation: StorageOperation.syncSegment.rawValue, path: path, errno: code) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
        if isNew { try syncDirectory(paths.segments) }
    }

    private func writeCheckpoint(_ checkpoint: Checkpoint) throws(LogError) {
        let temporary = paths.checkpointTemporary
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        let bytes = checkpoint.fileBytes
        if let code = faults.fail(.writeCheckpoint) {
            close(fd)
            throw .io(operation: StorageOperation.writeCheckpoint.rawValue, path: temporary, errno: code)
        }
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, bytes.count) }
        guard n == bytes.count else {
            let code = errno
            close(fd)
            throw .io(operation: "write", path: temporary, errno: n < 0 ? code : 5)
        }
        if let code = faults.fail(.syncCheckpoint) {
            close(fd)
            throw .io(operation: StorageOperation.syncCheckpoint.rawValue, path: temporary, errno: code)
        }
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw .io(operation: "fsync", path: temporary, errno: code)
        }
        close(fd)
        if let code = faults.fail(.renameCheckpoint) {
            throw .io(operation: StorageOperation.renameCheckpoint.rawValue, path: paths.checkpoint, errno: code)
        }
        guard rename(temporary, paths.checkpoint) == 0 else { throw .io(operation: "rename the checkpoint to", path: paths.checkpoint, errno: errno) }
        if let code = faults.fail(.syncDirectory) {
            throw .io(operation: StorageOperation.syncDirectory.rawValue, path: paths.directory, errno: code)
        }
        try syncDirectory(paths.directory)
    }

    func syncDirectory(_ path: String) throws(LogError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open the directory", path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync the directory", path: path, errno: errno) }
    }

    static func makeDirectory(_ path: String) throws(LogError) {
        if FileSystem.isDirectory(path) { return }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .io(operation: "create the directory", path: path, errno: errno) }
        _ = chmod(path, 0o700)
    }

    static func lock(_ fd: Int32, path: String, timeout: Double) throws(LogError) {
        var waited = 0.0
        var pause = 0.001
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw .io(operation: "lock", path: path, errno: errno) }
            if waited >= timeout { throw .lockTimeout(path: path, seconds: timeout) }
            usleep(UInt32(pause * 1_000_000))
            waited += pause
            pause = min(pause * 2, 0.05)
        }
    }

    /// Cuts everything after the checkpoint: bytes past `offset` in its segment and any later segment
    /// (and, for an empty ledger, any segment bytes at all). Reports what was cut.
    static func cutUncommittedTail(paths: LedgerPaths, checkpoint: Checkpoint?) throws(LogError) -> UncommittedTail? {
        let segment = checkpoint?.segment ?? 1
        let offset = checkpoint?.offset ?? 0
        let path = paths.segment(segment)
        var cut: UncommittedTail?
        if let size = FileSystem.size(path) {
            if size < offset {
                throw .verificationFailed(LogFault(seq: (checkpoint?.count ?? 0), segment: LedgerPaths.relativeSegment(segment), line: nil,
                    problem: "the segment is shorter than the checkpoint records (\(size) bytes, expected at least \(offset)); the ledger was cut and will not be written to"))
            }
            if size > offset {
                cut = UncommittedTail(segment: segment, offset: offset, bytes: size - offset, firstSeq: (checkpoint?.count ?? 0) + 1)
                guard truncate(path, off_t(offset)) == 0 else { throw .io(operation: "cut the uncommitted tail of", path: path, errno: errno) }
                let fd = open(path, O_WRONLY | O_CLOEXEC)
                if fd >= 0 { fsync(fd); close(fd) }
            }
        } else if checkpoint != nil {
            throw .verificationFailed(LogFault(seq: checkpoint!.count, segment: LedgerPaths.relativeSegment(segment), line: nil,
                problem: "the segment the checkpoint names is missing; the ledger will not be written to"))
        }
        var next = segment + 1
        while FileSystem.exists(paths.segment(next)) {
            let extra = FileSystem.size(paths.segment(next)) ?? 0
            if cut == nil { cut = UncommittedTail(segment: next, offset: 0, bytes: extra, firstSeq: (checkpoint?.count ?? 0) + 1) }
            else { cut!.bytes += extra }
            guard unlink(paths.segment(next)) == 0 else { throw .io(operation: "remove the uncommitted segment", path: paths.segment(next), errno: errno) }
            next += 1
        }
        return cut
    }
}
