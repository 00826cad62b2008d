import Foundation
import RollbookLog
import Testing

#if canImport(Glibc)
import Glibc
import RollbookTestSupport
#endif

/// A `rollbook` process killed with SIGKILL at a random moment (fixed seed): the next open recovers,
/// `verify` passes, every acknowledged append is there, and every batch is all or nothing.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    /// When to kill: a random moment of the run, or a random moment just after the segment grows
    /// (the lines are written but the checkpoint may not yet be replaced: the window a crash tests).
    enum Moment {
        case after(microseconds: UInt32)
        case afterSegmentGrows(microseconds: UInt32)
    }

    /// Runs `rollbook` and kills it at `moment` (unless it has finished). Returns whether it was
    /// killed, its exit status and its output.
    static func runAndKill(_ t: TestLedger, _ arguments: [String], at moment: Moment) throws -> (killed: Bool, status: Int32, stdout: String, stderr: String) {
        let segment = t.ledger + "/segments/000001.jsonl"
        func size() -> Int {
            var st = stat()
            return stat(segment, &st) == 0 ? Int(st.st_size) : 0
        }
        let before = size()
        let (process, out, err) = try t.start(arguments)
        switch moment {
        case .after(let delay):
            usleep(delay)
        case .afterSegmentGrows(let delay):
            while process.isRunning && size() == before { usleep(50) }
            usleep(delay)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return (killed, process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// How long one run takes here, so kills land anywhere in a run's life.
    static func typicalRun(_ t: TestLedger, _ arguments: [String]) throws -> UInt32 {
        let start = DispatchTime.now().uptimeNanoseconds
        let (process, out, err) = try t.start(arguments)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return UInt32(max(5_000, (DispatchTime.now().uptimeNanoseconds - start) / 1000))
    }

    /// What a run of the crash driver did.
    struct Tally: CustomStringConvertible {
        var runs = 0, kills = 0, tailsLeft = 0, recoveriesReported = 0
        var acknowledged: [Int] = []
        var description: String {
            "\(runs) runs, \(kills) killed, \(tailsLeft) kills left an uncommitted tail (each cut and reported by the next run), \(acknowledged.count) acknowledged"
        }
    }

    /// Runs the commands in turn, killing runs at seeded random moments until `kills` have been killed.
    /// After a kill that left bytes after the last committed line, the next run is left to finish: it
    /// must succeed and report that it cut them. `check` runs after every run.
    static func drive(_ t: TestLedger, _ commands: [[String]], kills target: Int, seed: UInt64,
                      check: (_ committed: Int) throws -> Void) throws -> Tally {
        var rng = SeededGenerator(seed: seed)
        var tally = Tally()
        // The first command runs to completion and shows how long a run takes here.
        let lifetime = try typicalRun(t, commands[0])
        tally.acknowledged.append(0)
        var tailPending = false
        for (index, command) in commands.enumerated().dropFirst() where tally.kills < target {
            let moment: Moment? = tailPending ? nil
                : tally.runs % 2 == 0 ? .after(microseconds: UInt32.random(in: (lifetime / 4)...(lifetime * 5 / 4), using: &rng))
                : .afterSegmentGrows(microseconds: UInt32.random(in: 0...3000, using: &rng))
            let r = try moment.map { try runAndKill(t, command, at: $0) } ?? {
                let r = try t.run("rollbook", command)
                return (false, r.status, r.stdout, r.stderr)
            }()
            tally.runs += 1
            if r.stderr.contains("warning: recovered from an interrupted write: cut off") { tally.recoveriesReported += 1 }
            if tailPending {
                #expect(r.status == 0 && r.stderr.contains("warning: recovered from an interrupted write: cut off"),
                        "the run after a torn write cuts the tail and says so: \(r.stderr)")
            }
            if r.killed {
                tally.kills += 1
            } else {
                #expect(r.status == 0, "\(r.stderr)")
                if r.status == 0 && r.stdout.hasPrefix("Recorded ") { tally.acknowledged.append(index) }
            }
            #expect(!r.stderr.contains("Verification failed"), "\(r.stderr)")
            let scan = try LogReader(directory: t.ledger).scan { _ in }
            #expect(scan.fault == nil || scan.fault?.seq == scan.uncommittedTail?.firstSeq, "only an uncommitted tail, never damage")
            tailPending = scan.uncommittedTail != nil
            if tailPending { tally.tailsLeft += 1 }
            try check(scan.linesRead)
        }
        return tally
    }

    @Test("single marks appended one after another, 40 of them killed at random moments")
    func killedSingleMarks() throws {
        let t = try TestLedger()
        try t.standardSchool()
        var marks: [(key: String, command: [String])] = []
        for day in standardSchoolDays.prefix(20) {
            for session in ["AM", "PM"] {
                for i in 1...5 {
                    let code = session == "AM" ? "/" : "\\"
                    marks.append(("\(TestUPN.number(i)) \(day) \(session) \(code)",
                                  ["mark", "--upn", TestUPN.number(i), "--date", day, "--session", session, "--code", code]))
                }
            }
        }
        let tally = try Self.drive(t, marks.map(\.command), kills: 40, seed: 0xC0FFEE) { _ in }
        // The next open recovers; the log verifies; every acknowledged mark is there exactly once.
        let next = try t.run("rollbook", ["mark", "--upn", "U123456789006", "--date", "2025-09-10", "--session", "AM", "--code", "/"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        let recorded = try t.markKeys()
        #expect(Set(recorded).count == recorded.count, "no mark is doubled")
        for i in tally.acknowledged { #expect(recorded.contains(marks[i].key), "acknowledged mark \(marks[i].key) is missing") }
        #expect(tally.kills == 40)
        print("crash suite (single marks): \(tally)")
    }

    @Test("batch imports of 30 marks, 20 of them killed at random moments: all or nothing")
    func killedBatchImports() throws {
        let t = try TestLedger()
        try t.standardSchool()
        // 30 more pupils, so each batch is one session's register of 30 marks.
        let upns = (1...30).map { TestUPN.forDigits(String(repeating: "0", count: 10 - String($0).count) + String($0) + "00") }
        var pupils = "upn,forename,surname,dob,year_group,group,admitted\n"
        for (i, upn) in upns.enumerated() { pupils += "\(upn),Pupil\(i),Test,2014-01-01,7,7C,2025-09-03\n" }
        try t.ok(["pupils", "import", try t.file("more.csv", pupils)])
        var files: [(path: String, keys: [String])] = []
        for day in standardSchoolDays.prefix(34) {
            for session in ["AM", "PM"] {
                let code = session == "AM" ? "/" : "\\"
                var csv = "upn,date,session,code\n"
                var keys: [String] = []
                for upn in upns {
                    csv += "\(upn),\(day),\(session),\(code)\n"
                    keys.append("\(upn) \(day) \(session) \(code)")
                }
                files.append((try t.file("batch-\(day)-\(session).csv", csv), keys))
            }
        }
        let setup = try t.events().count
        let tally = try Self.drive(t, files.map { ["marks", "import", $0.path] }, kills: 20, seed: 0xBA7C4) { committed in
            // After every run: whole batches only (30 marks and the register taken: 31 events each).
            #expect((committed - setup) % 31 == 0, "\(committed - setup) events after the setup is not a whole number of batches")
        }
        // And by content: each batch is wholly there or wholly absent.
        let recorded = Set(try t.markKeys())
        for (i, f) in files.enumerated() {
            let present = f.keys.filter { recorded.contains($0) }.count
            #expect(present == 0 || present == f.keys.count, "batch \(i) is partly there (\(present) of \(f.keys.count))")
        }
        t.now = "2025-10-30T08:00:00.000Z"
        let next = try t.run("rollbook", ["intervene", "--upn", "Y123456789001", "--action", "letter", "--date", "2025-09-03"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        let marks = Set(try t.markKeys())
        for b in tally.acknowledged { #expect(files[b].keys.allSatisfy(marks.contains), "acknowledged batch \(b) is missing") }
        #expect(tally.kills == 20)
        print("crash suite (batches): \(tally)")
    }
}
