import Foundation
import RollbookLog
import Testing

/// One shared table of hostile ledgers, each run through `rollbook verify`, `rollbook-replay verify` and
/// `tools/verify_ledger.py`: the three give the same verdict, the same first bad seq and the same
/// flagged disposals, and that verdict is the one the table expects.
struct VerifierAgreementTests {
    /// The lines of a single-segment ledger, to edit at the byte level and write back with a checkpoint.
    struct LogBytes {
        var lines: [[UInt8]]
        var label: String

        init(_ t: TestLedger) throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: t.ledger + "/segments/000001.jsonl"))
            lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
            if lines.last?.isEmpty == true { lines.removeLast() }
            let checkpoint = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.ledger + "/checkpoint")))
            label = (checkpoint as? [String: Any])?["label"] as? String ?? ""
        }

        static func text(_ line: [UInt8]) -> String { String(decoding: line, as: UTF8.self) }

        /// The chain hash of a line: a stub's `disposed` value, else the SHA-256 of its bytes.
        static func chainHash(_ line: [UInt8]) -> String {
            let s = text(line)
            if s.hasPrefix("{\"seq\":"), !s.contains("\"at\":"), let range = s.range(of: "\"disposed\":\"") {
                return String(s[range.upperBound...].prefix(64))
            }
            return SHA256.hash(line).hex
        }

        /// The line with its `prev` replaced.
        static func settingPrev(_ line: [UInt8], _ prev: String) -> [UInt8] {
            var s = text(line)
            guard let range = s.range(of: "\"prev\":\"") else { return line }
            let end = s.index(range.upperBound, offsetBy: 64)
            s.replaceSubrange(range.upperBound..<end, with: prev)
            return Array(s.utf8)
        }

        /// Recomputes every `prev` after line `index` (0-based): a consistent rewrite of history.
        mutating func rechain(after index: Int) {
            guard index + 1 < lines.count else { return }
            for i in (index + 1)..<lines.count { lines[i] = LogBytes.settingPrev(lines[i], LogBytes.chainHash(lines[i - 1])) }
        }

        /// Replaces line `seq`'s text `old` by `new`, then rechains.
        mutating func edit(seq: Int, _ old: String, _ new: String) {
            lines[seq - 1] = Array(LogBytes.text(lines[seq - 1]).replacingOccurrences(of: old, with: new).utf8)
            rechain(after: seq - 1)
        }

        /// Appends an event line with the given body members (after `type`), at `at`.
        mutating func append(at: String, _ members: String) {
            let prev = lines.last.map(LogBytes.chainHash) ?? String(repeating: "0", count: 64)
            lines.append(Array("{\"seq\":\(lines.count + 1),\"at\":\"\(at)\",\"prev\":\"\(prev)\",\(members)}".utf8))
        }

        /// Replaces line `seq` by a disposal stub.
        mutating func stub(seq: Int) {
            let s = LogBytes.text(lines[seq - 1])
            let prev = String(s[s.range(of: "\"prev\":\"")!.upperBound...].prefix(64))
            lines[seq - 1] = Array("{\"seq\":\(seq),\"prev\":\"\(prev)\",\"disposed\":\"\(SHA256.hash(lines[seq - 1]).hex)\"}".utf8)
        }

        /// The segment and a checkpoint that commits every line (or `count` given as JSON text).
        func write(_ t: TestLedger, count: String? = nil, label: String? = nil, extra: [UInt8] = []) throws {
            var segment: [UInt8] = []
            for line in lines { segment += line + [0x0A] }
            try Data(segment + extra).write(to: URL(fileURLWithPath: t.ledger + "/segments/000001.jsonl"))
            let head = lines.last.map(LogBytes.chainHash) ?? String(repeating: "0", count: 64)
            let checkpoint = "{\"label\":\"\(label ?? self.label)\",\"count\":\(count ?? String(lines.count)),\"head\":\"\(head)\",\"segment\":1,\"offset\":\(segment.count)}\n"
            try Data(checkpoint.utf8).write(to: URL(fileURLWithPath: t.ledger + "/checkpoint"))
        }

        /// The 1-based seq of the first line containing `text`.
        func seq(of text: String) -> Int {
            (lines.firstIndex { LogBytes.text($0).contains(text) } ?? -1) + 1
        }
    }

    /// The author members every appended event carries.
    static let by = "\"v\":1,\"author\":\"Sam Patel\",\"position\":\"Attendance Officer\""

    /// One hostile ledger: a name, how to make it from the base, and the verdict expected of all three.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var expected: VerifyOutcome
        /// The first stub flagged by a disposal-plausibility warning, if one is expected.
        var flagged: Int?
        var make: @Sendable (TestLedger, inout LogBytes) throws -> Void
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the intact base", expected: .verifies) { t, log in try log.write(t) },
        Case(name: "a lone \\ud800 escape in a consistently rechained line", expected: .fails(at: 4)) { t, log in
            log.edit(seq: 4, "\"Sam Patel\"", "\"Sam \\ud800\"")
            try log.write(t)
        },
        Case(name: "a surrogate pair is a character", expected: .verifies) { t, log in
            log.edit(seq: 4, "\"Sam Patel\"", "\"Sam \\ud83d\\ude00\"")
            try log.write(t)
        },
        Case(name: "a checkpoint count of 10^30", expected: .fails(at: 13)) { t, log in
            try log.write(t, count: "1" + String(repeating: "0", count: 30))
        },
        Case(name: "a segment gap", expected: .fails(at: 13)) { t, log in
            try log.write(t)
            try Data(LogBytes.text(log.lines[0]).utf8 + [0x0A]).write(to: URL(fileURLWithPath: t.ledger + "/segments/000003.jsonl"))
        },
        Case(name: "the checkpoint label changed to another URN", expected: .fails(at: 1)) { t, log in
            try log.write(t, label: "rollbook/654321")
        },
        Case(name: "the URN in ledger.opened changed, rechained", expected: .fails(at: 1)) { t, log in
            log.edit(seq: 1, "\"urn\":\"123456\"", "\"urn\":\"654321\"")
            try log.write(t)
        },
        Case(name: "a second mark.recorded for a marked session", expected: .fails(at: 13)) { t, log in
            log.append(at: "2025-09-04T10:00:00.000Z", "\"type\":\"mark.recorded\",\(by),\"upn\":\"Y123456789001\",\"date\":\"2025-09-03\",\"session\":\"AM\",\"code\":\"G\"")
            try log.write(t)
        },
        Case(name: "a mark.recorded for a session whose mark was amended", expected: .fails(at: 13)) { t, log in
            log.append(at: "2025-09-04T10:00:00.000Z", "\"type\":\"mark.recorded\",\(by),\"upn\":\"M123456789002\",\"date\":\"2025-09-03\",\"session\":\"AM\",\"code\":\"G\"")
            try log.write(t)
        },
        Case(name: "a mark for another session is fine", expected: .verifies) { t, log in
            log.append(at: "2025-09-04T10:00:00.000Z", "\"type\":\"mark.recorded\",\(by),\"upn\":\"Y123456789001\",\"date\":\"2025-09-04\",\"session\":\"AM\",\"code\":\"/\"")
            try log.write(t)
        },
        Case(name: "a forged stub with a disposal too soon", expected: .fails(at: 13)) { t, log in
            let amendment = log.seq(of: "mark.amended")
            log.stub(seq: amendment)
            log.rechain(after: amendment - 1)
            log.append(at: "2025-09-05T10:00:00.000Z", "\"type\":\"retention.disposed\",\(by),\"before\":\"2025-09-05\",\"ranges\":[{\"first_seq\":\(amendment),\"last_seq\":\(amendment)}],\"count\":1,\"seal\":\"\(String(repeating: "a", count: 64))\"")
            try log.write(t)
        },
        Case(name: "a forged stub with a disposal six years back", expected: .verifies, flagged: 12) { t, log in
            let amendment = log.seq(of: "mark.amended")
            log.stub(seq: amendment)
            log.rechain(after: amendment - 1)
            log.append(at: "2025-09-05T10:00:00.000Z", "\"type\":\"retention.disposed\",\(by),\"before\":\"2019-09-05\",\"ranges\":[{\"first_seq\":\(amendment),\"last_seq\":\(amendment)}],\"count\":1,\"seal\":\"\(String(repeating: "a", count: 64))\"")
            try log.write(t)
        },
        Case(name: "a stub no disposal covers", expected: .fails(at: 8)) { t, log in
            log.stub(seq: 8)
            try log.write(t)
        },
        Case(name: "two lines swapped", expected: .fails(at: 5)) { t, log in
            log.lines.swapAt(4, 5)
            try log.write(t)
        },
        Case(name: "a changed byte mid-log", expected: .fails(at: 5)) { t, log in
            log.lines[4] = Array(LogBytes.text(log.lines[4]).replacingOccurrences(of: "7A", with: "7C").utf8)
            try log.write(t)
        },
        Case(name: "the last line removed", expected: .fails(at: 12)) { t, log in
            try log.write(t)
            log.lines.removeLast()
            var segment: [UInt8] = []
            for line in log.lines { segment += line + [0x0A] }
            try Data(segment).write(to: URL(fileURLWithPath: t.ledger + "/segments/000001.jsonl"))
        },
        Case(name: "bytes after the checkpoint, no writer", expected: .fails(at: 13)) { t, log in
            try log.write(t, extra: Array("{\"seq\":13,\"at\":\"2025-09-05T10:00:00.000Z\"\n".utf8))
        },
        Case(name: "a line deleted mid-log", expected: .fails(at: 4)) { t, log in
            log.lines.remove(at: 3)
            try log.write(t)
        },
    ]

    /// The base: the standard school, two pupils marked, one mark amended (12 lines, one segment).
    static func base() throws -> TestLedger {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-03T10:00:00.000Z"
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        try t.ok(["mark", "--upn", "M123456789002", "--date", "2025-09-03", "--session", "AM", "--code", "N"])
        try t.ok(["mark", "--upn", "B123456789003", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        try t.ok(["amend", "--upn", "M123456789002", "--date", "2025-09-03", "--session", "AM", "--code", "I", "--reason", "Parent rang"])
        t.now = "2025-09-06T10:00:00.000Z"
        return t
    }

    @Test(arguments: cases)
    func allThreeVerifiersAgree(_ hostile: Case) throws {
        let t = try VerifierAgreementTests.base()
        var log = try LogBytes(t)
        #expect(log.lines.count == 12)
        try hostile.make(t, &log)
        let (swift, python) = try t.verifyBoth()
        let replay = try t.run("rollbook-replay", ["verify", "--format", "json"])
        let replayOutcome = VerifyOutcome(json: replay.stdout, status: replay.status)
        #expect(swift == hostile.expected, "rollbook verify: \(swift)")
        #expect(python == hostile.expected, "verify_ledger.py: \(python)")
        #expect(replayOutcome == hostile.expected, "rollbook-replay verify: \(replayOutcome)")
        #expect(try warnings(t, python: false) == hostile.flagged.map { [$0] } ?? [])
        #expect(try warnings(t, python: true) == hostile.flagged.map { [$0] } ?? [])
        let text = try t.run("rollbook", ["verify"])
        #expect(text.status == (hostile.expected.ok ? 0 : 1))
        if hostile.flagged != nil { #expect(text.stdout.contains("warning:")) }
        t.expectNoPersonalData(text, "verify")
    }

    /// The findings of `rollbook-replay anomalies` for one rule, as seq lists.
    static func anomalies(_ t: TestLedger, _ rule: String) throws -> [[Int]] {
        let r = try t.run("rollbook-replay", ["anomalies", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (object?["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == rule }.map { $0["seqs"] as? [Int] ?? [] }
    }

    @Test func anomaliesListADuplicateMarkAndEveryDisposal() throws {
        let t = try VerifierAgreementTests.base()
        #expect(try VerifierAgreementTests.anomalies(t, "duplicate-mark").isEmpty)
        #expect(try VerifierAgreementTests.anomalies(t, "disposal").isEmpty)
        var log = try LogBytes(t)
        log.append(at: "2025-09-04T10:00:00.000Z", "\"type\":\"mark.recorded\",\(VerifierAgreementTests.by),\"upn\":\"Y123456789001\",\"date\":\"2025-09-03\",\"session\":\"AM\",\"code\":\"G\"")
        log.stub(seq: 12)
        log.rechain(after: 11)
        log.append(at: "2025-09-05T10:00:00.000Z", "\"type\":\"retention.disposed\",\(VerifierAgreementTests.by),\"before\":\"2025-09-05\",\"ranges\":[{\"first_seq\":12,\"last_seq\":12}],\"count\":1,\"seal\":\"\(String(repeating: "a", count: 64))\"")
        try log.write(t)
        // The mark at seq 9 was recorded again at seq 13; the (too early) disposal is seq 14.
        #expect(try VerifierAgreementTests.anomalies(t, "duplicate-mark") == [[9, 13]])
        #expect(try VerifierAgreementTests.anomalies(t, "disposal") == [[14]])
        let text = try t.run("rollbook-replay", ["anomalies"])
        #expect(text.stdout.contains("less than six years"))
    }

    /// The first flagged stub of each disposal-plausibility warning.
    func warnings(_ t: TestLedger, python: Bool) throws -> [Int] {
        let r = python
            ? try t.runExternal("/usr/bin/env", ["python3", TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path, t.ledger, "--json"])
            : try t.run("rollbook", ["verify", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (object?["warnings"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
    }
}
