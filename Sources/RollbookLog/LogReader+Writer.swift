#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a writer is at work, for readers that must not mistake a write in progress for tampering.
extension LogReader {
    /// Whether another process holds the writer's lock on `DIR/lock` right now.
    ///
    /// Takes no write access: the lock file is opened read-only (a missing lock file means no writer)
    /// and a shared lock is tried without waiting and released at once. A lock that cannot be tried
    /// at all (a file system without `flock`) counts as no writer.
    public var writerIsActive: Bool {
        // Only a regular file: O_NONBLOCK so that a FIFO put in its place never blocks the reader.
        guard let fd = try? FileSystem.openRegular(paths.lock) else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// The checkpoint file's bytes, or nil when it cannot be read (to notice a write that committed
    /// while a reader was reading).
    public func checkpointBytes() -> [UInt8]? { try? FileSystem.read(paths.checkpoint, limit: LogReader.checkpointLimit) }
}

extension LogReader {
    /// Sleeps for `milliseconds` (between attempts to read a log a writer is changing).
    public static func pause(milliseconds: Int) { usleep(useconds_t(max(0, milliseconds) * 1000)) }
}
