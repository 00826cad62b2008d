import Foundation

/// A temporary directory of its own for one test, removed when the value goes away.
///
/// It lives in /dev/shm when there is one: the reliability suites append thousands of times, and an
/// fsync on a disk costs milliseconds while on tmpfs it is free. What they test (which bytes are where,
/// and what the reader and writer make of them) does not depend on the medium.
package final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's path.
    package let path: String
    /// The directory's URL.
    package var url: URL { URL(fileURLWithPath: path) }

    static let base: URL = {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
           FileManager.default.isWritableFile(atPath: "/dev/shm") {
            return URL(fileURLWithPath: "/dev/shm")
        }
        return FileManager.default.temporaryDirectory
    }()

    /// Creates a new, empty directory whose name starts with `name`; `onDisk` keeps it off tmpfs (for
    /// tests that need a real file system's behaviour).
    package init(_ name: String = "rollbook", onDisk: Bool = false) throws {
        let base = onDisk ? FileManager.default.temporaryDirectory : TemporaryDirectory.base
        path = base.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    package func sub(_ name: String) -> String { path + "/" + name }
}
