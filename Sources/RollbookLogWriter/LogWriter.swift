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

    /// A segment is closed and a new one started once it has grown past this size (64 MiB).
    public static let segmentLimit = 64 << 20
    /// This writer's segment limit: ``segmentLimit`` unless a test chose a smaller one.
    public let segmentLimit: Int

    private let lockDescriptor: Int32
    private let directoryDescriptor: Int32
    let faults: StorageFaults
    var stopped = false
    private let label: String

    /// How far the system clock may read behind the last event before appends are refused (5 minutes).
    public static let clockTolerance: Int64 = 5 * 60 * 1000

    /// Opens (and with `create`, creates) the ledger in `directory` for writing.
    ///
    /// The writer locks the ledger directory itself and `DIR/lock` (checking, after locking, that the
    /// file locked is still the one at that path), so removing or replacing the lock file while a write
    /// runs never lets a second writer in.
    ///
    /// - Parameters:
    ///   - label: `rollbook/<URN>`; required when the ledger has no checkpoint yet, checked otherwise.
    ///   - create: create the directory (0700) if needed; fails if it already holds a ledger.
    ///   - lockTimeout: how long to wait for another writer, in seconds (finite, zero or more).
    ///   - rebuilding: open a ledger whose checkpoint is missing, for ``rebuildCheckpoint(at:)`` only.
    ///   - segmentLimit: the size past which a new segment is started (tests use small ones).
    public init(directory: String, label: String?, create: Bool = false, lockTimeout: Double = 10,
                faults: StorageFaults = .none, rebuilding: Bool = false, segmentLimit: Int = LogWriter.segmentLimit) throws(LogError) {
        guard lockTimeout.isFinite, lockTimeout >= 0 else { throw .badLockTimeout(String(lockTimeout)) }
        let paths = LedgerPaths(directory: directory)
        self.paths = paths
        self.faults = faults
        self.segmentLimit = max(1, segmentLimit)
        if create {
            try LogWriter.makeDirectory(paths.directory)
        } else if !FileSystem.isDirectory(paths.directory) {
            throw .notALedger(path: paths.directory)
        }
        let (directoryFD, fd) = try LogWriter.lockLedger(paths, timeout: lockTimeout)
        self.directoryDescriptor = directoryFD
        self.lockDescriptor = fd
        do {
            let reader = LogReader(directory: directory)
            let existing = try reader.checkpoint()
            if create {
                if existing != nil || FileSystem.existsOrLink(paths.snapshot) { throw LogError.alreadyExists(path: paths.directory) }
                if try reader.segmentsHoldData() {
                    // Only an interrupted first write (at most one line, never acknowledged) may be set aside.
                    let walk = try ChainWalk.walk(paths: paths, from: LogPosition(seq: 0, head: .zero, segment: 1, offset: 0, lastAt: nil))
                    let names = try FileSystem.list(paths.segments).filter { $0.hasSuffix(".jsonl") }
                    guard walk.lines <= 1, names == [LedgerPaths.segmentName(1)] else { throw LogError.checkpointMissing(directory: paths.directory) }
                }
            } else if existing == nil {
                if try reader.segmentsHoldData() {
                    guard rebuilding, label != nil else { throw LogError.checkpointMissing(directory: paths.directory) }
                } else {
                    throw LogError.notALedger(path: paths.directory)
                }
            }
            guard let resolved = existing?.label ?? label else { throw LogError.notALedger(path: paths.directory) }
            if !FileSystem.isDirectory(paths.segments) { try LogWriter.makeDirectory(paths.segments) }
            LogWriter.removeLeftoverTemporaries(paths)
            // Last, so that nothing throws once every property is set (deinit would unlock a second time).
            self.label = resolved
            self.checkpoint = existing
        } catch let error as LogError {
            LogWriter.unlock(fd, directoryFD)
            throw error
        } catch {
            LogWriter.unlock(fd, directoryFD)
            throw .writerStopped
        }
    }

    /// Removes temporary files an interrupted writer left (`checkpoint.tmp`, `snapshot.tmp`,
    /// `segments/NNNNNN.jsonl.tmp`): each is an unfinished copy that was never renamed into place, so it
    /// holds nothing the log lacks, and on a full disk it holds space the next write needs.
    static func removeLeftoverTemporaries(_ paths: LedgerPaths) {
        unlink(paths.checkpointTemporary)
        unlink(paths.snapshotTemporary)
        for name in (try? FileSystem.list(paths.segments)) ?? [] where name.hasSuffix(".jsonl.tmp") {
            unlink(paths.segments + "/" + name)
        }
    }

    static func unlock(_ fd: Int32, _ directoryFD: Int32) {
        flock(fd, LOCK_UN)
        close(fd)
        flock(directoryFD, LOCK_UN)
        close(directoryFD)
    }

    /// Locks the directory, then the lock file, retrying when the lock file at the path is not the one
    /// locked (it was removed or replaced between opening and locking). Returns both descriptors.
    static func lockLedger(_ paths: LedgerPaths, timeout: Double) throws(LogError) -> (directory: Int32, lock: Int32) {
        let directoryFD = open(paths.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw .io(operation: "open the ledger directory", path: paths.directory, errno: errno) }
        do {
            try LogWriter.lock(directoryFD, path: paths.directory, timeout: timeout)
        } catch {
            close(directoryFD)
            throw error
        }
        for _ in 0..<100 {
            let fd = open(paths.lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
            guard fd >= 0 else {
                let code = errno
                flock(directoryFD, LOCK_UN)
                close(directoryFD)
                if code == ELOOP { throw .notARegularFile(path: paths.lock) }
                throw .io(operation: "open the lock file", path: paths.lock, errno: code)
            }
            do {
                try LogWriter.lock(fd, path: paths.lock, timeout: timeout)
            } catch {
                close(fd)
                flock(directoryFD, LOCK_UN)
                close(directoryFD)
                throw error
            }
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, lstat(paths.lock, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino {
                guard (held.st_mode & S_IFMT) == S_IFREG else {
                    unlock(fd, directoryFD)
                    throw .notARegularFile(path: paths.lock)
                }
                return (directoryFD, fd)
            }
            // The file locked is no longer the lock file: try again with the one now there.
            flock(fd, LOCK_UN)
            close(fd)
        }
        flock(directoryFD, LOCK_UN)
        close(directoryFD)
        throw .lockTimeout(path: paths.lock, seconds: timeout)
    }

    deinit {
        LogWriter.unlock(lockDescriptor, directoryDescriptor)
    }

    /// Moves everything after the last committed line into `DIR/recovered/` and returns what was moved,
    /// or nil if nothing follows the last committed line. Nothing is deleted.
    ///
    /// Call this only after reading the log under this writer's lock and finding it intact up to the
    /// checkpoint: it trusts the checkpoint to say where the committed log ends. Bytes that can only be
    /// one interrupted write (a torn line, or complete lines all stamped by one write) are moved; complete
    /// lines from more than one write that chain to the checkpoint mean the checkpoint is older than the
    /// log, and nothing is moved: ``LogError/checkpointBehindLog(directory:count:firstSeq:lastSeq:)``.
    /// `now` names the file in `DIR/recovered/`.
    public func cutUncommittedTail(at now: Timestamp) throws(LogError) -> UncommittedTail? {
        guard !stopped else { throw .writerStopped }
        let start = LogPosition(seq: checkpoint?.count ?? 0, head: checkpoint?.head ?? .zero, segment: checkpoint?.segment ?? 1,
                                offset: checkpoint?.offset ?? 0, lastAt: nil)
        if FileSystem.existsOrLink(paths.segment(start.segment)) {
            let walk = try ChainWalk.walk(paths: paths, from: start)
            if walk.writes > 1 {
                throw .checkpointBehindLog(directory: paths.directory, count: start.seq, firstSeq: start.seq + 1, lastSeq: walk.end.seq)
            }
        }
        do {
            return try LogWriter.cutUncommittedTail(paths: paths, checkpoint: checkpoint, now: now)
        } catch {
            // Nothing is appended after a recovery that did not finish; the log is cut only after every
            // byte is kept in DIR/recovered/, so at worst the bytes are in both places.
            stopped = true
            if case .verificationFailed = error { throw error }
            throw .notRecorded(error)
        }
    }

    /// Makes the checkpoint commit every complete line that continues the chain after it (from the first
    /// line when there is none), moves whatever follows them to `DIR/recovered/`, and returns the counts
    /// before and after and what was moved.
    ///
    /// This is the way back for a checkpoint that was lost, or restored from an older backup: only lines
    /// that chain are committed (their sequence and `prev` links are checked; a full `verify` should
    /// follow). The checkpoint is replaced only if unchanged since this writer read it.
    public func rebuildCheckpoint(at now: Timestamp) throws(LogError) -> (before: Int, after: Int, moved: UncommittedTail?) {
        guard !stopped else { throw .writerStopped }
        let before = checkpoint?.count ?? 0
        let start = LogPosition(seq: before, head: checkpoint?.head ?? .zero, segment: checkpoint?.segment ?? 1,
                                offset: checkpoint?.offset ?? 0, lastAt: nil)
        let walk = try ChainWalk.walk(paths: paths, from: start)
        if walk.lines > 0 {
            let next = Checkpoint(label: label, count: walk.end.seq, head: walk.end.head, segment: walk.end.segment, offset: walk.end.offset)
            var renamed = false
            do {
                try writeCheckpoint(next, renamed: &renamed)
            } catch {
                stopped = true
                unlink(paths.checkpointTemporary)
                throw error
            }
            checkpoint = next
        }
        let moved = walk.bytesAfter ? try LogWriter.cutUncommittedTail(paths: paths, checkpoint: checkpoint, now: now) : nil
        return (before, checkpoint?.count ?? 0, moved)
    }

    /// Records the time of the last committed event, so appends never go back in time.
    public func setLastAt(_ at: Timestamp?) { lastAt = at }


    /// The sequence number the next appended line will get.
    public var nextSeq: Int { (checkpoint?.count ?? 0) + 1 }

    /// Appends a batch durably and returns the sequence numbers and time given to it.
    ///
    /// Each record is the event's JSON object (`{"type":…}`); the writer inserts `seq`, `at` and `prev`
    /// in front of its members. `at` is `now`, or the last event's time if the clock reads earlier by at
    /// most ``clockTolerance``; a clock further behind is refused (``LogError/clockBehind(now:last:seq:)``),
    /// unless the batch is an authored clock correction (`steppingBack`), the only write stamped
    /// earlier than the event before it.
    ///
    /// With `startingNewSegment`, the batch is written at the start of a new segment file (a retention
    /// disposal does this so that the segments it rewrites never hold the checkpoint's line).
    ///
    /// If a step fails before the new checkpoint is in place, the writer takes back what it wrote (the
    /// segment is truncated to where it was, a segment it created is removed, `checkpoint.tmp` is
    /// removed), so the log verifies at once, and throws ``LogError/notRecorded(_:)``. Either way the
    /// writer stops.
    @discardableResult
    public func append(_ records: [[UInt8]], at now: Timestamp, startingNewSegment: Bool = false,
                       steppingBack: Bool = false) throws(LogError) -> (first: Int, at: Timestamp) {
        try append(count: records.count, bytes: records.reduce(0) { $0 + $1.count }, at: now, startingNewSegment: startingNewSegment,
                   steppingBack: steppingBack) { index, batch in batch.append(contentsOf: records[index]) }
    }

    /// Appends `count` records durably, each encoded by `record` straight into the batch, and returns the
    /// sequence numbers and time given to them; otherwise exactly ``append(_:at:startingNewSegment:steppingBack:)``.
    ///
    /// `record(index, &batch)` appends record `index` (0 ..< `count`, called once each, in order): the
    /// event's JSON object, `{` to `}`. `bytes` is about how many bytes the records take, for reserving
    /// memory. The lines are written as they are made, a chunk at a time. A batch that takes a segment past
    /// ``segmentLimit`` continues in a new segment, between two lines (events/FORMAT.md); each segment is
    /// made durable before the next is started, and the checkpoint moves once, after the last.
    @discardableResult
    public func append(count: Int, bytes: Int, at now: Timestamp, startingNewSegment: Bool = false, steppingBack: Bool = false,
                       record: (Int, inout [UInt8]) -> Void) throws(LogError) -> (first: Int, at: Timestamp) {
        guard !stopped else { throw .writerStopped }
        guard count > 0 else { return (nextSeq, now) }
        if !steppingBack { try refuseClockBehind(now, tolerance: LogWriter.clockTolerance) }
        let at = steppingBack ? now : max(now, lastAt ?? now)
        // `,"at":"…","prev":"` is the same on every line of the batch.
        // then 64 bytes for the previous line's hash in hex and its closing quote.
        // (Held outside arrays so that copying them costs no reference counting, once a line.)
        let middleBytes = Array(#","at":""#.utf8) + at.logBytes + Array(#"","prev":""#.utf8) + [UInt8](repeating: 0x30, count: 64) + [0x22]
        let middle = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: middleBytes.count)
        _ = middle.initialize(from: middleBytes)
        let openingBytes = Array(#"{"seq":"#.utf8)
        let opening = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: openingBytes.count)
        _ = opening.initialize(from: openingBytes)
        defer {
            middle.deallocate()
            opening.deallocate()
        }
        var prev = checkpoint?.head ?? .zero
        var seq = nextSeq
        let chunkSize = max(1024, min(LogWriter.chunkSize, segmentLimit / 4))
        var chunk: [UInt8] = []
        chunk.reserveCapacity(min(bytes + count * 136, chunkSize + chunkSize / 4))
        var output = BatchOutput(writer: self, segment: checkpoint?.segment ?? 1, start: checkpoint?.offset ?? 0)
        // Whether the batch starts in a new segment: asked for, or when it would take a segment already half
        // full past the limit (known once that many bytes are made, or at the end).
        var decided = output.start == 0 || startingNewSegment || output.start < segmentLimit / 2
        if output.start > 0 && startingNewSegment { output.next() }
        var renamed = false
        do throws(LogError) {
            try refuseChangedCheckpoint()
            for index in 0..<count {
                // The opening members, then the record with its `{` replaced by the comma that follows them.
                let lineStart = chunk.count
                chunk.append(contentsOf: UnsafeBufferPointer(opening))
                LogWriter.appendDecimal(seq, to: &chunk)
                chunk.append(contentsOf: UnsafeBufferPointer(middle))
                chunk.withUnsafeMutableBytes { prev.writeHex(to: UnsafeMutableRawBufferPointer(rebasing: $0[($0.count - 65)...])) }
                let recordStart = chunk.count
                record(index, &chunk)
                guard chunk.count - recordStart >= 3, chunk[recordStart] == 0x7B, chunk[recordStart + 1] == 0x22, chunk[chunk.count - 1] == 0x7D else {
                    throw LogError.badRecord(index: index, reason: "it is not a JSON object with at least one member")
                }
                chunk[recordStart] = 0x2C
                prev = chunk.withUnsafeBytes { SHA256.hash(UnsafeRawBufferPointer(rebasing: $0[lineStart...])) }
                chunk.append(0x0A)
                seq += 1
                let more = index < count - 1
                if !decided {
                    if output.start + chunk.count > segmentLimit {
                        output.next()
                        decided = true
                    } else if !more {
                        decided = true
                    } else {
                        continue
                    }
                }
                if more && output.start + output.written + chunk.count >= segmentLimit {
                    try output.write(chunk)
                    try output.finish()
                    output.next()
                    chunk.removeAll(keepingCapacity: true)
                } else if chunk.count >= chunkSize {
                    try output.write(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try output.write(chunk)
            try output.finish()
            let next = Checkpoint(label: label, count: seq - 1, head: prev, segment: output.segment, offset: output.start + output.written)
            try writeCheckpoint(next, renamed: &renamed)
            checkpoint = next
            lastAt = at
            return (seq - count, at)
        } catch {
            output.release()
            if case .badRecord = error, output.touched.isEmpty { throw error }  // nothing was written
            stopped = true
            if renamed {
                // The new checkpoint is in place: the batch is committed, but its durability is not confirmed.
                checkpoint = nil
                throw error
            }
            unlink(paths.checkpointTemporary)
            if case .checkpointChanged = error { throw error }
            // Later segments first, so that the log never has a gap.
            for piece in output.touched.reversed() where !takeBack(piece.path, to: piece.offset, created: piece.created) { break }
            throw .notRecorded(error)
        }
    }

    /// How many bytes of lines the writer makes before writing them out (the batch is never held whole;
    /// a quarter of the segment limit when that is smaller).
    static let chunkSize = 1 << 20

    /// Appends a non-negative integer's decimal digits.
    @inline(__always)
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64) = (0, 0)  // up to 16 digits, most significant last
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                rest /= 10
                count += 1
            } while rest > 0 && count < 16
        }
        guard rest == 0 else { return out.append(contentsOf: String(value).utf8) }
        withUnsafeBytes(of: &digits) { raw in
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(raw[i]) }
        }
    }

    /// Where a batch's bytes go: the segment being written, its descriptor, and every segment touched (to
    /// take the bytes back if the batch fails).
    private struct BatchOutput {
        let writer: LogWriter
        /// The segment being written.
        var segment: Int
        /// Where the batch's bytes start in it.
        var start: Int
        /// How many of the batch's bytes are written to it.
        var written = 0
        var descriptor: Int32 = -1
        var isNew = false
        /// Each segment written to, where the batch started in it, and whether the batch created it.
        var touched: [(path: String, offset: Int, created: Bool)] = []

        init(writer: LogWriter, segment: Int, start: Int) {
            self.writer = writer
            self.segment = segment
            self.start = start
        }

        /// Moves on to the start of the next segment (after ``finish()``, or before anything was written).
        mutating func next() {
            segment += 1
            start = 0
            written = 0
        }

        /// Writes bytes after those already written to the segment, opening it first if need be.
        mutating func write(_ bytes: [UInt8]) throws(LogError) {
            guard !bytes.isEmpty else { return }
            let path = writer.paths.segment(segment)
            if descriptor < 0 {
                isNew = !FileSystem.existsOrLink(path)
                touched.append((path, start, isNew))
                descriptor = try writer.openSegment(path)
            }
            try writer.writeSegment(descriptor, path: path, offset: start + written, bytes: bytes)
            written += bytes.count
        }

        /// Makes the segment durable (and its directory entry, if new) and closes it.
        mutating func finish() throws(LogError) {
            guard descriptor >= 0 else { return }
            let path = writer.paths.segment(segment)
            defer { release() }
            if let code = writer.faults.fail(.syncSegment) { throw .io(operation: StorageOperation.syncSegment.rawValue, path: path, errno: code) }
            guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
            if isNew { try writer.syncDirectory(writer.paths.segments) }
        }

        /// Closes the segment's descriptor, if open.
        mutating func release() {
            if descriptor >= 0 { _ = close(descriptor) }
            descriptor = -1
        }
    }

    /// Throws ``LogError/clockBehind(now:last:seq:toleranceMinutes:)`` when `now` is more than `tolerance`
    /// milliseconds earlier than the last committed event (see ``setLastAt(_:)``).
    public func refuseClockBehind(_ now: Timestamp, tolerance: Int64) throws(LogError) {
        if let lastAt, now.milliseconds < lastAt.milliseconds - tolerance {
            throw .clockBehind(now: now, last: lastAt, seq: checkpoint?.count ?? 0, toleranceMinutes: Int(tolerance / 60_000))
        }
    }

    /// Takes a failed append's bytes out of a segment: truncates it to `offset`, or removes it if the
    /// append created it. Returns whether the segment is as it was (if not, the next writer moves the
    /// uncommitted bytes to `DIR/recovered/`; they are never committed either way).
    func takeBack(_ path: String, to offset: Int, created: Bool) -> Bool {
        if created {
            guard unlink(path) == 0 || errno == ENOENT else { return false }
            let dir = open(paths.segments, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dir >= 0 { fsync(dir); close(dir) }
            return true
        }
        guard truncate(path, off_t(offset)) == 0 else { return false }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return fsync(fd) == 0
    }

    /// Throws ``LogError/checkpointChanged(path:)`` unless `DIR/checkpoint` is still the one this writer
    /// read or last wrote (compare and swap: nothing else may have replaced it while the lock is held).
    func refuseChangedCheckpoint() throws(LogError) {
        let onDisk: Checkpoint?
        do {
            onDisk = try LogReader(directory: paths.directory).checkpoint()
        } catch {
            throw .checkpointChanged(path: paths.checkpoint)
        }
        guard onDisk == checkpoint else { throw .checkpointChanged(path: paths.checkpoint) }
    }

    /// Opens a segment for writing (creating it), refusing anything but a regular file.
    func openSegment(_ path: String) throws(LogError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else { throw .io(operation: "open the segment", path: path, errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notARegularFile(path: path)
        }
        return fd
    }

    /// Writes all of `bytes` at `offset` of an open segment.
    func writeSegment(_ fd: Int32, path: String, offset: Int, bytes: [UInt8]) throws(LogError) {
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
            if n == 0 { throw .io(operation: "write to", path: path, errno: ENOSPC) }
            written += n
        }
    }

    /// Replaces the checkpoint atomically: `checkpoint.tmp`, fsync, compare and swap, rename, fsync of
    /// the directory. `renamed` is set once the new checkpoint is in place (the batch is then committed).
    private func writeCheckpoint(_ checkpoint: Checkpoint, renamed: inout Bool) throws(LogError) {
        let temporary = paths.checkpointTemporary
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
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
            throw .io(operation: "write", path: temporary, errno: n < 0 ? code : ENOSPC)
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
        try refuseChangedCheckpoint()
        guard rename(temporary, paths.checkpoint) == 0 else { throw .io(operation: "rename the checkpoint to", path: paths.checkpoint, errno: errno) }
        renamed = true
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

    /// Moves everything after the checkpoint (bytes past `offset` in its segment and every later segment,
    /// or for an empty ledger any segment bytes at all) into `DIR/recovered/`, then takes it out of the
    /// log. Each piece is copied (0600, never overwriting a file) and made durable before the segment is
    /// truncated or removed, so a crash in between leaves the bytes in both places, never in neither.
    static func cutUncommittedTail(paths: LedgerPaths, checkpoint: Checkpoint?, now: Timestamp) throws(LogError) -> UncommittedTail? {
        let segment = checkpoint?.segment ?? 1
        let offset = checkpoint?.offset ?? 0
        let firstSeq = (checkpoint?.count ?? 0) + 1
        let path = paths.segment(segment)
        var pieces: [(segment: Int, offset: Int, bytes: [UInt8])] = []
        if FileSystem.existsOrLink(path) {
            guard let size = FileSystem.size(path) else { throw .notARegularFile(path: path) }
            if size < offset {
                throw .verificationFailed(LogFault(seq: (checkpoint?.count ?? 0), segment: LedgerPaths.relativeSegment(segment), line: nil,
                    problem: "the segment is shorter than the checkpoint records (\(size) bytes, expected at least \(offset)); the ledger was cut and will not be written to"))
            }
            if size > offset { pieces.append((segment, offset, try FileSystem.read(path, from: offset))) }
        } else if let checkpoint {
            throw .verificationFailed(LogFault(seq: checkpoint.count, segment: LedgerPaths.relativeSegment(segment), line: nil,
                problem: "the segment the checkpoint names is missing; the ledger will not be written to"))
        }
        var next = segment + 1
        while FileSystem.existsOrLink(paths.segment(next)) {
            pieces.append((next, 0, try FileSystem.read(paths.segment(next))))
            next += 1
        }
        guard !pieces.isEmpty else { return nil }
        var tail = UncommittedTail(segment: pieces[0].segment, offset: pieces[0].offset, bytes: 0, firstSeq: firstSeq)
        var seq = firstSeq
        var files: [String] = []
        for piece in pieces {
            var complete = 0
            for b in piece.bytes where b == 0x0A { complete += 1 }
            let torn = piece.bytes.last.map { $0 != 0x0A } ?? false
            let last = seq + max(0, complete + (torn ? 1 : 0) - 1)
            files.append(try LogWriter.keepRecovered(piece.bytes, paths: paths, firstSeq: seq, lastSeq: last, segment: piece.segment, now: now))
            tail.bytes += piece.bytes.count
            tail.completeLines += complete
            if torn { tail.tornBytes += piece.bytes.count - ((piece.bytes.lastIndex(of: 0x0A) ?? -1) + 1) }
            seq = last + 1
        }
        tail.recoveredFiles = files
        // Now that every byte is kept elsewhere, take them out of the log.
        for number in pieces.map(\.segment).reversed() where number > segment {
            guard unlink(paths.segment(number)) == 0 else { throw .io(operation: "remove the uncommitted segment", path: paths.segment(number), errno: errno) }
        }
        if let first = pieces.first, first.segment == segment {
            guard truncate(path, off_t(offset)) == 0 else { throw .io(operation: "cut the uncommitted tail of", path: path, errno: errno) }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd >= 0 { fsync(fd); close(fd) }
        }
        let fd = open(paths.segments, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
        return tail
    }

    /// Writes bytes taken out of the log to a new file in `DIR/recovered/` (0700 directory, 0600 file,
    /// never overwriting one), fsyncs it and the directory, and returns its path relative to the ledger.
    static func keepRecovered(_ bytes: [UInt8], paths: LedgerPaths, firstSeq: Int, lastSeq: Int, segment: Int, now: Timestamp) throws(LogError) -> String {
        try makeDirectory(paths.recovered)
        let stamp = String(now.description.filter { $0.isNumber || $0 == "T" || $0 == "Z" })
        let base = "seq-\(firstSeq)-\(lastSeq)-\(stamp)-from-\(LedgerPaths.segmentName(segment))"
        var attempt = 1
        while true {
            let name = attempt == 1 ? base : base + "." + String(attempt)
            let path = paths.recovered + "/" + name
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd < 0 {
                if errno == EEXIST && attempt < 1000 { attempt += 1; continue }
                throw .io(operation: "create", path: path, errno: errno)
            }
            try LogWriter.writeWholeFile(fd, bytes, path: path)
            let dir = open(paths.recovered, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dir >= 0 { fsync(dir); close(dir) }
            return "recovered/" + name
        }
    }
}
