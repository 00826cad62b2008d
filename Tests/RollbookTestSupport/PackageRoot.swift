import Foundation

/// Where the package and its built products are, for tests that read its files or run its executables.
package enum PackageRoot {
    /// The package's root directory (the one holding Package.swift).
    package static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The package's root directory as a path.
    package static var path: String { url.path }

    /// The directory of the built executables (the test bundle sits beside them, in .build/<triple>/debug).
    package static var binaries: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("rollbook").path), url.path != "/" {
            url = url.deletingLastPathComponent()
        }
        return url
    }
}
