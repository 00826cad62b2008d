import Foundation
import RollbookLog
import RollbookTestSupport
import Testing

/// Digests that prove growth: `rollbook digest`, `verify --digest`, `rollbook-replay consistency`
/// (PRODUCT.md section 12), before and after a retention disposal.
struct ConsistencyProofTests {
    static func digestParts(_ text: String) throws -> (count: Int, root: SHA256Digest, head: String) {
        let lines = text.split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        #expect(lines[0] == "rollbook/123456")
        let count = try #require(Int(lines[1]))
        let rootBytes = try #require(Data(base64Encoded: lines[2]))
        let root = try #require(SHA256Digest(hex: rootBytes.map { String(format: "%02x", $0) }.joined()))
        #expect(lines[3].hasPrefix("chain "))
        return (count, root, String(lines[3].dropFirst(6)))
    }

    /// Runs `consistency --from digest --format json` and checks the proof with the RFC 9162 algorithm.
    static func proven(_ t: TestLedger, from digest: String, to later: String) throws -> Bool {
        let old = try digestParts(try String(contentsOfFile: digest, encoding: .utf8))
        let new = try digestParts(later)
        let r = try t.run("rollbook-replay", ["consistency", "--from", digest, "--format", "json"])
        guard r.status == 0 else { return false }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["old_size"] as? Int == old.count)
        #expect(json["new_size"] as? Int == new.count)
        #expect(json["old_root"] as? String == old.root.hex)
        #expect(json["new_root"] as? String == new.root.hex)
        let proof = try #require(json["proof"] as? [String]).compactMap { SHA256Digest(hex: $0) }
        return MerkleTree.verifyConsistency(oldSize: old.count, newSize: new.count, oldRoot: old.root, newRoot: new.root, proof: proof)
    }

    @Test func digestsTakenAtThreeMomentsEachProvenToExtendEachEarlierOne() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let upns = (1...5).map { TestUPN.number($0) }
        var digests: [String] = []
        for (index, week) in [("2025-09-03", "2025-09-05"), ("2025-09-08", "2025-09-12"), ("2025-09-15", "2025-09-19")].enumerated() {
            t.now = "\(week.1)T16:00:00.000Z"
            try t.markEverySession(days: TestLedger.weekdays(week.0, week.1), upns: upns) { _, _, _ in nil }
            let text = try t.ok(["digest"])
            #expect(try Self.digestParts(text).count > (digests.last.map { try Self.digestParts(String(contentsOfFile: $0, encoding: .utf8)).count } ?? 0))
            digests.append(try t.file("digest-\(index).txt", text))
            for earlier in digests {
                #expect(try Self.proven(t, from: earlier, to: text), "\(earlier) is extended by digest \(index)")
                #expect(try t.verifyBoth(digest: earlier) == (VerifyOutcome.verifies, VerifyOutcome.verifies))
            }
        }
        // The earlier three-line digest is still read.
        let old = try Self.digestParts(try String(contentsOfFile: digests[0], encoding: .utf8))
        let legacy = try t.file("legacy.txt", "rollbook/123456\n\(old.count)\n\(old.head)\n")
        #expect(try t.verifyBoth(digest: legacy) == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        let r = try t.run("rollbook-replay", ["consistency", "--from", legacy])
        #expect(r.status == 0)
        #expect(r.stdout.contains("grew from \(old.count) to"))
    }

    @Test func aRechainedRewriteBetweenTwoDigestsIsRefused() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let upns = (1...5).map { TestUPN.number($0) }
        t.now = "2025-09-05T16:00:00.000Z"
        try t.markEverySession(days: TestLedger.weekdays("2025-09-03", "2025-09-05"), upns: upns) { _, _, _ in nil }
        let first = try t.file("first.txt", try t.ok(["digest"]))
        let firstCount = try Self.digestParts(try String(contentsOfFile: first, encoding: .utf8)).count
        t.now = "2025-09-12T16:00:00.000Z"
        try t.markEverySession(days: TestLedger.weekdays("2025-09-08", "2025-09-12"), upns: upns) { _, _, _ in nil }
        let second = try t.file("second.txt", try t.ok(["digest"]))
        let pack = try t.file("pack.json", try t.ok(["prove", "--upn", upns[0], "--digest", second], tool: "rollbook-replay"))
        t.now = "2025-09-19T16:00:00.000Z"
        try t.markEverySession(days: TestLedger.weekdays("2025-09-15", "2025-09-19"), upns: upns) { _, _, _ in nil }

        // Rewrite a present mark made between the two digests as N, and re-chain everything after it.
        let segment = t.ledger + "/segments/000001.jsonl"
        var lines = try String(contentsOfFile: segment, encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
        let target = try #require((firstCount..<lines.count).first { String(decoding: lines[$0], as: UTF8.self).contains(#""code":"/""#) })
        let original = String(decoding: lines[target], as: UTF8.self)
        #expect(original.contains(#""code":"/""#))
        lines[target] = Array(original.replacingOccurrences(of: #""code":"/""#, with: #""code":"N""#).utf8)
        var prev = SHA256.hash(lines[target])
        for i in (target + 1)..<lines.count {
            var line = String(decoding: lines[i], as: UTF8.self)
            let start = try #require(line.range(of: #""prev":""#)).upperBound
            line.replaceSubrange(start..<line.index(start, offsetBy: 64), with: prev.hex)
            lines[i] = Array(line.utf8)
            prev = SHA256.hash(lines[i])
        }
        let bytes = lines.flatMap { $0 + [UInt8(0x0A)] }
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let checkpoint = Checkpoint(label: "rollbook/123456", count: lines.count, head: prev, segment: 1, offset: bytes.count)
        try Data(checkpoint.fileBytes).write(to: URL(fileURLWithPath: t.ledger + "/checkpoint"))

        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies), "the chain alone cannot see it")
        // The first digest is still extended (nothing at or before it changed) ...
        #expect(try Self.proven(t, from: first, to: try t.ok(["digest"])))
        // ... but the second is not: consistency, verify, and a pack against it all refuse.
        let refused = try t.run("rollbook-replay", ["consistency", "--from", second])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("does not extend the digest"))
        let secondCount = try Self.digestParts(try String(contentsOfFile: second, encoding: .utf8)).count
        let outcome = try t.verifyBoth(digest: second)
        #expect(outcome.swift == .fails(at: secondCount))
        #expect(outcome.python == .fails(at: secondCount))
        #expect(try t.run("rollbook-replay", ["prove", "--upn", upns[0], "--digest", second]).status == 1)
        // A pack made from the rewritten log, checked against the second digest with a forged proof.
        let forged = try t.file("forged.json", try t.ok(["prove", "--upn", upns[0], "--digest", first], tool: "rollbook-replay"))
        let py = try t.runExternal("/usr/bin/env", ["python3", TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path,
                                                    "--evidence", forged, "--digest", second])
        #expect(py.status == 1)
        // The pack made before the rewrite still proves its lines against the second digest.
        let before = try t.runExternal("/usr/bin/env", ["python3", TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path,
                                                        "--evidence", pack, "--digest", second])
        #expect(before.status == 0, "\(before.stdout)")
    }

    @Test func afterARetentionDisposalPacksAndConsistencyProofsStayValid() throws {
        let t = try TestLedger()
        t.now = "2025-09-01T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Retention School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 2019", "--from", "2019-09-02", "--to", "2019-12-20"])
        try t.ok(["calendar", "term", "--name", "Autumn 1 2025", "--from", "2025-09-03", "--to", "2025-10-24"])
        try t.ok(["pupils", "import", try t.file("p.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            \(TestUPN.number(1)),Amelia,Khan,2012-03-02,7,7A,2019-09-02
            \(TestUPN.number(2)),Noah,Smith,2012-05-11,7,7A,2019-09-02

            """)])
        var rows = ["upn,date,session,code,recorded_at"]
        for day in TestLedger.weekdays("2019-09-02", "2019-09-13") {
            for upn in [TestUPN.number(1), TestUPN.number(2)] {
                rows.append("\(upn),\(day),AM,/,\(day)T08:50:00Z")
                rows.append("\(upn),\(day),PM,\\,\(day)T13:50:00Z")
            }
        }
        try t.ok(["marks", "import", try t.file("history.csv", rows.joined(separator: "\n") + "\n")])
        t.now = "2025-09-10T16:00:00.000Z"
        try t.markEverySession(days: TestLedger.weekdays("2025-09-03", "2025-09-10"), upns: [TestUPN.number(1), TestUPN.number(2)]) { _, _, _ in nil }
        t.now = "2026-03-02T09:00:00.000Z"
        let before = try t.file("before.txt", try t.ok(["digest"]))
        let oldPack = try t.file("old-pack.json", try t.ok(["prove", "--upn", TestUPN.number(1)], tool: "rollbook-replay"))

        try t.ok(["retention", "dispose", "--before", "2020-01-01"])
        let after = try t.ok(["digest"])
        #expect(try Self.proven(t, from: before, to: after), "the disposal changed no leaf, only added its event")
        #expect(try t.verifyBoth(digest: before) == (VerifyOutcome.verifies, VerifyOutcome.verifies))

        let verifier = TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path
        let old = try t.runExternal("/usr/bin/env", ["python3", verifier, "--evidence", oldPack, "--digest", before])
        #expect(old.status == 0, "a pack made before the disposal still verifies: \(old.stdout)")
        let newPackText = try t.ok(["prove", "--upn", TestUPN.number(1), "--digest", before], tool: "rollbook-replay")
        #expect(!newPackText.contains(#"\"date\":\"2019-"#), "the disposed marks are not in the new pack")
        #expect((try String(contentsOfFile: oldPack, encoding: .utf8)).contains(#"\"date\":\"2019-"#), "they were in the old one")
        let newPack = try t.file("new-pack.json", newPackText)
        let fresh = try t.runExternal("/usr/bin/env", ["python3", verifier, "--evidence", newPack, "--digest", before])
        #expect(fresh.status == 0, "a pack made after the disposal verifies against the earlier digest: \(fresh.stdout)")
        let now = try t.file("after.txt", after)
        #expect(try t.runExternal("/usr/bin/env", ["python3", verifier, "--evidence", newPack, "--digest", now]).status == 0)
    }
}
