// swift-tools-version:6.0
import PackageDescription

// Rollbook has no package dependencies: only the toolchain's Foundation, FoundationXML, Dispatch,
// Synchronization, Glibc and Swift Testing.
//
// Layers (lower never import higher):
//   CRollbookSHA         SHA-256 block compression with the CPU's SHA instructions (C, chosen at run time)
//   RollbookLog          the read side of the log: lines, chain, checkpoint, verification, SHA-256, JSON
//   RollbookLogWriter    the write side: the lock, durable appends, recovery of a torn tail
//   RollbookDomain       attendance: codes, calendar, events and their JSON
//   RollbookProjections  pure folds of events into state: registers, figures, stages, retention
//   RollbookLedger       the application layer: one ledger session (open under the lock, load the state
//                        from the log or its cache, recover, validate every write against the rules of
//                        PRODUCT.md, encode, append durably, refresh the cache); errors as LedgerError
//   RollbookReports      text/CSV/JSON renderings shared by both executables
//   RollbookCommandLine  argument parsing, typed argument values and the Command protocol
//                        (ArgumentParser's shape, no package); knows nothing of attendance
//   RollbookOptions      the options both executables share (--ledger, --format, --as-of, dates,
//                        sessions, codes) and every ROLLBOOK_* environment variable, read in one place
//   RollbookCLI          the officer's commands (`rollbook`): parse → call RollbookLedger → render
//   rollbook-replay      the auditor's read-only tool (tools/replay), which never links the writer
//   rollbook-bench       the benchmark's in-process measurements (tools/bench), read-only like the replay tool
let package = Package(
    name: "Rollbook",
    products: [
        .executable(name: "rollbook", targets: ["rollbook"]),
        .executable(name: "rollbook-replay", targets: ["rollbook-replay"]),
    ],
    targets: [
        // C, no unsafe flags: the SHA instructions are enabled per function and used only after cpuid.
        .target(name: "CRollbookSHA"),
        .target(name: "RollbookLog", dependencies: ["CRollbookSHA"]),
        .target(name: "RollbookLogWriter", dependencies: ["RollbookLog"]),
        .target(name: "RollbookDomain", dependencies: ["RollbookLog"]),
        .target(name: "RollbookProjections", dependencies: ["RollbookDomain", "RollbookLog"]),
        .target(name: "RollbookLedger", dependencies: ["RollbookProjections", "RollbookDomain", "RollbookLogWriter", "RollbookLog"]),
        .target(name: "RollbookReports", dependencies: ["RollbookProjections", "RollbookDomain", "RollbookLog"]),
        .target(name: "RollbookCommandLine"),
        .target(name: "RollbookOptions", dependencies: ["RollbookCommandLine", "RollbookReports", "RollbookDomain", "RollbookLog"]),
        .target(
            name: "RollbookCLI",
            dependencies: ["RollbookLedger", "RollbookOptions", "RollbookCommandLine", "RollbookReports", "RollbookProjections",
                           "RollbookDomain", "RollbookLogWriter", "RollbookLog"]
        ),
        .executableTarget(name: "rollbook", dependencies: ["RollbookCLI"]),
        .executableTarget(
            name: "rollbook-replay",
            dependencies: ["RollbookOptions", "RollbookCommandLine", "RollbookReports", "RollbookProjections", "RollbookDomain", "RollbookLog"],
            path: "tools/replay"
        ),
        // tools/bench: in-process measurements for tools/bench/run.sh (never shipped to schools).
        .executableTarget(name: "rollbook-bench", dependencies: ["RollbookProjections", "RollbookDomain", "RollbookLog"], path: "tools/bench/Sources"),
        // Helpers shared by the test targets (temporary directories, the process runner, the seeded
        // generator, the Python verifier's driver); linked only by tests.
        .target(name: "RollbookTestSupport", path: "Tests/RollbookTestSupport"),
        .testTarget(
            name: "RollbookLogTests", dependencies: ["RollbookLog", "RollbookLogWriter", "RollbookTestSupport"],
            resources: [.copy("Resources/NIST")]  // the NIST CAVP SHA-256 vectors
        ),
        .testTarget(name: "RollbookDomainTests", dependencies: ["RollbookDomain", "RollbookLog", "RollbookTestSupport"]),
        .testTarget(name: "RollbookCommandLineTests", dependencies: ["RollbookCommandLine", "RollbookOptions"]),
        .testTarget(name: "RollbookProjectionsTests", dependencies: ["RollbookProjections", "RollbookDomain", "RollbookTestSupport"]),
        .testTarget(name: "RollbookLedgerTests", dependencies: ["RollbookLedger", "RollbookProjections", "RollbookDomain", "RollbookLog",
                                                                "RollbookLogWriter", "RollbookReports", "RollbookTestSupport"]),
        .testTarget(
            name: "RollbookEndToEndTests",
            dependencies: ["rollbook", "rollbook-replay", "RollbookReports", "RollbookProjections", "RollbookDomain", "RollbookLog",
                           "RollbookTestSupport"]
        ),
    ]
)
