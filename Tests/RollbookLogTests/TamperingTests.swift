import Foundation
import Testing

@testable import RollbookLog
@testable import RollbookLogWriter
import RollbookTestSupport

/// Tampering with a generated ledger is caught by both verifiers (the Swift ``LogReader`` in-process
/// and tools/verify_ledger.py, batched), each naming the first bad sequence `events/FORMAT.md` defines.
@Suite("Tampering")
struct TamperingTests {
    static let lines = 60
    static let split = 35

    /// One changed byte: where, and the value it becomes.
    struct ByteChange: CustomStringConvertible {
        var segment: Int
        var offset: Int
        var byte: UInt8
        var seq: Int
        var description: String { "segment \(segment) offset \(offset) -> 0x\(String(byte, radix: 16)) (line seq \(seq))" }
    }

    /// 1,000 seeded single-byte changes anywhere in the two segments.
    static func byteChanges(_ directory: String, count: Int = 1000) throws -> [ByteChange] {
        let paths = LedgerPaths(directory: directory)
        let segments = [try LogFixture.read(paths.segment(1)), try LogFixture.read(paths.segment(2))]
        let total = segments[0].count + segments[1].count
        // Bytes that keep a line plausible (digits, hex, JSON punctuation, the newline) as well as any byte.
        let plausible = Array(#"0123456789abcdefABCDEF{}[]":,\ /-.TZnul"#.utf8) + [0x0A, 0x0D, 0x09, 0x00, 0xC3, 0xFF]
        var rng = SeededGenerator(seed: 0x7A3D_2025)
        var changes: [ByteChange] = []
        while changes.count < count {
            var position = Int.random(in: 0..<total, using: &rng)
            let segment = position < segments[0].count ? 1 : 2
            if segment == 2 { position -= segments[0].count }
            let bytes = segments[segment - 1]
            let old = bytes[position]
            var new = Bool.random(using: &rng) ? plausible.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            if new == old { new = old == 0x30 ? 0x31 : 0x30 }  // the same byte is not a change
            let lineIndex = bytes[..<position].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let seq = lineIndex + 1 + (segment == 2 ? split : 0)
            changes.append(ByteChange(segment: segment, offset: position, byte: new, seq: seq))
        }
        return changes
    }

    @Test("1,000 random single-byte changes: both verifiers name the line holding the byte")
    func singleByteChanges() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        try LogFixture.make(in: ledger, count: Self.lines, splitAt: Self.split)
        #expect(try LogFixture.scan(ledger).scan.isIntact)
        let paths = LedgerPaths(directory: ledger)
        let changes = try Self.byteChanges(ledger)
        #expect(changes.count == 1000)
        #expect(Set(changes.map(\.seq)).count == Self.lines, "every line is hit at least once")

        // Python checks a copy of the ledger, in its own process, while Swift checks this one in-process.
        let pythonLedger = dir.sub("python")
        try LogFixture.copy(ledger, to: pythonLedger)
        let pythonPaths = LedgerPaths(directory: pythonLedger)
        let pythonChanges = changes.map { (pythonPaths.segment($0.segment), $0.offset, $0.byte) }
        nonisolated(unsafe) var pythonResult: Result<[PythonVerifier.Outcome], any Error> = .success([])
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            pythonResult = Result { try PythonVerifier.verifyByteChanges(directory: pythonLedger, changes: pythonChanges) }
            done.signal()
        }
        let bases = [1: try LogFixture.read(paths.segment(1)), 2: try LogFixture.read(paths.segment(2))]
        var swiftSeqs: [Int?] = []
        for change in changes {
            var bytes = bases[change.segment]!
            bytes[change.offset] = change.byte
            try LogFixture.write(bytes, to: paths.segment(change.segment))
            swiftSeqs.append(try LogFixture.scan(ledger).scan.fault?.seq)
            try LogFixture.write(bases[change.segment]!, to: paths.segment(change.segment))
        }
        done.wait()
        let python = try pythonResult.get()
        #expect(python.count == changes.count)
        var mismatches = 0
        for (i, change) in changes.enumerated() {
            if swiftSeqs[i] != change.seq || python[i] != PythonVerifier.Outcome(ok: false, firstBadSeq: change.seq) {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("\(change): Swift named \(swiftSeqs[i].map(String.init) ?? "nothing"), Python \(python[i].firstBadSeq.map(String.init) ?? "nothing")")
                }
            }
        }
        #expect(mismatches == 0)
        #expect(try LogFixture.scan(ledger).scan.isIntact, "the base ledger was restored")
    }

    /// A structural edit of the segment lines and the first bad seq it must be reported at.
    struct LineEdit: CustomStringConvertible, Sendable {
        var name: String
        var expected: Int
        var edit: @Sendable (inout [[UInt8]]) -> Void
        var description: String { name }
    }

    static let edits: [LineEdit] = [
        LineEdit(name: "delete the first line", expected: 1) { $0.remove(at: 0) },
        LineEdit(name: "delete a middle line (seq 20)", expected: 20) { $0.remove(at: 19) },
        LineEdit(name: "delete the last line", expected: 60) { $0.removeLast() },
        LineEdit(name: "delete the last two lines", expected: 59) { $0.removeLast(2) },
        LineEdit(name: "duplicate the first line", expected: 2) { $0.insert($0[0], at: 1) },
        LineEdit(name: "duplicate a middle line (seq 30)", expected: 31) { $0.insert($0[29], at: 30) },
        LineEdit(name: "duplicate the last line", expected: 61) { $0.append($0[59]) },
        LineEdit(name: "swap the first two lines", expected: 1) { $0.swapAt(0, 1) },
        LineEdit(name: "swap seq 40 and 41", expected: 40) { $0.swapAt(39, 40) },
        LineEdit(name: "swap seq 10 and 50", expected: 10) { $0.swapAt(9, 49) },
        LineEdit(name: "swap the last two lines", expected: 59) { $0.swapAt(58, 59) },
        LineEdit(name: "truncate in the middle of seq 45", expected: 45) { lines in
            lines.removeLast(lines.count - 45)
            lines[44].removeLast(lines[44].count / 2)  // seq 45 loses its second half and its newline
        },
        LineEdit(name: "truncate after seq 45", expected: 46) { $0.removeLast($0.count - 45) },
        LineEdit(name: "truncate inside the last line", expected: 60) { $0[59].removeLast(10) },
        LineEdit(name: "truncate to nothing", expected: 1) { $0.removeAll() },
        LineEdit(name: "insert a blank line after seq 12", expected: 13) { $0.insert([0x0A], at: 12) },
    ]

    /// Applies an edit to the lines of both segments (joined; the split is kept where the lines allow).
    static func apply(_ edit: LineEdit, to ledger: String) throws {
        let paths = LedgerPaths(directory: ledger)
        let all = try LogFixture.read(paths.segment(1)) + LogFixture.read(paths.segment(2))
        var lines = LogFixture.lineRanges(all).map { Array(all[$0]) + [0x0A] }
        edit.edit(&lines)
        let first = lines.prefix(split).flatMap { $0 }
        let second = lines.dropFirst(split).flatMap { $0 }
        try LogFixture.write(first, to: paths.segment(1))
        try LogFixture.write(second, to: paths.segment(2))
    }

    @Test("line deletion, duplication, swapping and truncation are named at the first bad seq", arguments: edits)
    func lineEdits(_ edit: LineEdit) throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        try LogFixture.make(in: ledger, count: Self.lines, splitAt: Self.split)
        try Self.apply(edit, to: ledger)
        let swift = try LogFixture.scan(ledger).scan
        #expect(swift.fault?.seq == edit.expected, "Swift: \(swift.fault?.description ?? "no fault")")
        let python = try PythonVerifier.verify([(ledger, nil)])
        #expect(python == [PythonVerifier.Outcome(ok: false, firstBadSeq: edit.expected)])
    }

    /// Sets line `index`'s `prev` to the chain hash of the line before it (lines without their newlines).
    static func relink(_ lines: inout [[UInt8]], _ index: Int) {
        var text = String(decoding: lines[index], as: UTF8.self)
        let start = text.range(of: #""prev":""#)!.upperBound
        text.replaceSubrange(start..<text.index(start, offsetBy: 64), with: SHA256.hash(lines[index - 1]).hex)
        lines[index] = Array(text.utf8)
    }

    static func replace(_ lines: inout [[UInt8]], _ index: Int, _ from: String, _ to: String) {
        lines[index] = Array(String(decoding: lines[index], as: UTF8.self).replacingOccurrences(of: from, with: to).utf8)
    }

    /// Edits where which lines take part in the links decides the answer (FORMAT.md), each found by
    /// fuzzing the two verifiers against each other.
    static let linkEdits: [LineEdit] = [
        LineEdit(name: "a changed line, then a line with a malformed at that links to the next", expected: 20) { lines in
            lines = lines.map { Array($0.dropLast()) }
            replace(&lines, 19, #""n":20"#, #""n":21"#)
            replace(&lines, 20, #""at":"2025-09-03T08:00:00."#, #""at":"2025-09-03T08:00:0x."#)
            relink(&lines, 21)
            lines = lines.map { $0 + [0x0A] }
        },
        LineEdit(name: "a changed line, then a line that is not JSON but links to the next", expected: 20) { lines in
            lines = lines.map { Array($0.dropLast()) }
            replace(&lines, 19, #""n":20"#, #""n":21"#)
            replace(&lines, 20, #""late":"#, #""late"::"#)
            relink(&lines, 21)
            lines = lines.map { $0 + [0x0A] }
        },
        LineEdit(name: "a changed line before a torn last line", expected: 58) { lines in
            replace(&lines, 57, #""n":58"#, #""n":59"#)
            lines[59].removeLast(20)
        },
        LineEdit(name: "a changed line, then its successor, then missing lines", expected: 40) { lines in
            replace(&lines, 39, #""n":40"#, #""n":41"#)
            lines.removeLast(lines.count - 41)
        },
    ]

    @Test("which lines take part in the links: both verifiers agree with FORMAT.md", arguments: linkEdits)
    func linkParticipation(_ edit: LineEdit) throws {
        try lineEdits(edit)
    }

    @Test("a line with only seq, at and prev verifies (FORMAT.md asks for nothing more)")
    func threeMemberLine() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let writer = try LogWriter(directory: ledger, label: LogFixture.label, create: true)
        try writer.append([LogFixture.record(1)], at: Timestamp(milliseconds: 1_756_886_400_000))
        let paths = LedgerPaths(directory: ledger)
        var bytes = try LogFixture.read(paths.segment(1))
        let line = #"{"seq":2,"at":"2025-09-03T08:00:00.000Z","prev":"\#(SHA256.hash(Array(bytes.dropLast())).hex)"}"#
        bytes += Array(line.utf8) + [0x0A]
        try LogFixture.write(bytes, to: paths.segment(1))
        try LogFixture.write(Checkpoint(label: LogFixture.label, count: 2, head: SHA256.hash(Array(line.utf8)), segment: 1,
                                        offset: bytes.count).fileBytes, to: paths.checkpoint)
        #expect(try LogFixture.scan(ledger).scan.isIntact)
        #expect(try PythonVerifier.verify([(ledger, nil)]) == [PythonVerifier.Outcome(ok: true, firstBadSeq: nil)])
    }

    @Test("a consistently re-chained rewrite passes the chain check but not an earlier digest")
    func rechainedRewrite() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.sub("ledger")
        let writer = try LogFixture.make(in: ledger, count: 40)
        let digest = try #require(writer.checkpoint).digestText
        let digestPath = dir.sub("digest.txt")
        try LogFixture.write(Array(digest.utf8), to: digestPath)
        // Later, 10 more lines are appended honestly; then line 25 is rewritten and everything re-chained.
        try writer.append((41...50).map(LogFixture.record), at: Timestamp(milliseconds: 1_756_990_000_000))
        let paths = LedgerPaths(directory: ledger)
        let bytes = try LogFixture.read(paths.segment(1))
        var lines = LogFixture.lineRanges(bytes).map { Array(bytes[$0]) }
        let text = String(decoding: lines[24], as: UTF8.self)
        lines[24] = Array(text.replacingOccurrences(of: #""n":25"#, with: #""n":26"#).utf8)
        #expect(lines[24] != Array(bytes[LogFixture.lineRanges(bytes)[24]]))
        var prev = SHA256.hash(lines[23])
        for i in 24..<lines.count {
            var line = String(decoding: lines[i], as: UTF8.self)
            let range = line.range(of: #""prev":""#)!
            let hexStart = range.upperBound
            let hexEnd = line.index(hexStart, offsetBy: 64)
            line.replaceSubrange(hexStart..<hexEnd, with: prev.hex)
            lines[i] = Array(line.utf8)
            prev = SHA256.hash(lines[i])
        }
        let rewritten: [UInt8] = lines.flatMap { $0 + [UInt8(0x0A)] }
        try LogFixture.write(rewritten, to: paths.segment(1))
        let checkpoint = Checkpoint(label: LogFixture.label, count: 50, head: prev, segment: 1, offset: rewritten.count)
        try LogFixture.write(checkpoint.fileBytes, to: paths.checkpoint)

        #expect(try LogFixture.scan(ledger).scan.isIntact, "the chain alone cannot see a re-chained rewrite")
        let digestValue = try LedgerDigest(text: digest, path: digestPath)
        #expect(try LogFixture.scan(ledger, digest: digestValue).scan.fault?.seq == 40)
        let python = try PythonVerifier.verify([(ledger, nil), (ledger, digestPath)])
        #expect(python == [PythonVerifier.Outcome(ok: true, firstBadSeq: nil), PythonVerifier.Outcome(ok: false, firstBadSeq: 40)])
    }
}
