import Foundation
import RollbookLog
import RollbookTestSupport
import Testing

/// `rollbook-replay prove` and `tools/verify_ledger.py --evidence` (PRODUCT.md section 12).
struct EvidencePackTests {
    static let pupil = TestUPN.number(1)
    static let others = (2...6).map { TestUPN.number($0) }
    static let otherNames = ["Noah", "Smith", "Olivia", "Jones", "Leo", "Taylor", "Isla", "Brown", "Oscar", "Wilson"]

    /// The standard school with a week of marks, notifications sent for everyone, an amendment, two
    /// interventions (one about another pupil) and the pupil's leaving, and its notification.
    static func school() throws -> TestLedger {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-12T16:00:00.000Z"
        try t.markEverySession(days: TestLedger.weekdays("2025-09-03", "2025-09-09"), upns: [pupil] + others.dropLast()) { upn, day, session in
            upn == pupil && day == "2025-09-04" && session == "AM" ? "O" : nil
        }
        try t.ok(["export", "returns", "--to", "2025-09-10", "--mark-sent"])
        try t.ok(["amend", "--upn", pupil, "--date", "2025-09-04", "--session", "AM", "--code", "I", "--reason", "Parent phoned: ill"])
        try t.ok(["intervene", "--upn", pupil, "--action", "letter", "--date", "2025-09-11", "--note", "first letter"])
        try t.ok(["intervene", "--upn", others[0], "--action", "welfare-call", "--date", "2025-09-11"])
        try t.ok(["pupils", "leave", "--upn", pupil, "--on", "2025-09-12", "--ground", "moved to another school"])
        try t.ok(["export", "returns", "--to", "2025-09-12", "--mark-sent"])
        return t
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func python(_ t: TestLedger, _ arguments: [String]) throws -> TestLedger.Result {
        try t.runExternal("/usr/bin/env", ["python3", TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path] + arguments)
    }

    static func logLines(_ t: TestLedger) throws -> [String] {
        let dir = t.ledger + "/segments"
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl") }.sorted()
            .map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }.joined()
            .split(separator: "\n").map(String.init)
    }

    static func write(_ pack: [String: Any], _ t: TestLedger, _ name: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: pack)
        return try t.file(name, String(decoding: data, as: UTF8.self))
    }

    @Test func aPupilsPackHoldsEveryLineAboutThemAloneAndThePythonVerifierAcceptsIt() throws {
        let t = try Self.school()
        let text = try t.ok(["prove", "--upn", Self.pupil], tool: "rollbook-replay")
        let pack = try Self.json(text)
        let entries = try #require(pack["entries"] as? [[String: Any]])
        // Independently: the lines naming the pupil and no other pupil.
        let expected = try Self.logLines(t).enumerated().filter { _, line in
            line.contains(Self.pupil) && !Self.others.contains { line.contains($0) }
        }.map { $0.offset + 1 }
        #expect(entries.map { $0["seq"] as? Int } == expected)
        let types = entries.compactMap { ($0["line"] as? String).flatMap { try? Self.json($0)["type"] as? String } }
        #expect(types.filter { $0 == "mark.recorded" }.count == 10)
        for type in ["pupil.admitted", "mark.amended", "intervention.recorded", "pupil.deleted", "returns.sent"] {
            #expect(types.contains(type), "the pack holds the \(type) line")
        }
        // The admission notification sent for every pupil at once names others: it is left out.
        let shared = try Self.logLines(t).filter { $0.contains(#""type":"returns.sent""#) && $0.contains(Self.others[0]) }
        #expect(!shared.isEmpty)
        for other in Self.others { #expect(!text.contains(other), "no other pupil's UPN") }
        for name in Self.otherNames { #expect(!text.contains(name), "no other pupil's name") }

        let checkpoint = try #require(pack["checkpoint"] as? String)
        #expect(checkpoint == (try t.ok(["digest"])), "the pack's checkpoint is the digest of the log now")
        let path = try Self.write(pack, t, "pack.json")
        let ok = try Self.python(t, ["--evidence", path])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("\(entries.count) entries"))
        let digest = try t.file("digest.txt", checkpoint)
        #expect(try Self.python(t, ["--evidence", path, "--digest", digest]).status == 0)

        // --from/--to limit the dated entries; the admission and leaving stay.
        let week = try Self.json(try t.ok(["prove", "--upn", Self.pupil, "--from", "2025-09-04", "--to", "2025-09-04"], tool: "rollbook-replay"))
        let weekTypes = (week["entries"] as? [[String: Any]] ?? []).compactMap { ($0["line"] as? String).flatMap { try? Self.json($0)["type"] as? String } }
        #expect(weekTypes.filter { $0 == "mark.recorded" }.count == 2)
        #expect(weekTypes.contains("mark.amended") && weekTypes.contains("pupil.admitted") && weekTypes.contains("pupil.deleted"))
        #expect(!weekTypes.contains("intervention.recorded"))
    }

    @Test func aChangedByteARemovedNodeOrAnotherSchoolsDigestFails() throws {
        let t = try Self.school()
        let pack = try Self.json(try t.ok(["prove", "--upn", Self.pupil], tool: "rollbook-replay"))
        let entries = try #require(pack["entries"] as? [[String: Any]])
        for index in entries.indices {
            // A changed byte somewhere in each entry's line (cycling through positions).
            var changed = pack
            var altered = entries
            var bytes = Array((try #require(altered[index]["line"] as? String)).utf8)
            let position = (index * 37) % bytes.count
            bytes[position] = bytes[position] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
            altered[index]["line"] = String(decoding: bytes, as: UTF8.self)
            changed["entries"] = altered
            let r = try Self.python(t, ["--evidence", try Self.write(changed, t, "changed-\(index).json")])
            #expect(r.status == 1, "a changed byte at \(position) in entry \(index) was accepted")
        }
        var removed = pack
        var altered = entries
        var proof = try #require(altered[0]["proof"] as? [String])
        proof.remove(at: proof.count / 2)
        altered[0]["proof"] = proof
        removed["entries"] = altered
        #expect(try Self.python(t, ["--evidence", try Self.write(removed, t, "removed.json")]).status == 1)

        let other = try TestLedger()
        try other.ok(["init", "--urn", "654321", "--name", "Other School", "--la", "938", "--estab", "2002"])
        let otherDigest = try t.file("other.txt", try other.ok(["digest"]))
        let path = try Self.write(pack, t, "pack.json")
        let r = try Self.python(t, ["--evidence", path, "--digest", otherDigest])
        #expect(r.status == 1)
        #expect(r.stdout.contains("rollbook/654321"))
        #expect(try Self.python(t, ["--evidence", path]).status == 0, "the unaltered pack still verifies")
    }

    @Test func proveRefusesAPupilWithNoLinesAndBadOptionsAndWritesNothing() throws {
        let t = try Self.school()
        let before = try t.snapshot()
        let none = try t.run("rollbook-replay", ["prove", "--upn", TestUPN.number(9)])
        #expect(none.status == 1)
        #expect(!none.stderr.contains(TestUPN.number(9)), "the refusal does not echo the UPN")
        #expect(try t.run("rollbook-replay", ["prove"]).status == 64)
        #expect(try t.run("rollbook-replay", ["prove", "--upn", "nonsense"]).status == 64)
        #expect(try t.run("rollbook-replay", ["prove", "--upn", Self.pupil, "--from", "2025-09-10", "--to", "2025-09-01"]).status == 64)
        #expect(try t.snapshot() == before, "the replay tool wrote nothing")
    }
}
