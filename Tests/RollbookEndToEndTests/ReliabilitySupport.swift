import Foundation
import RollbookDomain
import RollbookLog
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Shared helpers for the end-to-end reliability suites: a seeded generator, the events a ledger
// holds, both verifiers, child processes that can be killed, and the fixture's personal data.


/// The personal data in ``TestLedger/standardSchool()`` that no message may ever show.
let fixturePersonalData = ["Amelia", "Khan", "Noah", "Smith", "Olivia", "Jones", "Taylor", "Isla", "Brown", "Oscar", "Wilson",
                           "2014-03-02", "2014-05-11", "2014-01-20", "2013-11-30", "2014-07-07", "2014-02-14"]

/// The school days of the standard school's first weeks (Autumn 1 starts Wednesday 2025-09-03).
let standardSchoolDays: [String] = {
    var days: [String] = []
    var day = SchoolDate("2025-09-03")!
    while days.count < 35 {
        if !day.isWeekend { days.append(day.description) }
        day = day.adding(days: 1)
    }
    return days
}()

extension TestLedger {
    /// The committed events, read in-process with the log reader.
    func events() throws -> [EventEnvelope] {
        var out: [EventEnvelope] = []
        _ = try LogReader(directory: ledger).scan { line in out.append(try EventEnvelope(line: line)) }
        return out
    }

    /// The marks recorded, as `UPN date session code` strings.
    func markKeys() throws -> [String] {
        try events().compactMap { envelope in
            if case .markRecorded(let m) = envelope.event { return "\(m.upn) \(m.date) \(m.session) \(m.code)" }
            return nil
        }
    }

    /// `rollbook verify --format json` and `tools/verify_ledger.py --json`: (ok, first bad seq) of each.
    func verifyBoth(digest: String? = nil) throws -> (swift: VerifyOutcome, python: VerifyOutcome) {
        var swiftArgs = ["verify", "--format", "json"]
        if let digest { swiftArgs += ["--digest", digest] }
        let swift = try run("rollbook", swiftArgs)
        var pyArgs = [TestLedger.packageRoot.appendingPathComponent("tools/verify_ledger.py").path, ledger, "--json"]
        if let digest { pyArgs += ["--digest", digest] }
        let python = try runExternal("/usr/bin/env", ["python3"] + pyArgs)
        return (VerifyOutcome(json: swift.stdout, status: swift.status), VerifyOutcome(json: python.stdout, status: python.status))
    }

    /// Runs any program (not a Rollbook tool) in the test directory.
    func runExternal(_ path: String, _ arguments: [String]) throws -> Result {
        try TestLedger.execute(URL(fileURLWithPath: path), arguments, in: root)
    }

    /// Starts `rollbook` without waiting; the caller waits or kills it.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = TestLedger.binaries.appendingPathComponent("rollbook")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ROLLBOOK_LEDGER"] = ledger
        env["ROLLBOOK_NOW"] = now
        env["ROLLBOOK_AUTHOR"] = author.0
        env["ROLLBOOK_POSITION"] = author.1
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Asserts that no personal data of the fixture appears in a command's output.
    func expectNoPersonalData(_ result: Result, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in fixturePersonalData {
            #expect(!result.stderr.contains(word) && !result.stdout.contains(word), "\(context) printed \(word)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// What a verifier said: whether the ledger verified and the first bad seq it named.
struct VerifyOutcome: Equatable, CustomStringConvertible {
    var ok: Bool
    var firstBadSeq: Int?
    init(ok: Bool, firstBadSeq: Int?) {
        self.ok = ok
        self.firstBadSeq = firstBadSeq
    }
    init(json: String, status: Int32) {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        ok = (object["ok"] as? Bool ?? false) && status == 0
        firstBadSeq = object["first_bad_seq"] as? Int
    }
    static let verifies = VerifyOutcome(ok: true, firstBadSeq: nil)
    static func fails(at seq: Int) -> VerifyOutcome { VerifyOutcome(ok: false, firstBadSeq: seq) }
    var description: String { ok ? "ok" : "fails at \(firstBadSeq.map(String.init) ?? "?")" }
}
