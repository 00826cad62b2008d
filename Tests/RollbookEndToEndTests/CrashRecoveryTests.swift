import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A `rollbook` process killed with SIGKILL at a random moment (fixed seed): the next open recovers,
/// `verify` passes, every acknowledged append is there, and every batch is all or nothing.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    /// Runs `rollbook` and kills it after `delay` microseconds (unless it has finished). Returns whether
    /// it was killed, its exit status and its standard output.
    static func runAndKill(_ t: TestLedger, _ arguments: [String], afterMicroseconds delay: UInt32) throws -> (killed: Bool, status: Int32, stdout: String, stderr: String) {
        let (process, out, err) = try t.start(arguments)
        usleep(delay)
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

    @Test("single marks appended one after another, 40 of them killed at random moments")
    func killedSingleMarks() throws {
        let t = try TestLedger()
        try t.standardSchool()
        var rng = SeededGenerator(seed: 0xC0FFEE)
        let upns = (1...5).map { "A12345678900\($0)" }
        var pending: [(upn: String, day: String, session: String)] = []
        for day in standardSchoolDays.prefix(20) { for session in ["AM", "PM"] { for upn in upns { pending.append((upn, day, session)) } } }
        // The first append runs to completion and shows how long a run takes here; kills then land
        // anywhere from a quarter of the way in (after start-up) to just past the end.
        let first = pending.removeFirst()
        let lifetime = try Self.typicalRun(t, ["mark", "--upn", first.upn, "--date", first.day, "--session", first.session, "--code", "/"])
        var acknowledged: [String] = ["\(first.upn) \(first.day) \(first.session) /"]
        var kills = 0, recoveries = 0, runs = 0
        while kills < 40, !pending.isEmpty {
            let mark = pending.removeFirst()
            let code = mark.session == "AM" ? "/" : "\\"
            let delay = UInt32.random(in: (lifetime / 4)...(lifetime * 5 / 4), using: &rng)
            let r = try Self.runAndKill(t, ["mark", "--upn", mark.upn, "--date", mark.day, "--session", mark.session, "--code", code],
                                        afterMicroseconds: delay)
            runs += 1
            if r.killed { kills += 1 } else {
                #expect(r.status == 0, "\(r.stderr)")
                if r.status == 0 && r.stdout.hasPrefix("Recorded ") { acknowledged.append("\(mark.upn) \(mark.day) \(mark.session) \(code)") }
            }
            if r.stderr.contains("recovered from an interrupted write") { recoveries += 1 }
            #expect(!r.stderr.contains("Verification failed"), "\(r.stderr)")
        }
        // The next open recovers; the log verifies; every acknowledged mark is there exactly once.
        let next = try t.run("rollbook", ["mark", "--upn", "A123456789006", "--date", "2025-09-10", "--session", "AM", "--code", "/"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        let marks = try t.markKeys()
        #expect(Set(marks).count == marks.count, "no mark is doubled")
        for key in acknowledged { #expect(marks.contains(key), "acknowledged mark \(key) is missing") }
        #expect(kills == 40, "ran \(runs) appends")
        print("crash suite (single marks): \(runs) runs, \(kills) killed, \(recoveries) recoveries reported, \(acknowledged.count) acknowledged")
    }

    @Test("batch imports of 80 marks, 20 of them killed at random moments: all or nothing")
    func killedBatchImports() throws {
        let t = try TestLedger()
        try t.standardSchool()
        var rng = SeededGenerator(seed: 0xBA7C4)
        // 80 more pupils, so each batch is one session's register of 80 marks.
        let upns = (1...80).map { "B" + String(repeating: "0", count: 10 - String($0).count) + String($0) + "00" }
        var pupils = "upn,forename,surname,dob,year_group,group,admitted\n"
        for (i, upn) in upns.enumerated() { pupils += "\(upn),Pupil\(i),Test,2014-01-01,7,7C,2025-09-03\n" }
        try t.ok(["pupils", "import", try t.file("more.csv", pupils)])
        var files: [(path: String, keys: [String])] = []
        for day in standardSchoolDays.prefix(30) {
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
        let lifetime = try Self.typicalRun(t, ["marks", "import", files.removeLast().path])
        var kills = 0, recoveries = 0, runs = 0
        var acknowledged: [Int] = []
        for (b, file) in files.enumerated() where kills < 20 {
            let delay = UInt32.random(in: (lifetime / 4)...(lifetime * 5 / 4), using: &rng)
            let r = try Self.runAndKill(t, ["marks", "import", file.path], afterMicroseconds: delay)
            runs += 1
            if r.killed { kills += 1 } else {
                #expect(r.status == 0, "\(r.stderr)")
                if r.status == 0 && r.stdout.hasPrefix("Recorded ") { acknowledged.append(b) }
            }
            if r.stderr.contains("recovered from an interrupted write") { recoveries += 1 }
            // After every run the ledger reopens: each batch is wholly there or wholly absent.
            let marks = Set(try t.markKeys())
            for (i, f) in files.enumerated() where i <= b {
                let present = f.keys.filter { marks.contains($0) }.count
                #expect(present == 0 || present == f.keys.count, "batch \(i) is partly there (\(present) of \(f.keys.count))")
            }
        }
        t.now = "2025-10-30T08:00:00.000Z"
        let next = try t.run("rollbook", ["intervene", "--upn", "A123456789001", "--action", "letter", "--date", "2025-09-03"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        let marks = Set(try t.markKeys())
        for b in acknowledged { #expect(files[b].keys.allSatisfy(marks.contains), "acknowledged batch \(b) is missing") }
        #expect(kills == 20, "ran \(runs) imports")
        print("crash suite (batches): \(runs) runs, \(kills) killed, \(recoveries) recoveries reported, \(acknowledged.count) acknowledged")
    }
}
