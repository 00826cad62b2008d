import Foundation
import Testing

@testable import RollbookLog
@testable import RollbookLogWriter
import RollbookTestSupport

/// A write interrupted at any byte of its last line: readers see exactly the committed events, the
/// next writer cuts the torn bytes off (and says what it cut), and the log verifies again.
@Suite("Torn writes")
struct TornWriteTests {
    @Test("an uncommitted last line cut at every byte offset reopens to exactly the events before it")
    func everyOffsetOfAnUncommittedLine() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        try LogFixture.make(in: base, count: 12)
        let paths = LedgerPaths(directory: base)
        let committed = try LogFixture.read(paths.segment(1))
        let checkpoint = try LogFixture.read(paths.checkpoint)
        // The 13th line as the writer would frame it, appended but never committed.
        let writer = try LogWriter(directory: base, label: nil)
        try writer.append([LogFixture.record(13)], at: Timestamp(milliseconds: 1_756_990_000_000))
        let full = try LogFixture.read(paths.segment(1))
        let lastLine = Array(full[committed.count...])
        #expect(lastLine.last == 0x0A)
        try LogFixture.write(checkpoint, to: paths.checkpoint)  // the commit never happened

        let work = dir.sub("work")
        let workPaths = LedgerPaths(directory: work)
        var cases = 0
        for cut in 0...lastLine.count {
            try? FileManager.default.removeItem(atPath: work)
            try LogFixture.copy(base, to: work)
            try LogFixture.write(committed + lastLine.prefix(cut), to: workPaths.segment(1))

            // The reader's view: exactly seq 1…12; a non-empty tail is reported (verification fails on it).
            let (scan, seqs) = try LogFixture.scan(work)
            #expect(seqs == Array(1...12), "cut at \(cut)")
            #expect(scan.linesRead == 12)
            if cut == 0 {
                #expect(scan.isIntact && scan.uncommittedTail == nil)
            } else {
                #expect(scan.uncommittedTail == UncommittedTail(segment: 1, offset: committed.count, bytes: cut, firstSeq: 13), "cut at \(cut)")
                #expect(scan.fault?.seq == 13, "cut at \(cut)")
            }
            // The next writer cuts the tail, reports it, appends, and the log verifies.
            let next = try LogWriter(directory: work, label: nil)
            let cutOff = try next.cutUncommittedTail()
            #expect(cutOff?.bytes == (cut == 0 ? nil : cut), "cut at \(cut)")
            #expect(try LogFixture.read(workPaths.segment(1)) == committed, "cut at \(cut)")
            try next.append([LogFixture.record(99)], at: Timestamp(milliseconds: 1_756_990_000_000))
            let after = try LogFixture.scan(work)
            #expect(after.scan.isIntact, "cut at \(cut): \(after.scan.fault?.description ?? "")")
            #expect(after.seqs == Array(1...13))
            cases += 1
        }
        #expect(cases == lastLine.count + 1)
    }

    @Test("a committed last line cut at any byte is a truncation: verification names it and the writer refuses")
    func everyOffsetOfACommittedLine() throws {
        let dir = try TemporaryDirectory()
        let base = dir.sub("base")
        try LogFixture.make(in: base, count: 12)
        let paths = LedgerPaths(directory: base)
        let full = try LogFixture.read(paths.segment(1))
        let ranges = LogFixture.lineRanges(full)
        let lastStart = ranges[11].lowerBound
        let work = dir.sub("work")
        let workPaths = LedgerPaths(directory: work)
        for cut in 0..<(full.count - lastStart) {
            try? FileManager.default.removeItem(atPath: work)
            try LogFixture.copy(base, to: work)
            try LogFixture.write(Array(full[..<(lastStart + cut)]), to: workPaths.segment(1))
            let (scan, _) = try LogFixture.scan(work)
            #expect(scan.fault?.seq == 12, "cut at \(cut): \(scan.fault?.description ?? "no fault")")
            let writer = try LogWriter(directory: work, label: nil)
            #expect(throws: LogError.self, "cut at \(cut)") { try writer.cutUncommittedTail() }
            #expect(try LogFixture.read(workPaths.segment(1)).count == lastStart + cut, "nothing was cut or written")
        }
    }
}
