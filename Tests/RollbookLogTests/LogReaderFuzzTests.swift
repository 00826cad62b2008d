import Foundation
import Testing

@testable import RollbookLog
@testable import RollbookLogWriter
import RollbookTestSupport

/// The line reader fed seeded random and mutated segment and checkpoint bytes: it never crashes or
/// hangs, never writes, hands the fold only consecutive lines up to the fault, and catches every
/// change. The mutated cases are also checked against tools/verify_ledger.py (same first bad seq).
@Suite("Log reader fuzzing", .timeLimit(.minutes(10)))  // a guard against a hang, not a speed test
struct LogReaderFuzzTests {
    static let cases = Int(ProcessInfo.processInfo.environment["ROLLBOOK_FUZZ_CASES"] ?? "") ?? 400
    static let seed = UInt64(ProcessInfo.processInfo.environment["ROLLBOOK_FUZZ_SEED"] ?? "") ?? 0xF022
    /// Applies 1–4 random edits: a byte changed, inserted or deleted, a span duplicated or moved, a cut.
    static func mutate(_ base: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = base
        let alphabet = Array(#"{}[]":,0123456789abcdef\ "#.utf8) + [0x0A, 0x00, 0xC3, 0xFF]
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                var b = Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                if b == bytes[i] { b ^= 0x01 }
                bytes[i] = b
            case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
            case 2: bytes.remove(at: i)
            case 3:
                let end = min(bytes.count, i + Int.random(in: 1...400, using: &rng))
                bytes.insert(contentsOf: bytes[i..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            case 4:
                let end = min(bytes.count, i + Int.random(in: 1...400, using: &rng))
                let span = Array(bytes[i..<end])
                bytes.removeSubrange(i..<end)
                bytes.insert(contentsOf: span, at: Int.random(in: 0...bytes.count, using: &rng))
            default: bytes.removeLast(Int.random(in: 1...min(bytes.count, 300), using: &rng))
            }
        }
        return bytes
    }

    /// Every file's bytes under a directory, to show the reader wrote nothing.
    static func snapshot(_ directory: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            out[name] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return out
    }

    /// Scans and checks the invariants that hold for any input; returns the fault's seq.
    static func scanChecked(_ directory: String, _ context: String) throws -> Int? {
        let before = try snapshot(directory)
        var seqs: [Int] = []
        let scan = try LogReader(directory: directory).scan { seqs.append($0.seq) }
        #expect(seqs == Array(1..<(seqs.count + 1)), "\(context): the fold sees consecutive lines from seq 1")
        // A changed line is known to be bad only once the next line's prev is read, so the faulty line itself
        // may have reached the fold; nothing after it does.
        if let fault = scan.fault { #expect(seqs.count <= fault.seq, "\(context): no line after the fault reaches the fold") }
        #expect(try snapshot(directory) == before, "\(context): the reader wrote nothing")
        return scan.fault?.seq
    }

    @Test("400 mutated segments: every change is caught, at the same first bad seq as the Python verifier")
    func mutatedSegments() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        try LogFixture.make(in: base, count: 50)
        let paths = LedgerPaths(directory: base)
        let original = try LogFixture.read(paths.segment(1))
        var rng = SeededGenerator(seed: Self.seed)
        var swiftSeqs: [Int?] = []
        var ledgers: [(String, String?)] = []
        for i in 0..<Self.cases {
            var mutated = Self.mutate(original, &rng)
            if mutated == original { mutated.append(0x0A) }
            let ledger = dir.sub("case\(i)")
            try LogFixture.copy(base, to: ledger)
            try LogFixture.write(mutated, to: LedgerPaths(directory: ledger).segment(1))
            let seq = try Self.scanChecked(ledger, "case \(i)")
            #expect(seq != nil, "case \(i): a changed segment must not verify")
            swiftSeqs.append(seq)
            ledgers.append((ledger, nil))
        }
        let python = try PythonVerifier.verify(ledgers)
        var disagreements = 0
        for i in 0..<Self.cases where python[i].firstBadSeq != swiftSeqs[i] {
            disagreements += 1
            if let keep = ProcessInfo.processInfo.environment["ROLLBOOK_FUZZ_KEEP"] {  // for investigating a disagreement
                try? LogFixture.copy(ledgers[i].0, to: keep + "/case\(i)")
                try? LogFixture.write(original, to: keep + "/case\(i)/original.jsonl")
            }
            if disagreements <= 5 {
                Issue.record("case \(i): Swift named \(swiftSeqs[i].map(String.init) ?? "nothing"), Python \(python[i].firstBadSeq.map(String.init) ?? "nothing")")
            }
        }
        #expect(disagreements == 0)
    }

    @Test("random segment and checkpoint bytes: no crash, no hang, nothing verifies, nothing written")
    func randomBytes() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        try LogFixture.make(in: base, count: 5)
        let paths = LedgerPaths(directory: base)
        let goodCheckpoint = try LogFixture.read(paths.checkpoint)
        var rng = SeededGenerator(seed: 0x5EED)
        let alphabet = Array(#"{"seq":1,"at":"2025-09-03T08:00:00.000Z","prev":"0000abcdef"}"#.utf8) + [0x0A]
        for i in 0..<300 {
            let length = Int.random(in: 0...600, using: &rng)
            let bytes: [UInt8] = i % 2 == 0 ? (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                                            : (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            if i % 3 == 0 {
                // Random checkpoint bytes over an intact segment.
                try LogFixture.write(bytes, to: paths.checkpoint)
                let seq = try Self.scanChecked(base, "checkpoint \(i)")
                #expect(seq != nil || bytes == goodCheckpoint)
                try LogFixture.write(goodCheckpoint, to: paths.checkpoint)
            } else {
                let original = try LogFixture.read(paths.segment(1))
                try LogFixture.write(bytes, to: paths.segment(1))
                let seq = try Self.scanChecked(base, "segment \(i)")
                #expect(seq != nil || bytes == original, "random bytes \(i) verified")
                try LogFixture.write(original, to: paths.segment(1))
            }
        }
        #expect(try LogFixture.scan(base).scan.isIntact)
    }
}
