import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension TestLedger {
    /// What a run under a deadline did: its result, or nil when it was still running at the deadline
    /// (it is then killed, so a hung command fails the test instead of hanging the suite).
    struct TimedResult {
        var result: Result?
        var timedOut: Bool { result == nil }
    }

    /// Runs `rollbook` like ``run(_:_:environment:identity:)`` but kills it if it has not finished within
    /// `seconds` (a bound on a hang, not a measure of speed).
    func run(within seconds: Double, _ arguments: [String], environment extra: [String: String] = [:]) throws -> TimedResult {
        let (process, out, err) = try start(arguments, environment: extra)
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let done = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            done.enter()
            let handle = pipe.fileHandleForReading
            Thread {
                let data = handle.readDataToEndOfFile()
                if isOut { outData = data } else { errData = data }
                done.leave()
            }.start()
        }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        done.wait()
        if timedOut { return TimedResult(result: nil) }
        return TimedResult(result: Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                          stderr: String(decoding: errData, as: UTF8.self)))
    }

    /// Whether another process could take the writer's locks (the directory and `DIR/lock`) right now.
    func locksAreFree() -> Bool {
        let directory = open(ledger, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let file = open(ledger + "/lock", O_RDWR | O_CLOEXEC)
        defer {
            if directory >= 0 { close(directory) }
            if file >= 0 { close(file) }
        }
        guard directory >= 0, flock(directory, LOCK_EX | LOCK_NB) == 0 else { return false }
        flock(directory, LOCK_UN)
        guard file < 0 || flock(file, LOCK_EX | LOCK_NB) == 0 else { return false }
        if file >= 0 { flock(file, LOCK_UN) }
        return true
    }

    /// The paths of temporary files (`*.tmp`) anywhere under the ledger.
    func temporaryFiles() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: ledger) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".tmp") }
    }
}
