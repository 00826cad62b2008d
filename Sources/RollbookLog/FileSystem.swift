#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small wrappers over the POSIX calls the log uses, reporting failures as ``LogError``.
package enum FileSystem {
    /// Reads a whole file.
    package static func read(_ path: String) throws(LogError) -> [UInt8] {
        var bytes: [UInt8] = []
        let count = try read(path, into: &bytes)
        if count < bytes.count { bytes.removeLast(bytes.count - count) }
        return bytes
    }

    /// Reads a whole file into the start of `bytes`, reusing its storage when it is large enough (a
    /// reader of many 64 MiB segments then touches fresh memory once), and returns how many bytes were read.
    /// Bytes of `bytes` after the returned count are left as they were.
    package static func read(_ path: String, into bytes: inout [UInt8]) throws(LogError) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        let size = Int(st.st_size)
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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
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
