import Foundation
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports
import RollbookTestSupport
import Testing

/// The fused reader (what every command reads with) against the reader it replaced, kept as the
/// reference: on seeded ledgers with everything history holds, at several as-of moments, with hooks, on
/// seeded damage, and on the verifier agreement table's hostile ledgers, `LedgerReplay.load` gives the
/// same state or the same error, and `LedgerVerification` the same verdict, fault and warnings.
struct FusedReaderTests {
    // MARK: A seeded ledger written line by line

    /// Writes event lines with their `seq`, `at` and `prev`, then stubs, segments and the checkpoint.
    struct SeededLedger {
        var lines: [[UInt8]] = []
        var hashes: [SHA256Digest] = []
        var time = Timestamp(milliseconds: 1_725_260_400_000)  // 2024-09-02T07:00:00Z
        var rng: SeededGenerator
        /// Seqs of the mark.recorded lines, with their pupil's session, for amendments and disposals.
        var recorded: [(seq: Int, upn: String, date: SchoolDate, session: Session, code: AttendanceCode)] = []
        var upns: [String] = []
        let officer = Author(name: "Sam Patel", position: "Attendance Officer")

        init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

        mutating func append(_ event: Event, by author: Author? = nil) {
            let body = event.record(by: author ?? officer)
            var line = Array(#"{"seq":\#(lines.count + 1),"at":"\#(time)","prev":"\#((hashes.last ?? .zero).hex)","#.utf8)
            line += body.dropFirst()
            lines.append(line)
            hashes.append(SHA256.hash(line))
        }

        /// A term's school days (weekdays) from `from`, `count` of them.
        static func days(from: SchoolDate, count: Int) -> [SchoolDate] {
            (0..<(count * 7 / 5 + 7)).map { SchoolDate(day: from.day + Int32($0)) }
                .filter { (Int($0.day) + 3) % 7 < 5 }.prefix(count).map { $0 }
        }

        /// The ledger: an opened school, two terms (2018 history migrated with `recorded_at` and legacy
        /// codes, and 2024), pupils admitted, left and re-admitted, marks (a few with escapes, non-ASCII
        /// authors, notes or unknown pupils, which the fused fold leaves to the decoder), amendments
        /// (some of sessions never recorded), registers, closures, interventions, returns, a clock
        /// correction, then disposal stubs covered by a `retention.disposed`.
        static func make(seed: UInt64, events: Int) -> SeededLedger {
            var g = SeededLedger(seed: seed)
            let window = RegisterWindow("08:40-09:00")!, pmWindow = RegisterWindow("13:40-13:45")!
            g.append(.ledgerOpened(LedgerOpened(urn: "123456", name: "Seeded School", la: "938", estab: "4001", policy: "dfe",
                                                amRegister: window, pmRegister: pmWindow)))
            let old = SchoolDate(year: 2018, month: 9, day: 3)!, now = SchoolDate(year: 2024, month: 9, day: 2)!
            g.append(.termAdded(TermAdded(name: "Autumn 2018", from: old, to: SchoolDate(year: 2018, month: 12, day: 20)!)))
            g.append(.termAdded(TermAdded(name: "Autumn 2024", from: now, to: SchoolDate(year: 2024, month: 12, day: 20)!)))
            let oldDays = days(from: old, count: 40), newDays = days(from: now, count: 40)
            for n in 0..<24 {
                let upn = TestUPN.forDigits(String(format: "9380000%05d", n))
                g.upns.append(upn)
                g.append(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "P\(n)", surname: "S\(n)", dob: SchoolDate(year: 2011, month: 1, day: 1 + n)!,
                                                      yearGroup: "8", group: n % 2 == 0 ? "8A" : "8B", admitted: n < 20 ? old : now,
                                                      flags: PupilFlags(sen: n % 5 == 0, pp: n % 3 == 0), sex: n % 2 == 0 ? "F" : "M")))
            }
            let codes: [AttendanceCode] = ["/", "\\", "L", "U", "N", "I", "M", "C", "G", "B", "D", "C1", "Y1"].compactMap { AttendanceCode($0) }
            let legacy: [AttendanceCode] = ["H", "J", "Y", "/", "\\", "I"].compactMap { AttendanceCode($0) }
            let escaped = Author(name: "Sam \"S\" Patel", position: "AO"), accented = Author(name: "Zoë Brontë", position: "AO")
            for _ in 0..<events {
                if Int.random(in: 0..<4, using: &g.rng) == 0 { g.time = Timestamp(milliseconds: g.time.milliseconds + Int64.random(in: 1...90_000, using: &g.rng)) }
                let roll = Int.random(in: 0..<100, using: &g.rng)
                let upn = Int.random(in: 0..<20, using: &g.rng) == 0 ? TestUPN.forDigits("999999999999") : g.upns.randomElement(using: &g.rng)!
                let session: Session = Bool.random(using: &g.rng) ? .am : .pm
                switch roll {
                case 0..<55:
                    let migrated = Int.random(in: 0..<3, using: &g.rng) == 0
                    let date = (migrated ? oldDays : newDays).randomElement(using: &g.rng)!
                    let code = (migrated ? legacy : codes).randomElement(using: &g.rng)!
                    let late = code == AttendanceCode("L") || code == AttendanceCode("U") ? Int.random(in: 0...90, using: &g.rng) : nil
                    let recordedAt = migrated ? Timestamp(milliseconds: Int64(date.day) * 86_400_000 + 32_000_000) : nil
                    let note = Int.random(in: 0..<40, using: &g.rng) == 0 ? "bus late" : nil
                    let author = [g.officer, g.officer, g.officer, g.officer, escaped, accented].randomElement(using: &g.rng)!
                    g.append(.markRecorded(MarkRecorded(upn: upn, date: date, session: session, code: code, minutesLate: late, note: note,
                                                        recordedAt: recordedAt)), by: author)
                    g.recorded.append((g.lines.count, upn, date, session, code))
                case 55..<70:
                    // Usually a recorded session; sometimes one never recorded (its original disposed of).
                    let target = g.recorded.randomElement(using: &g.rng)
                    let date = target?.date ?? newDays[0]
                    let amended = codes.randomElement(using: &g.rng)!
                    g.append(.markAmended(MarkAmended(upn: target?.upn ?? upn, date: Int.random(in: 0..<8, using: &g.rng) == 0 ? newDays.last! : date,
                                                      session: target?.session ?? session, original: target?.code ?? AttendanceCode("N")!,
                                                      originalMinutesLate: target?.code == AttendanceCode("L") ? 5 : nil, amended: amended,
                                                      minutesLate: amended == AttendanceCode("L") ? 12 : nil, reason: "parent rang",
                                                      amendedOn: newDays[5])))
                case 70..<80:
                    g.append(.registerTaken(RegisterTaken(group: Bool.random(using: &g.rng) ? "8A" : "8B", date: newDays.randomElement(using: &g.rng)!,
                                                          session: session)))
                case 80..<83:
                    let day = newDays.randomElement(using: &g.rng)!
                    g.append(.closureRecorded(ClosureRecorded(from: day, to: day, session: Bool.random(using: &g.rng) ? nil : session,
                                                              code: Bool.random(using: &g.rng) ? AttendanceCode("#")! : AttendanceCode("Y1")!, reason: "snow")))
                case 83..<86:
                    g.append(.pupilDeleted(PupilDeleted(upn: upn, on: newDays.randomElement(using: &g.rng)!, ground: "moved away")))
                case 86..<89:
                    // Re-admission (or a first admission of the unknown UPN, whose later marks then count).
                    g.append(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "Again", surname: "Back", dob: SchoolDate(year: 2011, month: 3, day: 3)!,
                                                          yearGroup: "9", group: "9A", admitted: newDays.randomElement(using: &g.rng)!, flags: PupilFlags(fsm: true))))
                    if !g.upns.contains(upn) { g.upns.append(upn) }
                case 89..<92:
                    g.append(.pupilDetailsChanged(PupilDetailsChanged(upn: upn, surname: "Changed", group: "8C")))
                case 92..<95:
                    g.append(.interventionRecorded(InterventionRecorded(upn: upn, action: "standard-letter", date: newDays.randomElement(using: &g.rng)!,
                                                                        note: nil)))
                case 95..<97:
                    g.append(.returnsSent(ReturnsSent(entries: [ReturnsSent.Entry(kind: "absence-10-days", upn: upn, from: newDays[0], to: newDays[9])])))
                case 97:
                    let previous = g.time
                    g.time = Timestamp(milliseconds: g.time.milliseconds - 3_600_000)
                    g.append(.clockCorrected(ClockCorrected(reason: "the clock was an hour fast", previousAt: previous)))
                default:
                    g.append(.registerTaken(RegisterTaken(group: "8A", date: newDays[3], session: .am)))
                }
            }
            // Dispose of a few migrated marks: stubs, covered by a retention.disposed in its own batch.
            let chosen = g.recorded.filter { $0.date < now }.map(\.seq).shuffled(using: &g.rng).prefix(6).sorted()
            if !chosen.isEmpty {
                g.time = Timestamp(milliseconds: g.time.milliseconds + 86_400_000)
                let seal = SHA256.hash(Array(chosen.map { g.hashes[$0 - 1].hex }.joined().utf8))
                g.append(.retentionDisposed(RetentionDisposed(before: SchoolDate(year: 2018, month: 12, day: 31)!,
                                                              ranges: chosen.map { RetentionDisposed.Range(firstSeq: $0, lastSeq: $0) },
                                                              count: chosen.count, seal: seal)))
                for seq in chosen {
                    let prev = seq == 1 ? SHA256Digest.zero : g.hashes[seq - 2]
                    g.lines[seq - 1] = Array(#"{"seq":\#(seq),"prev":"\#(prev.hex)","disposed":"\#(g.hashes[seq - 1].hex)"}"#.utf8)
                }
            }
            return g
        }

        /// Writes the ledger in `segments` segments (cut at seeded places) with its checkpoint.
        func write(to directory: String, segments: Int, rng: inout SeededGenerator) throws {
            let paths = LedgerPaths(directory: directory)
            try FileManager.default.createDirectory(atPath: paths.segments, withIntermediateDirectories: true)
            var cuts = (1..<segments).map { _ in Int.random(in: 1..<lines.count, using: &rng) }.sorted()
            cuts = [0] + cuts + [lines.count]
            var offset = 0
            for segment in 1...segments {
                var bytes: [UInt8] = []
                for line in lines[cuts[segment - 1]..<cuts[segment]] { bytes += line + [0x0A] }
                try Data(bytes).write(to: URL(fileURLWithPath: paths.segment(segment)))
                offset = bytes.count
            }
            let checkpoint = Checkpoint(label: "rollbook/123456", count: lines.count, head: hashes.last!, segment: segments, offset: offset)
            try Data(checkpoint.fileBytes).write(to: URL(fileURLWithPath: paths.checkpoint))
        }
    }

    // MARK: Outcomes

    /// Everything a replay ended with, comparable: the state's properties (``LedgerState/differences(from:)``
    /// is checked too), the scan, or the error.
    enum Outcome: Equatable, CustomStringConvertible {
        case loaded(marks: [UInt64: MarkEntry], pupils: [PupilRecord], index: [String: Int], registers: Set<LedgerState.RegisterKey>,
                    interventions: [Int: [LedgerState.RecordedIntervention]], returns: Set<ReturnsSent.Entry>, disposals: [Int],
                    calendar: SchoolCalendar, events: Int, lastAt: Timestamp?, linesRead: Int, head: SHA256Digest, tail: UncommittedTail?)
        case failed(String)

        init(_ body: () throws -> LedgerReplay) {
            do {
                let replay = try body()
                let s = replay.state
                var marks: [UInt64: MarkEntry] = [:]
                s.markStore.forEach { marks[$0.raw] = $1 }
                self = .loaded(marks: marks, pupils: s.pupils, index: s.pupilIndex, registers: s.registersTaken, interventions: s.interventions,
                               returns: s.returnsSent, disposals: s.disposals.map(\.seq), calendar: s.calendar, events: s.eventCount,
                               lastAt: s.lastAt, linesRead: replay.scan.linesRead, head: replay.scan.head, tail: replay.scan.uncommittedTail)
            } catch {
                self = .failed("\(error)")
            }
        }

        var description: String {
            switch self {
            case .loaded(let marks, _, _, _, _, _, _, _, let events, _, let lines, _, _): "loaded \(lines) lines, \(events) events, \(marks.count) marks"
            case .failed(let message): "failed: \(message)"
            }
        }
    }

    static func replay(_ ledger: String, fused: Bool, asOf: Timestamp? = nil) -> Outcome {
        Outcome { try LedgerReplay.load(directory: ledger, asOf: asOf, reference: false, fused: fused) }
    }

    /// The verdict of a verification, comparable.
    struct Verdict: Equatable {
        var fault: LogFault?
        var cacheProblem: String?
        var warnings: [LedgerAudit.Warning]
        var count: Int
        var head: SHA256Digest?
        init(_ v: LedgerVerification) { fault = v.fault; cacheProblem = v.cacheProblem; warnings = v.warnings; count = v.count; head = v.head }
    }

    static func verify(_ ledger: String, fused: Bool) throws -> Verdict {
        Verdict(try LedgerVerification.run(directory: ledger, digestPath: nil, patience: 1, fused: fused))
    }

    // MARK: Tests

    @Test(arguments: [UInt64(0xF05ED), 0xBEEF_CAFE, 0x5EED_0003])
    func seededLedgersReplayAndVerifyAlike(seed: UInt64) throws {
        let dir = try TemporaryDirectory()
        let g = SeededLedger.make(seed: seed, events: 2500)
        var rng = SeededGenerator(seed: seed ^ 0x5E6)
        let ledger = dir.sub("ledger")
        try g.write(to: ledger, segments: 3, rng: &rng)

        let fused = FusedReaderTests.replay(ledger, fused: true)
        let previous = FusedReaderTests.replay(ledger, fused: false)
        let general = Outcome { try LedgerReplay.load(directory: ledger, reference: true) }
        #expect(fused == previous, "fused \(fused), previous \(previous)")
        #expect(fused == general)
        let a = try LedgerReplay.load(directory: ledger), b = try LedgerReplay.load(directory: ledger, reference: false, fused: false)
        #expect(a.state.differences(from: b.state) == [])
        // The ledger holds what the fused fold must get right, and what it leaves to the decoder.
        guard case .loaded(let marks, let pupils, _, _, _, _, let disposals, let calendar, let events, _, let lines, _, _) = fused else {
            Issue.record("the seeded ledger does not load: \(fused)")
            return
        }
        #expect(lines == g.lines.count && events < lines, "stubs are not events")
        #expect(marks.values.contains { $0.amendments > 0 } && marks.values.contains { $0.code.isLegacy })
        #expect(marks.values.contains { $0.minutesLate != nil } && marks.values.contains { $0.recordedAt.milliseconds < 1_600_000_000_000 })
        #expect(pupils.contains { !$0.earlierSpells.isEmpty }, "a re-admission")
        #expect(disposals.count == 1 && !calendar.closures.isEmpty)

        // At as-of moments through the log (the knowledge filter holds back and releases events).
        for fraction in [0.05, 0.4, 0.8] {
            let asOf = Timestamp(milliseconds: 1_725_260_400_000 + Int64(Double(g.time.milliseconds - 1_725_260_400_000) * fraction))
            #expect(FusedReaderTests.replay(ledger, fused: true, asOf: asOf) == FusedReaderTests.replay(ledger, fused: false, asOf: asOf), "as of \(asOf)")
        }
        // With a hook every envelope is seen, in the same order, with the same state before it.
        var seenFused: [Int] = [], seenPrevious: [Int] = []
        var countsFused: [Int] = [], countsPrevious: [Int] = []
        _ = try LedgerReplay.load(directory: ledger, reference: false, fused: true, visit: { e, s in seenFused.append(e.seq); countsFused.append(s.markCount) })
        _ = try LedgerReplay.load(directory: ledger, reference: false, fused: false, visit: { e, s in seenPrevious.append(e.seq); countsPrevious.append(s.markCount) })
        #expect(seenFused == seenPrevious && countsFused == countsPrevious && seenFused.count == events)

        // Verification: the same verdict (this ledger records some sessions twice: a fault both name alike).
        let verdict = try FusedReaderTests.verify(ledger, fused: true)
        #expect(verdict == (try FusedReaderTests.verify(ledger, fused: false)))
        #expect(verdict.fault?.problem.contains("second mark.recorded") == true, "\(String(describing: verdict.fault))")
    }

    @Test func aLedgerThatVerifiesVerifiesAlike() throws {
        let dir = try TemporaryDirectory()
        // Only first marks of each session: drop every mark.recorded for a session already recorded.
        var g = SeededLedger.make(seed: 0xD0_0D, events: 1500)
        var seen: Set<String> = []
        var keep: [[UInt8]] = []
        for line in g.lines {
            let text = String(decoding: line, as: UTF8.self)
            if text.contains("\"mark.recorded\""), let upn = text.range(of: #""upn":""#), let date = text.range(of: #""date":""#),
               let session = text.range(of: #""session":""#) {
                let key = String(text[upn.upperBound...].prefix(13)) + String(text[date.upperBound...].prefix(10)) + String(text[session.upperBound...].prefix(2))
                if !seen.insert(key).inserted { continue }
            }
            if text.contains("\"mark.amended\"") || text.contains("\"disposed\"") || text.contains("retention.disposed") { continue }
            keep.append(line)
        }
        // Re-chain what is kept (seq and prev), as a writer would have written it.
        var rechained = SeededLedger(seed: 0)
        for line in keep {
            let text = String(decoding: line, as: UTF8.self)
            let body = text[text.range(of: #","type":"#)!.lowerBound...]
            let at = String(text[text.range(of: #""at":""#)!.upperBound...].prefix(24))
            let rebuilt = Array(#"{"seq":\#(rechained.lines.count + 1),"at":"\#(at)","prev":"\#((rechained.hashes.last ?? .zero).hex)""#.utf8) + Array(body.utf8)
            rechained.lines.append(rebuilt)
            rechained.hashes.append(SHA256.hash(rebuilt))
        }
        g = rechained
        var rng = SeededGenerator(seed: 7)
        let ledger = dir.sub("ledger")
        try g.write(to: ledger, segments: 2, rng: &rng)
        let verdict = try FusedReaderTests.verify(ledger, fused: true)
        #expect(verdict == (try FusedReaderTests.verify(ledger, fused: false)))
        #expect(verdict.fault == nil, "\(String(describing: verdict.fault))")
        #expect(FusedReaderTests.replay(ledger, fused: true) == FusedReaderTests.replay(ledger, fused: false))
    }

    /// Seeded damage (bytes changed, inserted or removed in one to three nearby lines, in any segment):
    /// the fused replay ends exactly as the previous one (the same state, or the same error naming the
    /// same first bad line), and so does verification.
    @Test func damagedLedgersEndAlike() throws {
        let dir = try TemporaryDirectory()
        let g = SeededLedger.make(seed: 0xDA_3A6E, events: 600)
        var rng = SeededGenerator(seed: 0xDA_3A6F)
        let base = dir.sub("base")
        try g.write(to: base, segments: 2, rng: &rng)
        let paths = LedgerPaths(directory: base)
        let alphabet = Array(#"{}[]":,0123456789abcdefAMPL/\ "#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF, 0x0A]
        var failures = 0
        for round in 0..<60 {
            let segment = 1 + round % 2
            let original = try FileSystem.read(paths.segment(segment))
            var bytes = original
            var starts = [0]
            for (i, byte) in bytes.enumerated() where byte == 0x0A && i + 1 < bytes.count { starts.append(i + 1) }
            starts.append(bytes.count)
            let first = Int.random(in: 0..<max(1, starts.count - 4), using: &rng)
            for line in (first..<min(starts.count - 1, first + Int.random(in: 1...3, using: &rng))).reversed() {
                let start = starts[line], end = max(starts[line] + 1, starts[line + 1] - 1)
                let from = Bool.random(using: &rng) ? min(start + 118, end - 1) : start
                let i = Int.random(in: from..<end, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    var b = alphabet.randomElement(using: &rng)!
                    if b == bytes[i] { b ^= 0x01 }
                    bytes[i] = b
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                default: bytes.remove(at: i)
                }
            }
            let ledger = dir.sub("round\(round)")
            try FileManager.default.copyItem(atPath: base, toPath: ledger)
            try Data(bytes).write(to: URL(fileURLWithPath: LedgerPaths(directory: ledger).segment(segment)))
            let fused = FusedReaderTests.replay(ledger, fused: true)
            #expect(fused == FusedReaderTests.replay(ledger, fused: false), "round \(round)")
            #expect(try FusedReaderTests.verify(ledger, fused: true) == (try FusedReaderTests.verify(ledger, fused: false)), "round \(round)")
            if case .failed = fused { failures += 1 }
            try? FileManager.default.removeItem(atPath: ledger)
        }
        #expect(failures > 50, "the damage is caught: \(failures) of 60")
    }

    /// The verifier agreement table's hostile ledgers (the same 18 cases): replay and verification through
    /// the fused reader end as through the reference.
    @Test(arguments: VerifierAgreementTests.cases)
    func hostileLedgersEndAlike(_ hostile: VerifierAgreementTests.Case) throws {
        let t = try VerifierAgreementTests.base()
        var log = try VerifierAgreementTests.LogBytes(t)
        try hostile.make(t, &log)
        let fused = FusedReaderTests.replay(t.ledger, fused: true)
        #expect(fused == FusedReaderTests.replay(t.ledger, fused: false), "\(fused)")
        let verdict = try FusedReaderTests.verify(t.ledger, fused: true)
        #expect(verdict == (try FusedReaderTests.verify(t.ledger, fused: false)))
        #expect((verdict.fault == nil && verdict.cacheProblem == nil) == hostile.expected.ok, "\(String(describing: verdict.fault))")
    }
}
