// swift-tools-version:6.0
import PackageDescription

// Rollbook has no package dependencies: only the toolchain's Foundation, FoundationXML, Dispatch,
// Synchronization, Glibc and Swift Testing.
//
// Layers (lower never import higher):
//   RollbookLog          the read side of the log: lines, chain, checkpoint, verification, SHA-256, JSON
//   RollbookLogWriter    the write side: the lock, durable appends, recovery of a torn tail
//   RollbookDomain       attendance: codes, calendar, events and their JSON
//   RollbookProjections  pure folds of events into state: registers, figures, stages, retention
//   RollbookCommandLine  argument parsing and the Command protocol (ArgumentParser's shape, no package)
//   RollbookReports      text/CSV/JSON renderings shared by both executables
//   RollbookCLI          the officer's commands (`rollbook`), which write through RollbookLogWriter
//   rollbook-replay      the auditor's read-only tool (tools/replay), which never links the writer
//   rollbook-bench       the benchmark's in-process measurements (tools/bench), read-only like the replay tool
let package = Package(
    name: "Rollbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rollbook", targets: ["rollbook"]),
        .executable(name: "rollbook-replay", targets: ["rollbook-replay"]),
    ],
    targets: [
        .target(name: "RollbookLog"),
        .target(name: "RollbookLogWriter", dependencies: ["RollbookLog"]),
        .target(name: "RollbookDomain", dependencies: ["RollbookLog"]),
        .target(name: "RollbookProjections", dependencies: ["RollbookDomain", "RollbookLog"]),
        .target(name: "RollbookCommandLine"),
        .target(name: "RollbookReports", dependencies: ["RollbookProjections", "RollbookDomain", "RollbookLog"]),
        .target(
            name: "RollbookCLI",
            dependencies: ["RollbookCommandLine", "RollbookReports", "RollbookProjections", "RollbookDomain", "RollbookLogWriter", "RollbookLog"]
        ),
        .executableTarget(name: "rollbook", dependencies: ["RollbookCLI"]),
        .executableTarget(
            name: "rollbook-replay",
            dependencies: ["RollbookCommandLine", "RollbookReports", "RollbookProjections", "RollbookDomain", "RollbookLog"],
            path: "tools/replay"
        ),
        // tools/bench: in-process measurements for tools/bench/run.sh (never shipped to schools).
        .executableTarget(name: "rollbook-bench", dependencies: ["RollbookProjections", "RollbookDomain", "RollbookLog"], path: "tools/bench/Sources"),
        .testTarget(name: "RollbookLogTests", dependencies: ["RollbookLog", "RollbookLogWriter"]),
        .testTarget(name: "RollbookDomainTests", dependencies: ["RollbookDomain", "RollbookLog"]),
        .testTarget(name: "RollbookCommandLineTests", dependencies: ["RollbookCommandLine"]),
        .testTarget(name: "RollbookProjectionsTests", dependencies: ["RollbookProjections", "RollbookDomain"]),
        .testTarget(
            name: "RollbookEndToEndTests",
            dependencies: ["rollbook", "rollbook-replay", "RollbookProjections", "RollbookDomain", "RollbookLog"]
        ),
    ]
)
