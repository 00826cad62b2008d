import Foundation
import RollbookTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The lock file removed while a large import holds it, and a second writer started: the second must
/// wait (or be refused), never write beside the first; both acknowledged writes are in the log after.
@Suite("The lock holds when its file is removed")
struct LockRaceTests {
    /// Whether some process holds an exclusive flock on the file at `path` now.
    static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    @Test("a large import running, DIR/lock removed, a second writer started: both writes are kept, both verifiers pass")
    func lockFileRemoved() throws {
        let t = try TestLedger()
        try t.standardSchool()
        // 400 more pupils and a term of their marks: an import that takes a while to check.
        let upns = (1...400).map { TestUPN.forDigits(String(repeating: "0", count: 10 - String($0).count) + String($0) + "00") }
        var pupils = "upn,forename,surname,dob,year_group,group,admitted\n"
        for (i, upn) in upns.enumerated() { pupils += "\(upn),Pupil\(i),Test,2014-01-01,7,7C,2025-09-03\n" }
        try t.ok(["pupils", "import", try t.file("more.csv", pupils)])
        var csv = "upn,date,session,code\n"
        for day in standardSchoolDays.prefix(30) {
            for upn in upns { csv += "\(upn),\(day),AM,/\n\(upn),\(day),PM,\\\n" }
        }
        let file = try t.file("term.csv", csv)

        let (importer, importOut, importErr) = try t.start(["marks", "import", file])
        // Wait until the importer holds the lock, then remove the lock file under it.
        while importer.isRunning && !Self.isLocked(t.ledger + "/lock") { usleep(200) }
        #expect(importer.isRunning, "the import was still running when the lock file was removed")
        #expect(unlink(t.ledger + "/lock") == 0)
        let second = try t.run("rollbook", ["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"],
                               environment: ["ROLLBOOK_LOCK_TIMEOUT": "120"])
        let importStdout = String(decoding: importOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let importStderr = String(decoding: importErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        importer.waitUntilExit()

        #expect(importer.terminationStatus == 0, "\(importStderr)")
        #expect(importStdout.contains("Recorded \(upns.count * 60) mark(s)"), "\(importStdout)")
        let marks = Set(try t.markKeys())
        #expect(marks.count == upns.count * 60 + (second.status == 0 ? 1 : 0), "every acknowledged mark is there once")
        if second.status == 0 {
            #expect(marks.contains("Y123456789001 2025-09-03 AM /"), "the second writer's acknowledged mark is kept")
        } else {
            #expect(second.stderr.contains("gave up waiting for the lock"), "\(second.stderr)")
        }
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
    }
}
