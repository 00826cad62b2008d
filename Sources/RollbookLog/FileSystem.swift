#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small wrappers over the POSIX calls the log uses, reporting failures as ``LogError``.
package enum FileSystem {
    /// Reads a whole file.
    ///
    /// Only a regular file is read (a FIFO or device is refused without blocking), and a file larger than
    /// `limit` bytes, when given, is refused before a byte of it is read.
    package static func read(_ path: String, limit: Int? = nil) throws(LogError) -> [UInt8] {
        var bytes: [UInt8] = []
        let count = try read(path, into: &bytes, limit: limit)
        if count < bytes.count { bytes.removeLast(bytes.count - count) }
        return bytes
    }

    /// Reads a whole file into the start of `bytes`, reusing its storage when it is large enough (a
    /// reader of many 64 MiB segments then touches fresh memory once), and returns how many bytes were read.
    /// Bytes of `bytes` after the returned count are left as they were.
    package static func read(_ path: String, into bytes: inout [UInt8], limit: Int? = nil, regularOnly: Bool = true) throws(LogError) -> Int {
        let fd: Int32
        if regularOnly {
            fd = try openRegular(path)
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        let size = Int(st.st_size)
        if let limit, size > limit { throw .fileTooLarge(path: path, size: size, limit: limit) }
        if bytes.count < size {
            // Uninitialised: every byte up to `size` is about to be read over.
            bytes = [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
        }
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + done, size - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads a file's bytes from `offset` to its end (at most `limit` bytes when given) into a new array.
    package static func read(_ path: String, from offset: Int, limit: Int? = nil) throws(LogError) -> [UInt8] {
        let fd = try openRegular(path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        var size = max(0, Int(st.st_size) - offset)
        if let limit { size = min(size, limit) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, size - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }

    /// Reads a whole file the user named (a CSV file, a policy, a digest): it may be a link or a pipe.
    package static func readInput(_ path: String) throws(LogError) -> [UInt8] {
        var bytes: [UInt8] = []
        let count = try read(path, into: &bytes, regularOnly: false)
        if count < bytes.count { bytes.removeLast(bytes.count - count) }
        return bytes
    }

    /// Opens a file for reading only if it is a regular file: `O_NONBLOCK` so that opening a FIFO never
    /// waits for a writer, `O_NOFOLLOW` so that a symbolic link put in a ledger's place is not followed,
    /// then `fstat` to refuse anything but a regular file. The caller closes the descriptor.
    package static func openRegular(_ path: String) throws(LogError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ELOOP { throw .notARegularFile(path: path) }
            throw .io(operation: "open", path: path, errno: errno)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw .io(operation: "stat", path: path, errno: code)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notARegularFile(path: path)
        }
        return fd
    }

    /// Whether a path names a regular file (without following a symbolic link).
    package static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether a path exists (a dangling symbolic link counts).
    package static func existsOrLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Whether a path exists.
    package static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether a path is a directory.
    package static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size of a file, or nil if it does not exist.
    package static func size(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// The names in a directory, sorted.
    package static func list(_ path: String) throws(LogError) -> [String] {
        guard let dir = opendir(path) else { throw .io(operation: "list", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
