import Foundation
import RollbookTestSupport
import Testing

/// A failed write or fsync, injected through the storage layer (`ROLLBOOK_FAULT`): the command stops
/// with a clear error and a non-zero exit, acknowledges nothing, and the next command re-verifies the
/// log and cuts whatever the failed write left behind.
@Suite("Write failures (end to end)")
struct WriteFailureTests {
    struct Fault: CustomStringConvertible, Sendable {
        var value: String
        var message: String
        /// The failure came after the checkpoint was renamed: the batch is committed though not acknowledged.
        var committed = false
        var description: String { value }
    }

    static let faults: [Fault] = [
        Fault(value: "write-segment", message: "Could not write segment"),
        Fault(value: "write-segment:1", message: "Could not write segment"),
        Fault(value: "write-segment:200", message: "Could not write segment"),
        Fault(value: "fsync-segment", message: "Could not fsync segment"),
        Fault(value: "write-checkpoint", message: "Could not write checkpoint"),
        Fault(value: "fsync-checkpoint", message: "Could not fsync checkpoint"),
        Fault(value: "rename-checkpoint", message: "Could not rename checkpoint"),
        Fault(value: "fsync-directory", message: "Could not fsync directory", committed: true),
    ]

    @Test("a failed mark stops with a clear error; the next write recovers", arguments: faults)
    func failedMark(_ fault: Fault) throws {
        let t = try TestLedger()
        try t.standardSchool()
        let before = try t.events().count
        let checkpointBefore = try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/checkpoint"))
        let r = try t.run("rollbook", ["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"],
                          environment: ["ROLLBOOK_FAULT": fault.value])
        #expect(r.status == 1)
        #expect(r.stderr.contains(fault.message) && r.stderr.contains("input/output error"), "\(r.stderr)")
        #expect(!r.stdout.contains("Recorded"), "nothing is acknowledged")
        t.expectNoPersonalData(r, fault.value)
        if !fault.committed {
            #expect(try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/checkpoint")) == checkpointBefore, "the old checkpoint stays")
        }
        // Readers see exactly the committed events; the fault's batch only if its checkpoint was renamed into place.
        #expect(try t.events().count == before + (fault.committed ? 1 : 0))
        let leftover = try t.verifyBoth()
        #expect(leftover.swift == leftover.python)
        if !leftover.swift.ok { #expect(leftover.swift == .fails(at: before + 1)) }

        // The next write re-verifies, cuts any uncommitted bytes (saying so), and appends.
        let next = try t.run("rollbook", ["mark", "--upn", "M123456789002", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("recovered from an interrupted write") == !leftover.swift.ok, "\(next.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        let marks = try t.markKeys()
        #expect(marks.contains("Y123456789001 2025-09-03 AM /") == fault.committed)
        #expect(marks.contains("M123456789002 2025-09-03 AM /"))
    }

    @Test("a failed batch import writes nothing that survives: all or nothing", arguments: ["write-segment:700", "fsync-segment", "rename-checkpoint"])
    func failedImport(_ fault: String) throws {
        let t = try TestLedger()
        try t.standardSchool()
        let before = try t.events().count
        var csv = "upn,date,session,code\n"
        for day in standardSchoolDays.prefix(4) { for i in 1...5 { csv += "\(TestUPN.number(i)),\(day),AM,/\n" } }
        let file = try t.file("marks.csv", csv)
        let r = try t.run("rollbook", ["marks", "import", file], environment: ["ROLLBOOK_FAULT": fault])
        #expect(r.status == 1)
        #expect(!r.stdout.contains("Recorded"))
        #expect(try t.events().count == before)
        let again = try t.run("rollbook", ["marks", "import", file])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("recovered from an interrupted write"), "\(again.stderr)")
        #expect(try t.markKeys().count == 20, "the retried batch is there once, complete")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
    }

    @Test("a failed first write (init) can be retried")
    func failedInit() throws {
        let t = try TestLedger()
        let arguments = ["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"]
        let r = try t.run("rollbook", arguments, environment: ["ROLLBOOK_FAULT": "write-segment:40"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Could not write segment"))
        let again = try t.run("rollbook", arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("cut off 40 bytes"), "\(again.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        #expect(try t.events().count == 1)
    }
}
