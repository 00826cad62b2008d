#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RollbookLog

extension LogWriter {
    /// Writes all of `bytes` to the open descriptor `fd` of the new file at `path` and syncs it; on any
    /// failure closes the descriptor, removes the file (it was never acknowledged) and throws. On success
    /// the descriptor is closed too.
    static func writeWholeFile(_ fd: Int32, _ bytes: [UInt8], path: String, sync: Bool = true) throws(LogError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let code = errno
                close(fd)
                unlink(path)
                throw .io(operation: "write", path: path, errno: n < 0 ? code : 5)
            }
            done += n
        }
        guard !sync || fsync(fd) == 0 else {
            let code = errno
            close(fd)
            unlink(path)
            throw .io(operation: "fsync", path: path, errno: code)
        }
        close(fd)
    }
}
