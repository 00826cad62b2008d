import Foundation
import RollbookTestSupport
import Testing

/// Every `import` in the sources goes downward: the log knows nothing of attendance, projections know
/// nothing of the application layer, and the auditor's tool never links the writer.
@Suite struct LayeringTests {
    /// Each source folder and the project modules its files may import (the toolchain's are always allowed).
    static let allowed: [String: Set<String>] = [
        "Sources/RollbookLog": [],
        "Sources/RollbookLogWriter": ["RollbookLog"],
        "Sources/RollbookDomain": ["RollbookLog"],
        "Sources/RollbookProjections": ["RollbookDomain", "RollbookLog"],
        "Sources/RollbookLedger": ["RollbookProjections", "RollbookDomain", "RollbookLogWriter", "RollbookLog"],
        "Sources/RollbookReports": ["RollbookProjections", "RollbookDomain", "RollbookLog"],
        "Sources/RollbookCommandLine": [],
        "Sources/RollbookOptions": ["RollbookCommandLine", "RollbookReports", "RollbookDomain", "RollbookLog"],
        "Sources/RollbookCLI": ["RollbookLedger", "RollbookOptions", "RollbookCommandLine", "RollbookReports", "RollbookProjections",
                                "RollbookDomain", "RollbookLogWriter", "RollbookLog"],
        "Sources/rollbook": ["RollbookCLI"],
        "tools/replay": ["RollbookOptions", "RollbookCommandLine", "RollbookReports", "RollbookProjections", "RollbookDomain", "RollbookLog"],
    ]
    static let toolchain: Set<String> = ["Foundation", "FoundationXML", "FoundationEssentials", "Dispatch", "Synchronization", "Glibc",
                                         "Darwin", "CRollbookSHA"]

    @Test func everyImportGoesDownward() throws {
        var checked = 0
        var upward: [String] = []
        for (folder, modules) in LayeringTests.allowed {
            let root = PackageRoot.path + "/" + folder
            guard let files = FileManager.default.enumerator(atPath: root) else { continue }
            for case let name as String in files where name.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + name, encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let i = words.firstIndex(of: "import"), i <= 1, i + 1 < words.count else { continue }
                    let module = String(words[i + 1])
                    checked += 1
                    if !modules.contains(module) && !LayeringTests.toolchain.contains(module) {
                        upward.append("\(folder)/\(name) imports \(module)")
                    }
                }
            }
        }
        #expect(checked > 100)
        #expect(upward.isEmpty, "\(upward.joined(separator: "\n"))")
    }

    @Test func theReplayToolCannotReachTheWriter() throws {
        let manifest = try String(contentsOfFile: PackageRoot.path + "/Package.swift", encoding: .utf8)
        let replay = try #require(manifest.range(of: "name: \"rollbook-replay\""))
        let declaration = manifest[replay.lowerBound...].prefix { $0 != ")" }
        #expect(!declaration.contains("RollbookLogWriter") && !declaration.contains("RollbookLedger") && !declaration.contains("RollbookCLI"))
    }
}
