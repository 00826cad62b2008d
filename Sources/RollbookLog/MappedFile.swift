#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped read-only into memory, unmapped when the last reference goes.
///
/// Used for caches that are read a few pages at a time (the projection index, `DIR/snapshot`): the
/// kernel reads only the pages touched. The mapping is private and read-only, so nothing done through
/// it can change the file. Only regular files are mapped (``FileSystem/openRegular(_:)``), and a file
/// over `limit` bytes is refused before it is mapped.
public final class MappedFile: @unchecked Sendable {
    /// The path mapped.
    public let path: String
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer
    /// Whether ``bytes`` is a copy held in memory rather than a mapping.
    private let copied: Bool

    /// Maps the file at `path`; throws when it cannot be opened, is not a regular file, is larger than
    /// `limit`, or cannot be mapped.
    public init(path: String, limit: Int) throws(LogError) {
        self.path = path
        copied = false
        let fd = try FileSystem.openRegular(path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(operation: "read", path: path, errno: errno) }
        let size = Int(st.st_size)
        if size > limit { throw .fileTooLarge(path: path, size: size, limit: limit) }
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .io(operation: "map", path: path, errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Holds a copy of `bytes` in memory in place of a mapping (for bytes that are not in a file).
    public init(copying bytes: [UInt8], path: String) {
        self.path = path
        copied = true
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 4096)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        self.bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<bytes.count])
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if copied {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        } else {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
