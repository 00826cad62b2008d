import Foundation
import Testing

/// Ledger files are created 0600 and directories 0700, even under a permissive umask.
@Suite("Permissions")
struct PermissionsTests {
    @Test("files 0600 and directories 0700 when created, under umask 000 and 022", arguments: ["000", "022"])
    func modes(_ umask: String) throws {
        let t = try TestLedger()
        let rollbook = TestLedger.binaries.appendingPathComponent("rollbook").path
        let script = """
            umask \(umask)
            export ROLLBOOK_LEDGER="$1" ROLLBOOK_AUTHOR="Sam Patel" ROLLBOOK_POSITION="Attendance Officer" ROLLBOOK_NOW=2025-09-01T08:00:00.000Z
            "$2" init --urn 123456 --name "Test School" --la 938 --estab 2001 &&
            "$2" calendar term --name "Autumn 1" --from 2025-09-03 --to 2025-10-24
            """
        let r = try t.runExternal("/bin/sh", ["-c", script, "sh", t.ledger, rollbook])
        #expect(r.status == 0, "\(r.stderr)")
        func mode(_ relative: String) throws -> Int {
            let path = relative.isEmpty ? t.ledger : t.ledger + "/" + relative
            return (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        #expect(try mode("") == 0o700)
        #expect(try mode("segments") == 0o700)
        #expect(try mode("segments/000001.jsonl") == 0o600)
        #expect(try mode("checkpoint") == 0o600)
        #expect(try mode("lock") == 0o600)
        // stat agrees (the brief's check).
        let stat = try t.runExternal("/usr/bin/env", ["stat", "-c", "%a %n", t.ledger, t.ledger + "/segments", t.ledger + "/checkpoint",
                                                      t.ledger + "/lock", t.ledger + "/segments/000001.jsonl"])
        #expect(stat.stdout.split(separator: "\n").map { $0.prefix(3) } == ["700", "700", "600", "600", "600"], "\(stat.stdout)")
    }
}
