import Foundation
import RollbookTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Several `rollbook` processes writing at once: the lock serialises them, none is lost or doubled,
/// and a writer that cannot get the lock in time gives up cleanly.
@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("4 processes x 50 single-mark appends at once: 200 events, none lost or doubled, chain intact")
    func fourWriters() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let setup = try t.events().count
        let days = standardSchoolDays.prefix(25).joined(separator: " ")
        var processes: [(Process, Pipe)] = []
        for w in 1...4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let script = """
                for d in \(days); do
                  "$RB" mark --upn \(TestUPN.number(w)) --date "$d" --session AM --code / || exit 1
                  "$RB" mark --upn \(TestUPN.number(w)) --date "$d" --session PM --code '\\' || exit 1
                done
                """
            process.arguments = ["-c", script]
            var env = ProcessInfo.processInfo.environment
            env["RB"] = TestLedger.binaries.appendingPathComponent("rollbook").path
            env["ROLLBOOK_LEDGER"] = t.ledger
            env["ROLLBOOK_NOW"] = t.now
            env["ROLLBOOK_AUTHOR"] = "Writer \(w)"
            env["ROLLBOOK_POSITION"] = "Teacher"
            env["ROLLBOOK_LOCK_TIMEOUT"] = "60"
            process.environment = env
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            processes.append((process, err))
        }
        for (process, _) in processes { try process.run() }
        for (process, err) in processes {
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(stderr)")
        }
        let events = try t.events()
        #expect(events.count == setup + 200)
        #expect(events.map(\.seq) == Array(1...(setup + 200)))
        let marks = try t.markKeys()
        #expect(marks.count == 200 && Set(marks).count == 200, "none lost or doubled")
        for w in 1...4 {
            #expect(events.filter { $0.author.name == "Writer \(w)" }.count == 50)
        }
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
    }

    /// Holds the writer's lock from the test, as another writer would.
    final class HeldLock {
        let fd: Int32
        init(_ ledger: String) throws {
            fd = open(ledger + "/lock", O_RDWR | O_CLOEXEC)
            guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw POSIXError(.EBUSY) }
        }
        func release() { flock(fd, LOCK_UN) }
        deinit { close(fd) }
    }

    @Test("a writer waiting on the lock gives up after its bounded wait: clear message, exit 1, nothing written")
    func lockTimeout() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let before = try t.snapshot()
        let lock = try HeldLock(t.ledger)
        let started = Date()
        let r = try t.run("rollbook", ["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"],
                          environment: ["ROLLBOOK_LOCK_TIMEOUT": "0.4"])
        let waited = Date().timeIntervalSince(started)
        lock.release()
        #expect(r.status == 1)
        #expect(r.stderr.contains("Another rollbook process is writing to this ledger: gave up waiting for the lock"), "\(r.stderr)")
        #expect(r.stderr.contains("after 0.4 seconds. Nothing was written"))
        #expect(r.stdout.isEmpty)
        #expect(waited >= 0.4, "it waited for the lock before giving up")
        #expect(try t.snapshot() == before)
    }

    @Test("two processes writing at once: the second waits for the first, both succeed, the chain verifies")
    func secondWriterWaits() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let lock = try HeldLock(t.ledger)  // the "first writer", mid-write
        let (process, out, err) = try t.start(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        usleep(300_000)
        #expect(process.isRunning, "the second writer waits while the lock is held")
        let first = try t.run("rollbook", ["verify"])  // readers take no lock
        #expect(first.status == 0)
        lock.release()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stdout.hasPrefix("Recorded / for UPN Y123456789001"))
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
    }
}
