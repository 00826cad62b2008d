import Foundation
import RollbookLog
import Testing

#if canImport(Glibc)
import Glibc
import RollbookTestSupport
#endif

/// `marks import` and `pupils import` fed seeded random and mutated CSV files through the real
/// executable: never a crash, never a hang (each run is bounded), and a refused import writes nothing.
@Suite("Import fuzzing")
struct ImportFuzzTests {
    static let validMarks = #"""
        upn,date,session,code,minutes_late,note
        Y123456789001,2025-09-04,AM,/,,
        M123456789002,2025-09-04,AM,L,12,"bus, late"
        B123456789003,2025-09-04,PM,\,,
        Q123456789004,2025-09-05,AM,M,,"dentist ""Smile"""
        E123456789005,2025-09-05,PM,C,,

        """#
    static let validPupils = #"""
        upn,forename,surname,dob,year_group,group,admitted,sen,ehcp,pp,fsm
        K123456789020,Zoë,O'Brien,2014-03-02,7,7A,2025-09-03,N,N,Y,Y
        Z123456789021,"Siân ""Sunny""",Jones,2014-05-11,7,7B,2025-09-03,Y,N,N,N

        """#

    /// One fuzzed input: a random mutation of a valid file, or random bytes.
    static func mutate(_ base: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = base
        let alphabet = Array(",\"\n\r\\/ ALMPU0123456789-:".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF]
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:  // random bytes
            return (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1:  // random CSV-ish characters
            return (0..<Int.random(in: 0...300, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
        default:  // a few point mutations: replace, insert, delete, duplicate a span
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[i] = Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                case 2: bytes.remove(at: i)
                default:
                    let end = min(bytes.count, i + Int.random(in: 1...40, using: &rng))
                    bytes.insert(contentsOf: bytes[i..<end], at: Int.random(in: 0...bytes.count, using: &rng))
                }
            }
            return bytes
        }
    }

    /// Runs rollbook bounded in time: killed (and reported) if it takes longer than `seconds`.
    static func boundedRun(_ t: TestLedger, _ arguments: [String], seconds: Double = 20) throws -> (status: Int32, signalled: Bool, timedOut: Bool, stdout: String, stderr: String) {
        let (process, out, err) = try t.start(arguments)
        let deadline = Date().addingTimeInterval(seconds)
        nonisolated(unsafe) var timedOut = false
        let watchdog = DispatchWorkItem {
            if process.isRunning { timedOut = true; kill(process.processIdentifier, SIGKILL) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        _ = deadline
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, timedOut, stdout, stderr)
    }

    @Test("120 random and mutated CSV files per importer: no crash, no hang, nothing written when refused",
          arguments: ["marks", "pupils"])
    func fuzzImport(_ kind: String) throws {
        let t = try TestLedger()
        try t.standardSchool()
        var rng = SeededGenerator(seed: kind == "marks" ? 0x3A4C : 0x9E01)
        let base = Array((kind == "marks" ? Self.validMarks : Self.validPupils).utf8)
        var refused = 0, accepted = 0
        for i in 0..<120 {
            let input = Self.mutate(base, &rng)
            let path = t.root.appendingPathComponent("fuzz-\(i).csv").path
            try Data(input).write(to: URL(fileURLWithPath: path))
            let before = try t.snapshot()
            let r = try Self.boundedRun(t, [kind, "import", path])
            #expect(!r.signalled && !r.timedOut, "input \(i) crashed or hung (status \(r.status))")
            #expect(r.status == 0 || r.status == 1, "input \(i): status \(r.status): \(r.stderr)")
            if r.status == 0 {
                accepted += 1
            } else {
                refused += 1
                #expect(try t.snapshot() == before, "a refused import of input \(i) wrote something")
                #expect(r.stderr.contains("Nothing was written") || r.stderr.contains("line"), "input \(i): \(r.stderr)")
                for name in ["Zoë", "O'Brien", "Siân", "Sunny", "2014-03-02", "2014-05-11"] {
                    #expect(!r.stderr.contains(name), "input \(i) printed personal data")
                }
            }
            try FileManager.default.removeItem(atPath: path)
        }
        #expect(try t.verifyBoth() == (VerifyOutcome.verifies, VerifyOutcome.verifies))
        #expect(refused > 60, "most mutations are refused (\(accepted) accepted)")
        print("import fuzz (\(kind)): 120 inputs, \(refused) refused, \(accepted) accepted")
    }
}
