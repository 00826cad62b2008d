import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `verify` and `rollbook-replay verify` run over and over while a writer works: they may see bytes
/// after the checkpoint, or stubs whose disposal event they have not read yet, but they never report
/// tampering (they test the writer's lock read-only and read again).
@Suite(.serialized)
struct VerifyDuringWriteTests {
    /// A UPN with a correct check letter for the number `n`.
    static func upn(_ n: Int) -> String {
        let digits = String(format: "%012d", n)
        let sum = digits.utf8.enumerated().reduce(0) { $0 + Int($1.element - 48) * ($1.offset + 2) }
        return String(Array("ABCDEFGHJKLMNPQRTUVWXYZ")[sum % 23]) + digits
    }

    /// A school of `pupils` pupils opened in 2018, its autumn term's marks in one CSV (not yet imported).
    static func school(pupils: Int) throws -> (TestLedger, marks: String) {
        let t = try TestLedger()
        t.now = "2018-09-01T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2018-09-03", "--to", "2018-10-19"])
        var rows = ["upn,forename,surname,dob,year_group,group,admitted"]
        for i in 0..<pupils { rows.append("\(VerifyDuringWriteTests.upn(i)),Pupil,Number,2011-03-02,7,7A,2018-09-03") }
        try t.ok(["pupils", "import", try t.file("pupils.csv", rows.joined(separator: "\n") + "\n")])
        var marks = ["upn,date,session,code"]
        for day in TestLedger.weekdays("2018-09-03", "2018-10-19") {
            for i in 0..<pupils {
                marks.append("\(VerifyDuringWriteTests.upn(i)),\(day),AM,/")
                marks.append("\(VerifyDuringWriteTests.upn(i)),\(day),PM,\\")
            }
        }
        t.now = "2018-10-22T08:00:00.000Z"
        return (t, try t.file("marks.csv", marks.joined(separator: "\n") + "\n"))
    }

    /// Runs both verifiers alternately until `writer` exits; every run must pass. Returns how many ran
    /// while the writer was still running.
    static func verifyWhile(_ t: TestLedger, _ writer: Process) throws -> Int {
        var during = 0
        var round = 0
        while writer.isRunning || round < 2 {
            let running = writer.isRunning
            let tool = round % 2 == 0 ? "rollbook" : "rollbook-replay"
            let r = try t.run(tool, ["verify"])
            #expect(r.status == 0, "\(tool) verify during a write (round \(round)): \(r.stdout) \(r.stderr)")
            #expect(!r.stdout.contains("FAIL") && !r.stdout.contains("outside Rollbook") && !r.stdout.contains("no retention.disposed"))
            // A reading command of the auditor's tool: an answer, or "run again", never a verification failure.
            let register = try t.run("rollbook-replay", ["register", "--date", "2018-09-03", "--format", "json"])
            #expect(register.status == 0 || register.stderr.contains("while it was being read"), "\(register.stderr)")
            #expect(!register.stderr.contains("Verification failed"), "\(register.stderr)")
            if running && writer.isRunning { during += 1 }
            round += 1
        }
        return during
    }

    @Test func verifyDuringALargeImportAndADisposalRaisesNoFalseAlarm() throws {
        let (t, marks) = try VerifyDuringWriteTests.school(pupils: 400)
        let (importer, _, importErrors) = try t.start(["marks", "import", marks])
        let duringImport = try VerifyDuringWriteTests.verifyWhile(t, importer)
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0, "\(String(decoding: importErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        #expect(duringImport >= 1, "no verify ran while the import was writing")

        t.now = "2025-09-01T08:00:00.000Z"
        let (disposal, _, disposalErrors) = try t.start(["retention", "dispose", "--before", "2019-01-01"])
        let duringDisposal = try VerifyDuringWriteTests.verifyWhile(t, disposal)
        disposal.waitUntilExit()
        #expect(disposal.terminationStatus == 0, "\(String(decoding: disposalErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        #expect(duringDisposal >= 1, "no verify ran while the disposal was writing")
        // The disposal happened, and afterwards both verifiers (and the independent one) pass.
        let stubs = try String(contentsOfFile: t.ledger + "/segments/000001.jsonl", encoding: .utf8).components(separatedBy: "\"disposed\":").count - 1
        #expect(stubs > 20_000)
        let (swift, python) = try t.verifyBoth()
        #expect(swift == .verifies && python == .verifies)
    }

    @Test func bytesAfterTheCheckpointWhileTheLockIsHeldAreAWriteInProgress() throws {
        let t = try TestLedger()
        try t.standardSchool()
        // A writer mid-append: bytes after the checkpoint while another process holds the lock.
        let segment = try FileHandle(forWritingTo: URL(fileURLWithPath: t.ledger + "/segments/000001.jsonl"))
        try segment.seekToEnd()
        try segment.write(contentsOf: Data("{\"seq\":9,\"at\":\"2025-09-01T08:00:01.000Z\",\"prev\":\"".utf8))
        try segment.close()
        // Hold the writer's lock in this process, as a writer does (flock on DIR/lock).
        let fd = open(t.ledger + "/lock", O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        for tool in ["rollbook", "rollbook-replay"] {
            let r = try t.run(tool, ["verify"])
            #expect(r.status == 0, "\(tool): \(r.stdout)")
            #expect(r.stdout.contains("write is in progress"))
        }
        let register = try t.run("rollbook-replay", ["register", "--date", "2025-09-03"])
        #expect(register.status == 0 && register.stderr.contains("write is in progress") && !register.stderr.contains("warning"))
        flock(fd, LOCK_UN)
        // Without a writer, the same bytes are an interrupted write: verification fails.
        let r = try t.run("rollbook", ["verify"])
        #expect(r.status == 1 && r.stdout.contains("seq 9"))
    }
}
