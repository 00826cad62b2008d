import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import RollbookTestSupport
import Testing

/// The mark store read from a mapped index equals the store folded from the same events, before and
/// after more events are folded into both (rows copied out, amended, grown both ways, re-recorded over an
/// amendment, new pupils, re-admissions), and re-encodes to the same file.
@Suite struct MappedMarksTests {
    static let author = Author(name: "Sam Patel", position: "Attendance Officer")
    static let codes = ["/", "\\", "L", "U", "N", "O", "M", "I", "C1", "G", "B", "D", "X"].compactMap { AttendanceCode($0) }

    /// A seeded stream of events over `pupils` pupils: admissions first, then marks, amendments,
    /// re-recorded sessions, deletions and re-admissions, in random order and dates.
    struct Stream {
        var random: SeededGenerator
        var seq = 0
        var admitted: [String] = []
        let first = SchoolDate("2023-09-04")!

        init(seed: UInt64) { random = SeededGenerator(seed: seed) }

        mutating func next(_ state: LedgerState) -> EventEnvelope {
            seq += 1
            let at = Timestamp(milliseconds: 1_700_000_000_000 + Int64(seq) * 60_000)
            func envelope(_ event: Event) -> EventEnvelope { EventEnvelope(seq: seq, at: at, version: 1, author: MappedMarksTests.author, event: event) }
            if admitted.count < 6 || Int.random(in: 0..<50, using: &random) == 0 {
                let digits = String(admitted.count)
                let upn = TestUPN.forDigits("938000" + String(repeating: "0", count: 6 - digits.count) + digits)
                admitted.append(upn)
                return envelope(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "Ann", surname: "Smith", dob: SchoolDate("2012-01-01")!,
                                                             yearGroup: "7", group: "7A", admitted: first, flags: PupilFlags())))
            }
            let upn = admitted[Int.random(in: 0..<admitted.count, using: &random)]
            // Dates spread over three years, so rows grow forwards and backwards.
            let date = first.adding(days: Int.random(in: -200...900, using: &random))
            let session: Session = Bool.random(using: &random) ? .am : .pm
            let code = MappedMarksTests.codes[Int.random(in: 0..<MappedMarksTests.codes.count, using: &random)]
            let minutes = code.needsMinutesLate ? Int.random(in: 1...90, using: &random) : nil
            switch Int.random(in: 0..<20, using: &random) {
            case 0..<12:
                return envelope(.markRecorded(MarkRecorded(upn: upn, date: date, session: session, code: code, minutesLate: minutes)))
            case 12..<18:
                // Amend a session that has a mark, when one can be found quickly.
                if let pupil = state.pupilIndex[upn] {
                    var found: (SchoolDate, Session, MarkEntry)?
                    state.forEachMark(of: pupil) { d, s, e in if found == nil || Bool.random(using: &random) { found = (d, s, e) } }
                    if let (d, s, e) = found {
                        return envelope(.markAmended(MarkAmended(upn: upn, date: d, session: s, original: e.code, originalMinutesLate: e.minutesLate,
                                                                 amended: code, minutesLate: minutes, reason: "letter", amendedOn: d)))
                    }
                }
                return envelope(.markRecorded(MarkRecorded(upn: upn, date: date, session: session, code: code, minutesLate: minutes)))
            case 18:
                return envelope(.pupilDeleted(PupilDeleted(upn: upn, on: date, ground: "moved away")))
            default:
                return envelope(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "Ann", surname: "Smith", dob: SchoolDate("2012-01-01")!,
                                                             yearGroup: "8", group: "8B", admitted: date, flags: PupilFlags())))
            }
        }
    }

    static func marks(_ state: LedgerState) -> [(MarkKey, MarkEntry)] {
        var out: [(MarkKey, MarkEntry)] = []
        state.markStore.forEach { out.append(($0, $1)) }
        return out
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func aMappedStoreFoldsOnExactlyAsTheFoldedOne(seed: UInt64) throws {
        var stream = Stream(seed: seed)
        var reference = LedgerState()
        for _ in 0..<3_000 { reference.apply(stream.next(reference)) }
        reference.compactMarks()
        let head = SHA256.hash(Array("head".utf8))
        let position = LogPosition(seq: stream.seq, head: head, segment: 1, offset: 100, lastAt: reference.lastAt)
        let bytes = LedgerSnapshot(label: "rollbook/123456", position: position, state: reference).encoded()
        var mapped = try LedgerSnapshot(bytes: bytes).state
        // One pupil at a time, without reading the whole admission register …
        for record in reference.pupils {
            #expect(mapped.pupil(record.upn) == record && mapped.pupilNumber(record.upn) == record.index)
        }
        #expect(mapped.pupil(TestUPN.forDigits("999999999999")) == nil && mapped.pendingPupils != nil)
        // … and all of them.
        #expect(mapped == reference)
        let mappedMarks = MappedMarksTests.marks(mapped), referenceMarks = MappedMarksTests.marks(reference)
        let same = mappedMarks.count == referenceMarks.count
            && zip(mappedMarks, referenceMarks).allSatisfy { (a: (MarkKey, MarkEntry), b: (MarkKey, MarkEntry)) in a.0 == b.0 && a.1 == b.1 }
        #expect(same && referenceMarks.count > 1_000)

        // Fold more events into both: every access agrees, and so does the file each would write.
        for round in 0..<3 {
            for _ in 0..<500 {
                let event = stream.next(reference)
                reference.apply(event)
                mapped.apply(event)
            }
            #expect(mapped == reference, "round \(round)")
            for pupil in 0..<reference.pupils.count {
                for day in stride(from: -210, through: 910, by: 7) {
                    let date = stream.first.adding(days: day)
                    let left: MarkEntry? = mapped.mark(pupil: pupil, date: date, session: .pm)
                    let right: MarkEntry? = reference.mark(pupil: pupil, date: date, session: .pm)
                    #expect(left == right)
                }
            }
            var a = mapped, b = reference
            a.compactMarks()
            b.compactMarks()
            let again = LedgerSnapshot(label: "rollbook/123456", position: position, state: a).encoded()
            #expect(again == LedgerSnapshot(label: "rollbook/123456", position: position, state: b).encoded(), "round \(round)")
            mapped = try LedgerSnapshot(bytes: again).state
            #expect(!mapped.markStore.isDamaged)
        }
    }

    @Test func everyPageChecksumCatchesEveryFlippedBit() throws {
        var stream = Stream(seed: 9)
        var state = LedgerState()
        for _ in 0..<2_000 { state.apply(stream.next(state)) }
        state.compactMarks()
        let position = LogPosition(seq: stream.seq, head: SHA256.hash([1]), segment: 1, offset: 10, lastAt: state.lastAt)
        let bytes = LedgerSnapshot(label: "rollbook/123456", position: position, state: state).encoded()
        let base = try #require(try LedgerSnapshot(bytes: bytes).state.markStore.base)
        var random = SeededGenerator(seed: 10)
        for page in 0..<base.pageCount {
            var damaged = bytes
            damaged[base.pagesStart + page * MappedMarks.pageSize + Int.random(in: 0..<MappedMarks.pageSize, using: &random)] ^=
                UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            let snapshot = try LedgerSnapshot(bytes: damaged)
            #expect(!snapshot.checkAllPages() && snapshot.state.markStore.damagedPage == page)
        }
    }
}
