import Foundation
import RollbookDomain
@testable import RollbookLedger
import RollbookLog
import RollbookLogWriter
import RollbookProjections
import RollbookReports
import RollbookTestSupport
import Testing

/// A batch larger than the segment limit (events/FORMAT.md): split across segments between two lines,
/// committed by one checkpoint after every segment is durable, cut whole when it never committed.
@Suite struct LogWriterSegmentTests {
    typealias Fixture = MarksImportFixture
    static let limit = 8_192

    /// A generated marks file of a few hundred rows (about 70 KiB of log: several small segments).
    static func marks(_ school: Fixture) throws -> [UInt8] {
        var generator = MarksFileGenerator(seed: 77, state: try LedgerSession(school.context(school.ledger)).state, clock: Fixture.clock)
        return generator.file(rows: 300).bytes
    }

    /// Both verifiers' verdicts on a ledger: `rollbook verify`'s and tools/verify_ledger.py's.
    static func verdicts(_ directory: String) throws -> (ours: Bool, python: Bool) {
        let ours = try LedgerVerification.run(directory: directory, digestPath: nil)
        return (ours.ok, try PythonVerifier.verify([(directory, nil)]) == [PythonVerifier.Outcome(ok: true, firstBadSeq: nil)])
    }

    @Test func aBatchPastTheLimitIsSplitBetweenLinesAndVerifies() throws {
        let school = try Fixture()
        let bytes = try Self.marks(school)
        let before = try Fixture.segments(school.ledger)
        let whole = try school.copy("whole"), split = try school.copy("split")
        let one = try LedgerSession(school.context(whole)).importMarks(bytes: bytes, path: "marks.csv")
        let (imported, state) = try { () throws -> (LedgerSession.MarksImported, LedgerState) in
            let session = try LedgerSession(school.context(split, segmentLimit: Self.limit))
            return (try session.importMarks(bytes: bytes, path: "marks.csv"), session.state)
        }()
        #expect(imported == one)

        // The same lines as with the 64 MiB limit, only in more files.
        let segments = try Fixture.segments(split)
        let joined = segments.reduce(Data()) { $0 + $1.bytes }
        #expect(joined == (try Fixture.segments(whole)).reduce(Data()) { $0 + $1.bytes })
        #expect(segments.count >= before.count + 4)
        let added = segments.dropFirst(before.count - 1)
        var seqs: [ClosedRange<Int>] = []
        for (index, segment) in added.enumerated() {
            let lines = segment.bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            #expect(lines.last?.isEmpty == true)  // each segment ends at a line's end
            let numbers = lines.dropLast().map { line -> Int in
                let text = String(decoding: line.prefix(20), as: UTF8.self)
                return Int(text.dropFirst(7).prefix { $0.isNumber })!
            }
            seqs.append(numbers.first!...numbers.last!)
            // A segment is closed once it reaches the limit, so only the last one is shorter.
            if index < added.count - 1 { #expect(segment.bytes.count >= Self.limit) }
            #expect(segment.bytes.count < Self.limit + 1_000)
        }
        #expect(seqs.last?.upperBound == imported.appended.last)
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0.upperBound + 1 == $1.lowerBound })
        let checkpoint = try #require(try LogReader(directory: split).checkpoint())
        #expect(checkpoint.segment == segments.count && checkpoint.offset == segments.last!.bytes.count && checkpoint.count == imported.appended.last)

        let verdicts = try Self.verdicts(split)
        #expect(verdicts.ours && verdicts.python)
        let read = try LedgerSession(school.context(split, segmentLimit: Self.limit)) { _, _ in }.state
        #expect(read.differences(from: state) == [])
    }

    @Test func aBatchThatNeverCommittedIsCutFromEverySegment() throws {
        let school = try Fixture()
        let bytes = try Self.marks(school)
        let directory = try school.copy("crash")
        let before = try Fixture.files(directory)
        let checkpoint = try #require(before["checkpoint"])
        let state = try LedgerSession(school.context(directory)).state
        let imported = try LedgerSession(school.context(directory, segmentLimit: Self.limit)).importMarks(bytes: bytes, path: "marks.csv")
        let written = try Fixture.segments(directory)
        #expect(written.count >= 4)
        // A crash after the segments were written and before the checkpoint was replaced: the old checkpoint.
        try checkpoint.write(to: URL(fileURLWithPath: directory + "/checkpoint"))

        let (warnings, recoveredState) = try { () throws -> ([String], LedgerState) in
            let session = try LedgerSession(school.context(directory, segmentLimit: Self.limit))
            return (session.takeWarnings(), session.state)
        }()
        #expect(warnings.count == 1 && warnings[0].contains("recovered/"))
        #expect(recoveredState.differences(from: state) == [])
        var after = try Fixture.files(directory)
        let recovered = after.keys.filter { $0.hasPrefix("recovered/") }.sorted { a, b in
            // seq-<first>-…: in the order of the lines they hold.
            Int(a.split(separator: "-")[1])! < Int(b.split(separator: "-")[1])!
        }
        #expect(recovered.count >= 3)
        let moved = recovered.reduce(Data()) { $0 + after[$1]! }
        let firstNew = before.filter { $0.key.hasPrefix("segments/") }.count
        let batch = written.dropFirst(firstNew - 1).enumerated().reduce(Data()) { out, item in
            item.offset == 0 ? out + item.element.bytes.dropFirst(before["segments/" + item.element.name]!.count) : out + item.element.bytes
        }
        #expect(moved == batch)  // every line of the batch, kept, and nothing else
        #expect(moved.split(separator: 0x0A).count == imported.appended.count)
        for name in recovered { after[name] = nil }
        #expect(after == before)
        let verdicts = try Self.verdicts(directory)
        #expect(verdicts.ours && verdicts.python)
    }

    @Test func aFailedWriteTakesBackEverySegment() throws {
        let school = try Fixture()
        let bytes = try Self.marks(school)
        let directory = try school.copy("failed")
        let before = try Fixture.files(directory)
        let faults = StorageFaults { $0 == .syncCheckpoint ? EIO : nil }
        #expect(throws: LogError.self) {
            try LedgerSession(school.context(directory, segmentLimit: Self.limit, faults: faults)).importMarks(bytes: bytes, path: "marks.csv")
        }
        #expect(try Fixture.files(directory) == before)
        let verdicts = try Self.verdicts(directory)
        #expect(verdicts.ours && verdicts.python)
    }

    /// Where events/FORMAT.md puts a batch's lines (of these lengths, `\n` included) when the last line
    /// before it ends at `start`: in a new segment when asked, or when the batch would take a segment
    /// already half full past the limit; then a new segment after each line that brings one to the limit.
    static func layout(start: (segment: Int, offset: Int), lines: [Int], limit: Int, newSegment: Bool) -> [(segment: Int, offset: Int, bytes: Int)] {
        var (segment, offset) = start
        let total = lines.reduce(0, +)
        if offset > 0 && (newSegment || offset + total > limit && offset >= limit / 2) { segment += 1; offset = 0 }
        var pieces: [(segment: Int, offset: Int, bytes: Int)] = []
        var size = 0
        for (i, length) in lines.enumerated() {
            size += length
            if i < lines.count - 1 && offset + size >= limit {
                pieces.append((segment, offset, size))
                segment += 1
                offset = 0
                size = 0
            }
        }
        pieces.append((segment, offset, size))
        return pieces
    }

    @Test(arguments: [UInt64(1), 2, 3]) func batchesFallIntoSegmentsByTheRule(seed: UInt64) throws {
        let directory = try TemporaryDirectory("rollbook-segments")
        let path = directory.sub("ledger")
        let limit = 4_096
        let writer = try LogWriter(directory: path, label: "rollbook/123456", create: true, segmentLimit: limit)
        var random = SeededGenerator(seed: seed)
        var sizes: [Int: Int] = [:]  // the model: each segment's size
        var written = 0
        for batch in 0..<60 {
            let start = (writer.checkpoint?.segment ?? 1, writer.checkpoint?.offset ?? 0)
            let count = Int.random(in: 1...(batch % 10 == 9 ? 200 : 25), using: &random)
            let records = (0..<count).map { _ in
                Array(#"{"type":"test","pad":""#.utf8) + [UInt8](repeating: 0x61, count: Int.random(in: 0...700, using: &random)) + Array(#""}"#.utf8)
            }
            let newSegment = Int.random(in: 0..<8, using: &random) == 0
            let appended = try writer.append(records, at: Timestamp(milliseconds: 1_700_000_000_000 + Int64(batch)), startingNewSegment: newSegment)
            #expect(appended.first == writer.nextSeq - count)

            let segments = try MarksImportFixture.segments(path)
            let log = segments.reduce(Data()) { $0 + $1.bytes }
            let lines = log.dropFirst(written).split(separator: 0x0A).map { $0.count + 1 }
            #expect(lines.count == count)
            written = log.count
            let pieces = Self.layout(start: start, lines: lines, limit: limit, newSegment: newSegment)
            for piece in pieces {
                #expect((sizes[piece.segment] ?? 0) == piece.offset, "batch \(batch)")
                sizes[piece.segment] = piece.offset + piece.bytes
            }
            #expect(segments.map(\.bytes.count) == sizes.keys.sorted().map { sizes[$0]! }, "batch \(batch)")
            #expect(segments.allSatisfy { $0.bytes.last == 0x0A })
            #expect(writer.checkpoint?.segment == pieces.last!.segment && writer.checkpoint?.offset == pieces.last!.offset + pieces.last!.bytes)
        }
        #expect(sizes.count > 20)
        // The chain holds across every segment boundary.
        let scan = try LogReader(directory: path).scan { _ in }
        #expect(scan.linesRead == writer.checkpoint?.count && scan.fault == nil && scan.uncommittedTail == nil)
    }
}
