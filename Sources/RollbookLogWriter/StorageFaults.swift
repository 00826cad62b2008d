#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The storage operations a writer performs, named so a test can make one of them fail.
public enum StorageOperation: String, Sendable, Hashable, CaseIterable {
    /// Writing the new lines to a segment.
    case appendSegment = "write segment"
    /// Flushing the segment to disk.
    case syncSegment = "fsync segment"
    /// Writing the temporary checkpoint.
    case writeCheckpoint = "write checkpoint"
    /// Flushing the temporary checkpoint.
    case syncCheckpoint = "fsync checkpoint"
    /// Renaming the temporary checkpoint over the old one.
    case renameCheckpoint = "rename checkpoint"
    /// Flushing the ledger directory after the rename.
    case syncDirectory = "fsync directory"
    /// Writing a segment rewritten with disposal stubs to its temporary file (retention disposal).
    case writeRewrittenSegment = "write rewritten segment"
    /// Renaming a segment rewritten with disposal stubs over the old one (retention disposal).
    case renameRewrittenSegment = "rename rewritten segment"
}

/// Injected storage failures, for tests of how the writer stops and recovers.
///
/// `fail(operation)` returns the errno to simulate for that operation, or nil to let it run. A writer
/// built without faults never consults it. The `rollbook` command reads
/// `ROLLBOOK_FAULT=<operation>[:<after N bytes>]` (see ``parse(_:)``) so the test suite can make a real
/// process fail at each step; a fault can only make a write fail, never change what is written.
public struct StorageFaults: Sendable {
    /// Decides whether an operation fails; nil means it runs normally.
    public var fail: @Sendable (StorageOperation) -> Int32?
    /// For a failing `appendSegment`, how many bytes are written before the failure (a partial write).
    public var partialBytes: Int

    /// Creates a fault injector.
    public init(partialBytes: Int = 0, fail: @escaping @Sendable (StorageOperation) -> Int32?) {
        self.fail = fail
        self.partialBytes = partialBytes
    }

    /// No faults.
    public static let none = StorageFaults { _ in nil }

    /// Parses `operation[:partialBytes][:ENOSPC|EIO]`, where operation is one of the raw names with spaces
    /// as dashes (`write-segment`, `fsync-segment`, `write-checkpoint`, `fsync-checkpoint`,
    /// `rename-checkpoint`, `fsync-directory`, `write-rewritten-segment`, `rename-rewritten-segment`).
    /// The simulated error is EIO, or ENOSPC (a full disk) when named.
    public static func parse(_ text: String) -> StorageFaults? {
        var parts = text.split(separator: ":").map(String.init)
        var code: Int32 = EIO
        if let last = parts.last, last == "ENOSPC" || last == "EIO" {
            code = last == "ENOSPC" ? ENOSPC : EIO
            parts.removeLast()
        }
        guard let name = parts.first, parts.count <= 2,
              let operation = StorageOperation.allCases.first(where: { $0.rawValue.replacingSpaces() == name }) else { return nil }
        let partial = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let errorCode = code
        return StorageFaults(partialBytes: partial) { $0 == operation ? errorCode : nil }
    }

    /// The faults `ROLLBOOK_FAULT` asks for (`text`, see ``parse(_:)``), in a debug build only: a release
    /// build (what a school runs) ignores it and never fails a write on purpose.
    public static func injected(_ text: String?) -> StorageFaults {
        #if DEBUG
        return text.flatMap(parse) ?? .none
        #else
        return .none
        #endif
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "-" : $0 }) }
}
