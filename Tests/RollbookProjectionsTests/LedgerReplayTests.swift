import Foundation
import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import RollbookTestSupport
import Testing

/// The fast reader (``EventLineDecoder`` into the compact ``MarkStore``) against the reference reader
/// (the general JSON decoder ``EventEnvelope/init(line:)``), on the demo ledger and a generated one.
struct LedgerReplayTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var demo: String { packageRoot.appendingPathComponent("events/demo").path }

    /// Generates a small ledger with tools/bench/generate.py: two academic years (the older one migrated,
    /// with legacy codes and recorded_at), amendments, closures and leavers.
    static func generated() throws -> (directory: URL, ledger: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rollbook-replay-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("tools/bench/generate.py").path, dir.path,
                             "--pupils", "40", "--years", "2", "--weeks", "1"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "tools/bench/generate.py failed")
        return (dir, dir.appendingPathComponent("ledger").path)
    }

    /// Everything the state holds, in a comparable form.
    struct Contents: Equatable {
        var school: LedgerOpened?
        var calendar: SchoolCalendar
        var pupils: [PupilRecord]
        var pupilIndex: [String: Int]
        var marks: [UInt64: MarkEntry]
        var markCount: Int
        var registers: Set<LedgerState.RegisterKey>
        var interventions: [Int: [LedgerState.RecordedIntervention]]
        var returns: Set<ReturnsSent.Entry>
        var disposals: [Int]
        var eventCount: Int
        var lastAt: Timestamp?

        init(_ s: LedgerState) {
            school = s.school; calendar = s.calendar; pupils = s.pupils; pupilIndex = s.pupilIndex
            var marks: [UInt64: MarkEntry] = [:]
            s.markStore.forEach { marks[$0.raw] = $1 }
            self.marks = marks
            markCount = s.markCount
            registers = s.registersTaken; interventions = s.interventions; returns = s.returnsSent
            disposals = s.disposals.map(\.seq); eventCount = s.eventCount; lastAt = s.lastAt
        }
    }

    func compare(_ ledger: String) throws -> (events: Int, marks: Int, amended: Int, legacy: Int, closures: Int) {
        let fast = try LedgerReplay.load(directory: ledger, reference: false)
        let reference = try LedgerReplay.load(directory: ledger, reference: true)
        let a = Contents(fast.state), b = Contents(reference.state)
        #expect(a.marks.count == b.marks.count)
        #expect(a.marks.count == a.markCount)
        for (key, entry) in b.marks where a.marks[key] != entry {
            Issue.record("mark \(MarkKey(raw: key)) differs: fast \(String(describing: a.marks[key])), reference \(entry)")
            break
        }
        #expect(a == b)
        // Every stored mark is also what mark(pupil:date:session:) answers.
        for (raw, entry) in b.marks {
            let key = MarkKey(raw: raw)
            #expect(fast.state.mark(pupil: key.pupil, date: key.date, session: key.session) == entry)
        }
        let amended = b.marks.values.filter { $0.amendments > 0 }.count
        let legacy = b.marks.values.filter(\.code.isLegacy).count
        return (b.eventCount, b.marks.count, amended, legacy, b.calendar.closures.count)
    }

    @Test func fastAndReferenceReadersAgreeOnTheDemoLedger() throws {
        let seen = try compare(LedgerReplayTests.demo)
        #expect(seen.marks > 500)
        #expect(seen.amended > 0)
    }

    @Test func fastAndReferenceReadersAgreeOnAGeneratedLedger() throws {
        let (dir, ledger) = try LedgerReplayTests.generated()
        defer { try? FileManager.default.removeItem(at: dir) }
        let seen = try compare(ledger)
        #expect(seen.marks > 2000)
        #expect(seen.amended > 20)
        #expect(seen.legacy > 0)
        #expect(seen.closures > 0)
    }

    @Test func everyLineDecodesAsTheReferenceDoes() throws {
        let (dir, ledger) = try LedgerReplayTests.generated()
        defer { try? FileManager.default.removeItem(at: dir) }
        for path in [LedgerReplayTests.demo, ledger] {
            var decoder = EventLineDecoder()
            var mismatches = 0
            let scan = try LogReader(directory: path).scan { line in
                if try decoder.decode(line) != (try EventEnvelope(line: line)) { mismatches += 1 }
            }
            #expect(scan.isIntact)
            #expect(mismatches == 0)
            // Marks, amendments and registers take the fast path; the rest go to the general decoder.
            #expect(decoder.generalLines * 10 < decoder.fastLines)
            #expect(decoder.generalLines > 0)
        }
    }

    /// Lines in the catalogue's form that the fast path must hand to the general decoder, or read the same.
    @Test(arguments: [
        #""type":"mark.recorded","v":1,"author":"Zoë Brontë","position":"Attendance Officer","upn":"Y123456789001","date":"2025-09-03","session":"AM","code":"/""#,
        #""type":"mark.recorded","v":1,"author":"Sam \"S\" Patel","position":"AO","upn":"Y123456789001","date":"2025-09-03","session":"PM","code":"\\""#,
        #""type":"mark.recorded","v":1,"author":"S","position":"P","upn":"Y123456789001","date":"2025-09-03","session":"AM","code":"L","minutes_late":5,"note":"bus""#,
        #""type":"mark.recorded","v":1,"author":"S","position":"P","upn":"Y123456789001","date":"2025-09-03","session":"AM","code":"L","minutes_late":70000"#,
        #""type":"mark.recorded","v":1,"author":"S","position":"P","upn":"Y123456789001","date":"2019-09-03","session":"AM","code":"H","recorded_at":"2019-09-03T09:05:00.000Z""#,
        #""type":"mark.recorded","v":1,"author":"S","position":"P","upn":"Y123456789001","date":"2019-09-03","session":"AM","code":"C1","recorded_at":"2019-09-03T09:05:00Z""#,
        #""type":"mark.amended","v":1,"author":"S","position":"P","upn":"Y123456789001","date":"2025-09-03","session":"AM","original":"L","original_minutes_late":5,"amended":"U","minutes_late":25,"reason":"late","amended_on":"2025-09-04""#,
        #""type":"register.taken","v":1,"author":"S","position":"P","group":"7A","date":"2025-09-03","session":"PM""#,
        #""type":"register.taken","v":1,"author":"S","position":"P","date":"2025-09-03","group":"7A","session":"PM""#,
    ])
    func unusualLinesDecodeAsTheReferenceDoes(body: String) throws {
        // A one-line ledger holding the line, read back through the log reader.
        let one = #"{"seq":1,"at":"2025-09-03T09:05:00.000Z","prev":"\#(String(repeating: "0", count: 64))",\#(body)}"#
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rollbook-line-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("segments"), withIntermediateDirectories: true)
        try Data((one + "\n").utf8).write(to: dir.appendingPathComponent("segments/000001.jsonl"))
        let head = SHA256.hash(Array(one.utf8)).hex
        try Data(#"{"label":"rollbook/123456","count":1,"head":"\#(head)","segment":1,"offset":\#(one.utf8.count + 1)}"#.utf8 + [0x0A])
            .write(to: dir.appendingPathComponent("checkpoint"))
        var decoder = EventLineDecoder()
        var compared = 0
        let scan = try LogReader(directory: dir.path).scan { line in
            let fast = Result { () throws(EventDecodingError) in try decoder.decode(line) }
            let reference = Result { () throws(EventDecodingError) in try EventEnvelope(line: line) }
            #expect(fast == reference)
            compared += 1
        }
        #expect(scan.isIntact)
        #expect(compared == 1)
    }

    /// What a replay ended with: the state, or the error it threw.
    enum Outcome: Equatable {
        case loaded(Contents)
        case failed(String)
    }

    static func outcome(_ ledger: String, reference: Bool) -> Outcome {
        do {
            return .loaded(Contents(try LedgerReplay.load(directory: ledger, reference: reference).state))
        } catch {
            return .failed("\(error)")
        }
    }

    /// The fast replay checks a line's JSON only when the exact decoder does not take the line. On seeded
    /// damage to a generated ledger's lines (bytes changed, inserted or removed, one to three nearby lines)
    /// it must end exactly as the reference replay (which checks and decodes every line fully) and, when
    /// the log is at fault, name the same first bad line as the reader that checks every line up front.
    @Test func damagedLinesAreJudgedAsWhenEveryLineIsChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rollbook-replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", LedgerReplayTests.packageRoot.appendingPathComponent("tools/bench/generate.py").path, dir.path,
                             "--pupils", "10", "--years", "1", "--weeks", "1"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "tools/bench/generate.py failed")
        let ledger = dir.appendingPathComponent("ledger").path
        let segment = dir.appendingPathComponent("ledger/segments/000001.jsonl")
        let original = [UInt8](try Data(contentsOf: segment))
        try #require(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("ledger/segments/000002.jsonl").path))
        var starts = [0]
        for (i, byte) in original.enumerated() where byte == 0x0A && i + 1 < original.count { starts.append(i + 1) }
        let alphabet = Array(#"{}[]":,0123456789abcdefAMPL/\ "#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF, 0x0A]

        var rng = SeededGenerator(seed: 0xFA57_5CA9)
        var notJSON = 0, changed = 0, decodingErrors = 0, loaded = 0
        for round in 0..<40 {
            var bytes = original
            // Damage one to three nearby lines, after their prefix (where only the JSON check can see it)
            // or anywhere in the line.
            let first = Int.random(in: 1..<(starts.count - 4), using: &rng)
            for line in (first..<(first + Int.random(in: 1...3, using: &rng))).reversed() {
                let start = starts[line], end = starts[line + 1] - 1
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
            try Data(bytes).write(to: segment)
            let context = "round \(round), lines from \(first + 1)"
            let checkedUpFront = try LogReader(directory: ledger).scan { _ in }
            let fast = LedgerReplayTests.outcome(ledger, reference: false)
            let reference = LedgerReplayTests.outcome(ledger, reference: true)
            #expect(fast == reference, "\(context)")
            let verdict = "\(LogError.verificationFailed(checkedUpFront.fault ?? LogFault(seq: 0, segment: nil, line: nil, problem: "")))"
            switch fast {
            case .failed(let message) where message.hasPrefix("Verification failed"):
                // The same first bad line, named the same way.
                #expect(message == verdict, "\(context)")
                if message.contains("not one valid JSON object") { notJSON += 1 } else { changed += 1 }
            case .failed:
                // A damaged line that is still JSON but not an event stops the fold before the chain check
                // reaches the next line (the reference replay above ends the same way).
                #expect(checkedUpFront.fault != nil, "\(context)")
                decodingErrors += 1
            case .loaded:
                loaded += 1
            }
        }
        try Data(original).write(to: segment)
        #expect(LedgerReplayTests.outcome(ledger, reference: false) == LedgerReplayTests.outcome(ledger, reference: true))
        // The damage reached every kind of verdict.
        #expect(notJSON > 5, "lines that are no longer JSON: \(notJSON)")
        #expect(changed > 5, "changed lines that are still JSON: \(changed)")
        #expect(decodingErrors > 0, "damaged lines that are JSON but not events: \(decodingErrors)")
        #expect(loaded == 0, "every damage is caught")
    }
}
