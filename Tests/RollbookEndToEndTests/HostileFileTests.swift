import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A FIFO or an oversized file in place of the checkpoint or the snapshot: every command ends with a
/// clean message (never a hang, never a huge read), and the writer's lock is released. Each run is
/// bounded by a deadline that only catches a hang; no test measures speed.
@Suite("FIFOs and oversized files in a ledger")
struct HostileFileTests {
    static let deadline = 20.0
    static let mark = ["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"]
    static let register = ["register", "--date", "2025-09-03"]

    enum Hostile: String, CaseIterable, CustomStringConvertible {
        case fifo, oversized
        var description: String { rawValue }
    }

    /// Puts a FIFO, or an oversized file, at `path`.
    static func place(_ kind: Hostile, at path: String, size: Int) throws {
        try? FileManager.default.removeItem(atPath: path)
        switch kind {
        case .fifo:
            #expect(mkfifo(path, 0o600) == 0)
        case .oversized:
            // Sparse: its size is what a reader would have to read, without using the disk.
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            #expect(fd >= 0)
            #expect(ftruncate(fd, off_t(size)) == 0)
            close(fd)
        }
    }

    @Test("a FIFO or an oversized file as the checkpoint: a clean error from readers and writers, the lock released",
          arguments: Hostile.allCases)
    func checkpoint(_ kind: Hostile) throws {
        let t = try TestLedger()
        try t.standardSchool()
        let segment = try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/segments/000001.jsonl"))
        try Self.place(kind, at: t.ledger + "/checkpoint", size: 5_000)
        for command in [Self.mark, Self.register, ["verify"], ["digest"]] {
            let run = try t.run(within: Self.deadline, command)
            let r = try #require(run.result, "rollbook \(command[0]) hung on a \(kind) checkpoint")
            #expect(r.status == 1, "\(command[0]): \(r.stderr)")
            let said = r.stderr + r.stdout
            #expect(kind == .fifo ? said.contains("is not a regular file") : said.contains("more than the 4096 bytes"),
                    "\(command[0]): \(said)")
            #expect(t.locksAreFree(), "\(command[0]) let go of the lock")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/segments/000001.jsonl")) == segment, "nothing was written")
    }

    @Test("a FIFO or an oversized file as the snapshot is ignored with a warning: the log is read instead",
          arguments: Hostile.allCases)
    func snapshot(_ kind: Hostile) throws {
        let t = try TestLedger()
        try t.standardSchool()
        // Far larger than the bound on a snapshot (twice the log plus 16 MiB), and sparse.
        try Self.place(kind, at: t.ledger + "/snapshot", size: 1 << 30)
        let read = try #require(try t.run(within: Self.deadline, Self.register).result, "register hung on a \(kind) snapshot")
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stderr.contains("ignored the snapshot"), "\(read.stderr)")
        #expect(read.stderr.contains(kind == .fifo ? "is not a regular file" : "more than the"), "\(read.stderr)")
        let write = try #require(try t.run(within: Self.deadline, Self.mark).result, "mark hung on a \(kind) snapshot")
        #expect(write.status == 0, "\(write.stderr)")
        #expect(t.locksAreFree())
        #expect(try t.markKeys() == ["Y123456789001 2025-09-03 AM /"])
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
    }

    @Test("ROLLBOOK_LOCK_TIMEOUT must be a finite number of seconds: nan, inf and negative are usage errors",
          arguments: ["nan", "inf", "-1", "ten"])
    func lockTimeout(_ value: String) throws {
        let t = try TestLedger()
        try t.standardSchool()
        let before = try t.snapshot()
        let r = try #require(try t.run(within: Self.deadline, Self.mark, environment: ["ROLLBOOK_LOCK_TIMEOUT": value]).result)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("ROLLBOOK_LOCK_TIMEOUT must be a number of seconds"), "\(r.stderr)")
        #expect(try t.snapshot() == before)
    }
}
