import Foundation
import RollbookLog
import Testing
import RollbookTestSupport

/// Tampering with a real ledger, caught by `rollbook verify` and by tools/verify_ledger.py, both naming
/// the first bad sequence number; a torn last line written by hand is reported and cut off by the next write.
@Suite("Tampering and torn lines (end to end)")
struct TamperingEndToEndTests {
    /// The standard school with two days of registers: 36 events.
    static func school() throws -> TestLedger {
        let t = try TestLedger()
        try t.standardSchool()
        var csv = "upn,date,session,code,minutes_late\n"
        for day in ["2025-09-03", "2025-09-04"] {
            for i in 1...5 {
                csv += "\(TestUPN.number(i)),\(day),AM,\(i == 2 ? "L" : "/"),\(i == 2 ? "7" : "")\n"
                csv += "\(TestUPN.number(i)),\(day),PM,\\,\n"
            }
        }
        t.now = "2025-09-04T16:00:00.000Z"  // after both days' registers
        try t.ok(["marks", "import", try t.file("marks.csv", csv)])
        return t
    }

    static func segment(_ t: TestLedger) -> String { t.ledger + "/segments/000001.jsonl" }

    static func lines(_ t: TestLedger) throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment(t))))
        var out: [[UInt8]] = []
        var current: [UInt8] = []
        for b in bytes {
            current.append(b)
            if b == 0x0A { out.append(current); current = [] }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func write(_ lines: [[UInt8]], _ t: TestLedger) throws {
        try Data(lines.flatMap { $0 }).write(to: URL(fileURLWithPath: segment(t)))
    }

    struct Edit: CustomStringConvertible, Sendable {
        var name: String
        /// The first bad seq, given the number of events.
        var expected: @Sendable (Int) -> Int
        var edit: @Sendable (inout [[UInt8]]) -> Void
        var description: String { name }
    }

    static let edits: [Edit] = [
        Edit(name: "delete the first line", expected: { _ in 1 }) { $0.removeFirst() },
        Edit(name: "delete a middle line", expected: { _ in 12 }) { $0.remove(at: 11) },
        Edit(name: "delete the last line", expected: { $0 }) { $0.removeLast() },
        Edit(name: "duplicate a line", expected: { _ in 8 }) { $0.insert($0[6], at: 7) },
        Edit(name: "swap two lines", expected: { _ in 15 }) { $0.swapAt(14, 15) },
        Edit(name: "truncate in the middle of a line", expected: { _ in 20 }) { lines in
            lines.removeLast(lines.count - 20)
            lines[19].removeLast(30)
        },
        Edit(name: "truncate at a line boundary", expected: { _ in 21 }) { $0.removeLast($0.count - 20) },
        Edit(name: "change one byte of the first line", expected: { _ in 1 }) { $0[0][40] ^= 0x01 },
        Edit(name: "change one byte of a pupil's name", expected: { _ in 3 }) { lines in
            let i = lines[2].firstIndex(of: UInt8(ascii: "K"))!  // "Khan" in the pupils.admitted line
            lines[2][i] = UInt8(ascii: "C")
        },
        Edit(name: "change the prev of a middle line", expected: { _ in 17 }) { $0[16][60] = $0[16][60] == 0x61 ? 0x62 : 0x61 },
        Edit(name: "change one byte of the last line", expected: { $0 }) { lines in
            let n = lines.count - 1
            lines[n][lines[n].count - 3] ^= 0x01
        },
        Edit(name: "change the last newline", expected: { $0 }) { lines in
            let n = lines.count - 1
            lines[n][lines[n].count - 1] = 0x20
        },
        Edit(name: "join two lines (a newline becomes a space)", expected: { _ in 9 }) { lines in
            lines[8][lines[8].count - 1] = 0x20
        },
    ]

    @Test("each edit is caught by both verifiers at the first bad seq, without printing personal data", arguments: edits)
    func edited(_ edit: Edit) throws {
        let t = try Self.school()
        var lines = try Self.lines(t)
        let count = lines.count
        #expect(count == 36)
        edit.edit(&lines)
        try Self.write(lines, t)
        let outcome = try t.verifyBoth()
        #expect(outcome.swift == .fails(at: edit.expected(count)), "rollbook verify")
        #expect(outcome.python == .fails(at: edit.expected(count)), "tools/verify_ledger.py")
        let text = try t.run("rollbook", ["verify"])
        #expect(text.status == 1 && text.stdout.hasPrefix("FAIL seq \(edit.expected(count))"), "\(text.stdout)")
        t.expectNoPersonalData(text, "verify")
        // A damaged ledger is never written to.
        let before = try t.snapshot()
        let write = try t.run("rollbook", ["intervene", "--upn", "Y123456789001", "--action", "letter", "--date", "2025-09-03"])
        #expect(write.status == 1 && write.stderr.contains("Verification failed at seq \(edit.expected(count))"), "\(write.stderr)")
        t.expectNoPersonalData(write, "a write to a damaged ledger")
        #expect(try t.snapshot() == before)
    }

    @Test("seeded single-byte changes through both executables name the line holding the byte")
    func seededByteChanges() throws {
        let t = try Self.school()
        let pristine = try Self.lines(t)
        var rng = SeededGenerator(seed: 2025)
        for _ in 0..<8 {
            var lines = pristine
            let line = Int.random(in: 0..<lines.count, using: &rng)
            let offset = Int.random(in: 0..<lines[line].count, using: &rng)
            var byte = UInt8.random(in: 0...255, using: &rng)
            if byte == lines[line][offset] { byte ^= 0x80 }
            lines[line][offset] = byte
            try Self.write(lines, t)
            let outcome = try t.verifyBoth()
            #expect(outcome.swift == .fails(at: line + 1), "line \(line + 1) offset \(offset)")
            #expect(outcome.python == .fails(at: line + 1), "line \(line + 1) offset \(offset)")
        }
    }

    @Test("a consistently re-chained rewrite is caught against an earlier digest")
    func rechainedAgainstDigest() throws {
        let t = try Self.school()
        let digest = try t.file("digest.txt", try t.ok(["digest"]))
        #expect(try t.verifyBoth(digest: digest) == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        t.now = "2025-09-05T08:00:00.000Z"
        try t.ok(["intervene", "--upn", "Y123456789001", "--action", "letter", "--date", "2025-09-03"])
        // Rewrite the first present mark (/) as N, then re-chain every later line and the checkpoint.
        var lines = try Self.lines(t).map { Array($0.dropLast()) }
        let target = try #require(lines.firstIndex { String(decoding: $0, as: UTF8.self).contains(#""code":"/""#) })
        #expect(target < 36)
        lines[target] = Array(String(decoding: lines[target], as: UTF8.self).replacingOccurrences(of: #""code":"/""#, with: #""code":"N""#).utf8)
        var prev = SHA256.hash(lines[target])
        for i in (target + 1)..<lines.count {
            var line = String(decoding: lines[i], as: UTF8.self)
            let start = line.range(of: #""prev":""#)!.upperBound
            line.replaceSubrange(start..<line.index(start, offsetBy: 64), with: prev.hex)
            lines[i] = Array(line.utf8)
            prev = SHA256.hash(lines[i])
        }
        let bytes = lines.flatMap { $0 + [UInt8(0x0A)] }
        try Data(bytes).write(to: URL(fileURLWithPath: Self.segment(t)))
        let checkpoint = Checkpoint(label: "rollbook/123456", count: lines.count, head: prev, segment: 1, offset: bytes.count)
        try Data(checkpoint.fileBytes).write(to: URL(fileURLWithPath: t.ledger + "/checkpoint"))

        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies), "the chain alone cannot see it")
        let outcome = try t.verifyBoth(digest: digest)
        #expect(outcome.swift == .fails(at: 36))
        #expect(outcome.python == .fails(at: 36))
    }

    @Test("a torn last line written by hand is reported, readers ignore it, and the next write cuts it off")
    func tornLineByHand() throws {
        let t = try Self.school()
        let committed = try Data(contentsOf: URL(fileURLWithPath: Self.segment(t)))
        let half = Data(#"{"seq":37,"at":"2025-09-01T08:00:00.000Z","prev":"5d41402abc4b2a76b9719d911017c592","type":"mark.rec"#.utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: Self.segment(t)))
        try handle.seekToEnd()
        try handle.write(contentsOf: half)
        try handle.close()

        #expect(try t.verifyBoth() == (VerifyOutcome.fails(at: 37), VerifyOutcome.fails(at: 37)))
        let verify = try t.run("rollbook", ["verify"])
        #expect(verify.stdout.contains("\(half.count) bytes follow the last committed event"), "\(verify.stdout)")
        #expect(verify.stdout.contains("the next write will cut them off"))
        let register = try t.run("rollbook", ["register", "--date", "2025-09-03", "--session", "AM"])
        #expect(register.status == 0, "a reader ignores the torn line: \(register.stderr)")
        #expect(try t.events().count == 36)

        t.now = "2025-09-10T12:00:00.000Z"
        let next = try t.run("rollbook", ["mark", "--upn", "U123456789006", "--date", "2025-09-10", "--session", "AM", "--code", "/"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("warning: recovered from an interrupted write: cut off \(half.count) bytes after seq 36"), "\(next.stderr)")
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        let after = try Data(contentsOf: URL(fileURLWithPath: Self.segment(t)))
        #expect(after.prefix(committed.count) == committed, "every earlier event is intact, byte for byte")
        #expect(try t.events().map(\.seq) == Array(1...37))
    }
}
