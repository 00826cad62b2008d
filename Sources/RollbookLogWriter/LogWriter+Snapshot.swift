import RollbookLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The writer's handling of `DIR/snapshot`, a cache of projection state (see `events/FORMAT.md`).
extension LogWriter {
    /// Replaces `DIR/snapshot` atomically with `bytes`: `DIR/snapshot.tmp` (created 0600), rename, fsync
    /// of the directory. Call only while holding the lock (any open writer does).
    ///
    /// The file's data is not forced to disk first: it is a cache whose every part has a checksum, so a
    /// copy torn by a crash is found and ignored by readers (who read the log) and replaced by the next
    /// writer; forcing 150 MB to disk would cost more than the appends it serves.
    public func replaceSnapshot(_ bytes: [UInt8]) throws(LogError) {
        let temporary = paths.snapshotTemporary
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        try LogWriter.writeWholeFile(fd, bytes, path: temporary, sync: false)
        guard rename(temporary, paths.snapshot) == 0 else {
            let code = errno
            unlink(temporary)
            throw .io(operation: "rename the snapshot to", path: paths.snapshot, errno: code)
        }
        try syncDirectory(paths.directory)
    }

    /// Removes `DIR/snapshot` (and a leftover temporary), e.g. before a disposal rewrites lines it covers.
    public func removeSnapshot() throws(LogError) {
        unlink(paths.snapshotTemporary)
        if unlink(paths.snapshot) != 0 && errno != ENOENT {
            throw .io(operation: "remove", path: paths.snapshot, errno: errno)
        }
    }
}
