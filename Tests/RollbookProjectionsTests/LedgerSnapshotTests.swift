import Foundation
import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import Testing

/// Snapshots of ``LedgerState``: the state loaded from a snapshot and the lines after it equals the state
/// from a full replay, and a snapshot that does not fit the log is ignored.
struct LedgerSnapshotTests {
    /// A copy of `ledger` in a new temporary directory.
    static func copy(_ ledger: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rollbook-snapshot-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: ledger), to: dir)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot"))
        return dir
    }

    /// The snapshot of `ledger` after line `seq`: built from a copy cut after that line (a full replay of
    /// the copy), so it covers a prefix of the log exactly as the writer's would.
    static func snapshot(of ledger: String, after seq: Int) throws -> LedgerSnapshot {
        let cut = try copy(ledger)
        defer { try? FileManager.default.removeItem(at: cut) }
        let segments = cut.appendingPathComponent("segments")
        let names = try FileManager.default.contentsOfDirectory(atPath: segments.path).sorted()
        var remaining = seq
        var position: (segment: Int, offset: Int, line: [UInt8])?
        for (i, name) in names.enumerated() {
            let url = segments.appendingPathComponent(name)
            if position != nil { try FileManager.default.removeItem(at: url); continue }
            let bytes = try [UInt8](Data(contentsOf: url))
            var start = 0
            for (offset, byte) in bytes.enumerated() where byte == 0x0A {
                remaining -= 1
                if remaining == 0 {
                    position = (i + 1, offset + 1, Array(bytes[start..<offset]))
                    try Data(bytes[0...offset]).write(to: url)
                    break
                }
                start = offset + 1
            }
        }
        let found = try #require(position)
        let label = try #require(try LogReader(directory: ledger).checkpoint()).label
        let head = SHA256.hash(found.line)
        try Data(Checkpoint(label: label, count: seq, head: head, segment: found.segment, offset: found.offset).fileBytes)
            .write(to: cut.appendingPathComponent("checkpoint"))
        let replay = try LedgerReplay.load(directory: cut.path)
        try #require(replay.scan.isIntact && replay.scan.linesRead == seq)
        return LedgerSnapshot(label: label, position: LogPosition(seq: seq, head: replay.scan.head, segment: found.segment,
                                                                 offset: found.offset, lastAt: replay.scan.lastAt),
                              state: replay.state)
    }

    static func write(_ bytes: [UInt8], into ledger: URL) throws {
        try Data(bytes).write(to: ledger.appendingPathComponent("snapshot"))
    }

    /// Loads with the snapshot and checks the result equals a full replay, as of every moment given.
    static func expectSameAsFullReplay(_ ledger: URL, usedSeq: Int, asOf moments: [Timestamp?] = [nil],
                                       warnings expectWarning: Bool = false,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        for asOf in moments {
            var warnings: [String] = []
            let (replay, seq) = try LedgerReplay.loadUsingSnapshot(directory: ledger.path, asOf: asOf, warn: { warnings.append($0) })
            let full = try LedgerReplay.load(directory: ledger.path, asOf: asOf)
            #expect(replay.state == full.state, "as of \(String(describing: asOf))", sourceLocation: sourceLocation)
            #expect(LedgerReplayTests.Contents(replay.state) == LedgerReplayTests.Contents(full.state), sourceLocation: sourceLocation)
            #expect(replay.scan.head == full.scan.head && replay.scan.linesRead == full.scan.linesRead, sourceLocation: sourceLocation)
            let expectedSeq = asOf.map { t in usedSeq > 0 && t < full.scan.lastAt! ? -1 : usedSeq } ?? usedSeq
            if expectedSeq >= 0 { #expect(seq == expectedSeq, "as of \(String(describing: asOf))", sourceLocation: sourceLocation) }
            #expect(warnings.isEmpty != expectWarning, "\(warnings)", sourceLocation: sourceLocation)
        }
    }

    static func ledgers() throws -> [(ledger: String, cleanup: URL?)] {
        let (dir, generated) = try LedgerReplayTests.generated()
        return [(LedgerReplayTests.demo, nil), (generated, dir)]
    }

    @Test func encodingRoundTripsEveryProperty() throws {
        for (ledger, cleanup) in try LedgerSnapshotTests.ledgers() {
            defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
            let full = try LedgerReplay.load(directory: ledger)
            let count = full.scan.linesRead
            let snapshot = try LedgerSnapshotTests.snapshot(of: ledger, after: count)
            #expect(snapshot.state == full.state)
            let decoded = try LedgerSnapshot(bytes: snapshot.encoded())
            #expect(decoded.state == full.state)
            #expect(decoded.position == snapshot.position)
            #expect(decoded.label == snapshot.label)
            #expect(decoded.encoded() == snapshot.encoded())
            // The state is not trivial: each part the encoding covers holds something.
            #expect(full.state.school != nil && !full.state.calendar.terms.isEmpty && !full.state.pupils.isEmpty)
            #expect(full.state.markCount > 500 && !full.state.registersTaken.isEmpty)
        }
    }

    @Test func equalityNoticesAChangedMark() throws {
        let full = try LedgerReplay.load(directory: LedgerReplayTests.demo)
        var changed = full.state
        var first: (Int, SchoolDate, Session)?
        changed.forEachMark(of: 0) { date, session, _ in if first == nil { first = (0, date, session) } }
        let (pupil, date, session) = try #require(first)
        changed.markStore.amend(pupil: pupil, date: date, session: session, code: AttendanceCode("N")!, minutesLate: nil,
                                at: Timestamp(milliseconds: 0), seq: 1)
        #expect(changed != full.state)
    }

    @Test func aSnapshotAtTheHeadOrEarlierIsExtendedByTheTail() throws {
        for (ledger, cleanup) in try LedgerSnapshotTests.ledgers() {
            defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
            let full = try LedgerReplay.load(directory: ledger)
            let count = full.scan.linesRead
            // Times to read as of: before the snapshot's last line (full replay), between, and after.
            let times = [nil] + [count / 4, count / 2, count - 1].map { seq -> Timestamp? in
                var at: Timestamp?
                _ = try? LogReader(directory: ledger).scan { line in if line.seq == seq { at = line.at } }
                return at
            }
            for seq in [1, count / 3, count - 1, count] {
                let dir = try LedgerSnapshotTests.copy(ledger)
                defer { try? FileManager.default.removeItem(at: dir) }
                try LedgerSnapshotTests.write(try LedgerSnapshotTests.snapshot(of: ledger, after: seq).encoded(), into: dir)
                try LedgerSnapshotTests.expectSameAsFullReplay(dir, usedSeq: seq, asOf: times)
            }
        }
    }

    @Test func aSnapshotThatDoesNotFitIsIgnored() throws {
        let ledger = LedgerReplayTests.demo
        let count = try LedgerReplay.load(directory: ledger).scan.linesRead
        let good = try LedgerSnapshotTests.snapshot(of: ledger, after: count - 10)

        var otherLabel = good
        otherLabel.label = "rollbook/654321"
        var otherHead = good
        otherHead.position.head = SHA256.hash(Array("not the line".utf8))
        var otherOffset = good
        otherOffset.position.offset -= 1
        var otherSeq = good
        otherSeq.position.seq += 1
        var pastTheEnd = good
        pastTheEnd.position.seq = count + 5
        for quiet in [otherLabel, otherHead, otherOffset, otherSeq, pastTheEnd] {
            let dir = try LedgerSnapshotTests.copy(ledger)
            defer { try? FileManager.default.removeItem(at: dir) }
            try LedgerSnapshotTests.write(quiet.encoded(), into: dir)
            try LedgerSnapshotTests.expectSameAsFullReplay(dir, usedSeq: 0)
        }

        // Another format version, a truncated file, garbage, an empty file, a flipped byte in the prefix
        // and one in the page checksums: ignored with a warning.
        var version = good.encoded()
        version[LedgerSnapshot.magic.count] &+= 1
        var flipped = good.encoded()
        flipped[LedgerSnapshot.headerBytes + 40] ^= 0x40
        var flippedSum = good.encoded()
        flippedSum[flippedSum.count - 12] ^= 0x01
        let damaged: [[UInt8]] = [version, Array(good.encoded().dropLast(100)), Array("garbage\n".utf8), [], flipped, flippedSum]
        for bytes in damaged {
            let dir = try LedgerSnapshotTests.copy(ledger)
            defer { try? FileManager.default.removeItem(at: dir) }
            try LedgerSnapshotTests.write(bytes, into: dir)
            try LedgerSnapshotTests.expectSameAsFullReplay(dir, usedSeq: 0, warnings: true)
        }
    }

    @Test func aDamagedPageIsFoundWhenReadAndTheLogIsReadInstead() throws {
        let ledger = LedgerReplayTests.demo
        let full = try LedgerReplay.load(directory: ledger)
        let count = full.scan.linesRead
        let good = try LedgerSnapshotTests.snapshot(of: ledger, after: count - 10)
        let bytes = good.encoded()
        // Every byte of page 0 (the first pupil's row) matters: flip one in a slot and one in the padding.
        let snapshot = try LedgerSnapshot(bytes: bytes)
        let base = try #require(snapshot.state.markStore.base)
        for offset in [14, 4000] {
            var damaged = bytes
            damaged[base.pagesStart + offset] ^= 0x20
            let dir = try LedgerSnapshotTests.copy(ledger)
            defer { try? FileManager.default.removeItem(at: dir) }
            try LedgerSnapshotTests.write(damaged, into: dir)

            // Opening does not read the page, so the snapshot is used …
            var warnings: [String] = []
            let (lazy, seq) = try LedgerReplay.loadUsingSnapshot(directory: dir.path, warn: { warnings.append($0) })
            #expect(seq == count - 10 && warnings.isEmpty)
            // … until the page is read: its sessions read as empty, and the store says it is damaged.
            #expect(!lazy.state.markStore.isDamaged)
            #expect(lazy.state.mark(pupil: 0, date: SchoolDate(day: lazy.state.markStore.rows[0].firstDay), session: .am) == nil)
            #expect(lazy.state.markStore.isDamaged && lazy.state.markStore.damagedPage == 0)

            // A command computing through the snapshot gets the full replay's answer, with a warning.
            warnings = []
            let marks = try LedgerReplay.computeUsingSnapshot(directory: dir.path, warn: { warnings.append($0) }) { replay in
                var all: [MarkKey: MarkEntry] = [:]
                replay.state.markStore.forEach { all[$0] = $1 }
                return all
            }
            var expected: [MarkKey: MarkEntry] = [:]
            full.state.markStore.forEach { expected[$0] = $1 }
            #expect(marks == expected)
            #expect(warnings.count == 1 && warnings[0].contains("page 0"), "\(warnings)")

            // Checking every page up front finds it at once.
            warnings = []
            let (checked, checkedSeq) = try LedgerReplay.loadUsingSnapshot(directory: dir.path, checkingAllPages: true,
                                                                          warn: { warnings.append($0) })
            #expect(checkedSeq == 0 && warnings.count == 1 && checked.state == full.state)
        }
    }

    @Test func aRewrittenSnapshotCopiesUntouchedRowsAndKeepsTheirDamageVisible() throws {
        let ledger = LedgerReplayTests.demo
        let full = try LedgerReplay.load(directory: ledger)
        let snapshot = try LedgerSnapshot(bytes: LedgerSnapshotTests.snapshot(of: ledger, after: full.scan.linesRead).encoded())
        // Re-encoding a mapped store gives the same file, byte for byte.
        #expect(snapshot.encoded() == (try LedgerSnapshotTests.snapshot(of: ledger, after: full.scan.linesRead).encoded()))
        // A page damaged in the old file is copied with its old checksum, so the new file is found damaged too.
        var bytes = snapshot.encoded()
        let base = try #require(snapshot.state.markStore.base)
        bytes[base.pagesStart + 2 * MappedMarks.pageSize + 100] ^= 0x01
        let damaged = try LedgerSnapshot(bytes: bytes)
        let rewritten = try LedgerSnapshot(bytes: damaged.encoded())
        #expect(!rewritten.checkAllPages())
        #expect(rewritten.state.markStore.damagedPage == 2)
    }

    @Test func aChangedAnchorLineIsNotTrusted() throws {
        // The anchor line (seq N) is changed in the log after the snapshot was taken: the snapshot is not
        // used, and the read fails exactly as a full replay does.
        let ledger = LedgerReplayTests.demo
        let count = try LedgerReplay.load(directory: ledger).scan.linesRead
        let seq = count - 5
        let snapshot = try LedgerSnapshotTests.snapshot(of: ledger, after: seq)
        let dir = try LedgerSnapshotTests.copy(ledger)
        defer { try? FileManager.default.removeItem(at: dir) }
        try LedgerSnapshotTests.write(snapshot.encoded(), into: dir)
        let segment = dir.appendingPathComponent("segments/000001.jsonl")
        var bytes = try [UInt8](Data(contentsOf: segment))
        var start = snapshot.position.offset - 2
        while bytes[start - 1] != 0x0A { start -= 1 }
        let author = Array(#""author":""#.utf8)
        let at = try #require((start..<snapshot.position.offset).first { bytes[$0...].starts(with: author) })
        bytes[at + author.count] ^= 0x20  // the author's initial changes case
        try Data(bytes).write(to: segment)
        #expect(!LogReader(directory: dir.path).lineMatches(snapshot.position))
        var fullError: LogError?
        do { _ = try LedgerReplay.load(directory: dir.path) } catch let e as LogError { fullError = e }
        var snapshotError: LogError?
        do { _ = try LedgerReplay.loadUsingSnapshot(directory: dir.path) } catch let e as LogError { snapshotError = e }
        #expect(fullError != nil)
        #expect(snapshotError == fullError)
    }

    @Test func anUncommittedTailIsReportedTheSameWithASnapshot() throws {
        let ledger = LedgerReplayTests.demo
        let count = try LedgerReplay.load(directory: ledger).scan.linesRead
        let dir = try LedgerSnapshotTests.copy(ledger)
        defer { try? FileManager.default.removeItem(at: dir) }
        try LedgerSnapshotTests.write(try LedgerSnapshotTests.snapshot(of: ledger, after: count - 3).encoded(), into: dir)
        let segment = try FileHandle(forWritingTo: dir.appendingPathComponent("segments/000001.jsonl"))
        try segment.seekToEnd()
        try segment.write(contentsOf: Data(#"{"seq":\#(count + 1),"at":"2025-09-2"#.utf8))
        try segment.close()
        let full = try LedgerReplay.load(directory: dir.path)
        let (replay, seq) = try LedgerReplay.loadUsingSnapshot(directory: dir.path)
        #expect(seq == count - 3)
        #expect(full.scan.uncommittedTail != nil)
        #expect(replay.scan.uncommittedTail == full.scan.uncommittedTail)
        #expect(replay.state == full.state)
    }

    @Test func aLongAnchorLineIsFound() throws {
        // A ledger.opened line with a large policy document as the anchor: longer than the first window read.
        let document = String(repeating: "x", count: 100_000)
        let one = #"{"seq":1,"at":"2025-09-01T08:00:00.000Z","prev":"\#(String(repeating: "0", count: 64))","type":"ledger.opened","v":1,"author":"S","position":"P","urn":"123456","name":"School","la":"938","estab":"2001","policy":"p","am_register":"08:40-09:10","pm_register":"13:10-13:40","policy_document":"\#(document)"}"#
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rollbook-long-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("segments"), withIntermediateDirectories: true)
        try Data((one + "\n").utf8).write(to: dir.appendingPathComponent("segments/000001.jsonl"))
        let head = SHA256.hash(Array(one.utf8))
        try Data(Checkpoint(label: "rollbook/123456", count: 1, head: head, segment: 1, offset: one.utf8.count + 1).fileBytes)
            .write(to: dir.appendingPathComponent("checkpoint"))
        let full = try LedgerReplay.load(directory: dir.path)
        #expect(full.state.school?.policyDocument == document)
        let snapshot = LedgerSnapshot(label: "rollbook/123456", position: LogPosition(seq: 1, head: head, segment: 1, offset: one.utf8.count + 1,
                                                                                     lastAt: full.scan.lastAt), state: full.state)
        #expect(LogReader(directory: dir.path).lineMatches(snapshot.position))
        try LedgerSnapshotTests.write(snapshot.encoded(), into: dir)
        try LedgerSnapshotTests.expectSameAsFullReplay(dir, usedSeq: 1)
    }
}
