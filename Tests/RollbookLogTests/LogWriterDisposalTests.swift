import Foundation
import RollbookLog
import RollbookLogWriter
import Testing

/// The write side of retention disposal: stubs written segment by segment, each atomically, after the
/// covering `retention.disposed` line was committed in a new segment.
struct LogWriterDisposalTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollbook-disposal-\(UUID().uuidString)").path
    }

    func record(_ n: Int) -> [UInt8] { Array(#"{"type":"note","v":1,"n":\#(n)}"#.utf8) }

    /// Lines 1-3 in segment 1, 4-6 in segment 2, then the disposal of 2-5 as line 7 in segment 3.
    func makeLog() throws -> (LogWriter, hashes: [Int: SHA256Digest]) {
        let writer = try LogWriter(directory: directory, label: "rollbook/123456", create: true)
        let t = Timestamp(milliseconds: 1_750_000_000_000)
        try writer.append((1...3).map(record), at: t)
        try writer.append((4...6).map(record), at: t, startingNewSegment: true)
        let disposal = Array(#"{"type":"retention.disposed","v":1,"before":"2020-01-01","ranges":[{"first_seq":2,"last_seq":5}],"count":4,"seal":"\#(String(repeating: "0", count: 64))"}"#.utf8)
        try writer.append([disposal], at: t, startingNewSegment: true)
        var hashes: [Int: SHA256Digest] = [:]
        let scan = try LogReader(directory: directory).scan { line in hashes[line.seq] = line.hash }
        #expect(scan.isIntact)
        return (writer, hashes)
    }

    func verify() throws -> LogScan {
        try LogReader(directory: directory).scan { _ in }
    }

    @Test func aDisposalInterruptedBetweenSegmentsStillVerifiesAndIsFinishedLater() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (writer, hashes) = try makeLog()
        let checkpoint = try #require(try LogReader(directory: directory).checkpoint())
        #expect(checkpoint.segment == 3)

        // A crash after segment 1 was rewritten: only lines 2 and 3 are stubs so far.
        #expect(try writer.replaceWithStubs([(2, hashes[2]!), (3, hashes[3]!)]) == 2)
        let partial = try verify()
        #expect(partial.isIntact, "covered stubs and not-yet-replaced lines both verify: \(String(describing: partial.fault))")
        #expect(partial.head == hashes[7])

        // Finishing: lines already stubs are left alone, the rest are replaced.
        #expect(try writer.replaceWithStubs((2...5).map { ($0, hashes[$0]!) }) == 2)
        var stubs: [Int] = []
        let done = try LogReader(directory: directory).scan { line in if line.isStub { stubs.append(line.seq) } }
        #expect(done.isIntact)
        #expect(stubs == [2, 3, 4, 5])
        #expect(try LogReader(directory: directory).checkpoint() == checkpoint, "the checkpoint's segment was never rewritten")
        let segment1 = try String(contentsOfFile: directory + "/segments/000001.jsonl", encoding: .utf8)
        #expect(segment1.contains(#"{"seq":2,"prev":"\#(hashes[1]!.hex)","disposed":"\#(hashes[2]!.hex)"}"#))
        #expect(!segment1.contains(#""n":2"#))
        #expect(!FileManager.default.fileExists(atPath: directory + "/segments/000001.jsonl.tmp"))

        // The writer goes on appending after the disposal.
        try writer.append([record(8)], at: Timestamp(milliseconds: 1_750_000_001_000))
        #expect(try verify().isIntact)
    }

    @Test func aWrongHashOrTheCheckpointSegmentIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (writer, hashes) = try makeLog()
        let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/segments/000001.jsonl"))
        #expect(throws: LogError.self) { try writer.replaceWithStubs([(2, hashes[3]!)]) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/segments/000001.jsonl")) == before)

        let other = try LogWriter(directory: directory + "-2", label: "rollbook/123456", create: true)
        defer { try? FileManager.default.removeItem(atPath: directory + "-2") }
        try other.append((1...3).map(record), at: Timestamp(milliseconds: 1_750_000_000_000))
        var h: [Int: SHA256Digest] = [:]
        _ = try LogReader(directory: directory + "-2").scan { line in h[line.seq] = line.hash }
        #expect(throws: LogError.self) { try other.replaceWithStubs([(2, h[2]!)]) }
    }
}
