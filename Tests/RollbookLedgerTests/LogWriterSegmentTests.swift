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
}
