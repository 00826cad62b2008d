import Foundation
import Testing

/// `rollbook-replay history` with the tool's own cache (outside the ledger): the same answer as the
/// whole-log replay (`--no-cache`), lines changed after verification refused, the cache extended when the
/// log grows, discarded when the log is rewritten or replaced, rebuilt when damaged, and the ledger never
/// touched.
struct ReplayHistoryCacheTests {
    /// The cache directory the tests name with `--cache` (the default one is tested separately).
    func cacheDirectory(_ t: TestLedger) -> String { t.root.appendingPathComponent("auditor-cache").path }

    func cacheFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".history") }.sorted()
    }

    /// Runs the session's history with the cache and with `--no-cache`, and expects the same exit status,
    /// standard output and standard error.
    @discardableResult
    func expectSame(_ t: TestLedger, _ arguments: [String], cache: String? = nil, environment: [String: String] = [:],
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> (cached: TestLedger.Result, reference: TestLedger.Result) {
        let cached = try t.run("rollbook-replay", ["history"] + arguments + ["--cache", cache ?? cacheDirectory(t)], environment: environment)
        let reference = try t.run("rollbook-replay", ["history"] + arguments + ["--no-cache"])
        let what = arguments.joined(separator: " ")
        #expect(cached.status == reference.status, "\(what): \(cached.stderr)", sourceLocation: sourceLocation)
        #expect(cached.stdout == reference.stdout, "\(what)", sourceLocation: sourceLocation)
        #expect(cached.stderr == reference.stderr, "\(what)", sourceLocation: sourceLocation)
        return (cached, reference)
    }

    /// The standard school with amendments (twice on one session), a `#` closure over marks, a `Y1`
    /// closure over an empty session, a pupil who left and was re-admitted, and a D that a closure leaves.
    func richLedger() throws -> TestLedger {
        let t = try TestLedger()
        try ReplayToolTests().twiceAmended(t)
        t.now = "2025-09-11T16:00:00.000Z"
        t.author = ("Sam Patel", "Attendance Officer")
        try t.markEverySession(days: ["2025-09-11"], upns: ["Y123456789001", "M123456789002", "Q123456789004"]) { upn, _, session in
            upn == "Q123456789004" && session == "AM" ? "D" : nil
        }
        t.now = "2025-09-12T09:00:00.000Z"
        try t.ok(["calendar", "closure", "--from", "2025-09-11", "--to", "2025-09-11", "--code", "#", "--reason", "INSET"])
        try t.ok(["calendar", "closure", "--from", "2025-09-15", "--to", "2025-09-15", "--session", "PM", "--code", "Y1", "--reason", "heating failure"])
        t.now = "2025-09-16T09:00:00.000Z"
        try t.ok(["pupils", "leave", "--upn", "B123456789003", "--on", "2025-09-12", "--ground", "moved away"])
        t.now = "2025-09-22T09:00:00.000Z"
        try t.ok(["pupils", "import", try t.file("back.csv", "upn,forename,surname,dob,year_group,group,admitted\nB123456789003,Olivia,Jones,2014-01-20,7,7A,2025-09-22\n")])
        t.now = "2025-09-23T16:00:00.000Z"
        try t.markEverySession(days: ["2025-09-22", "2025-09-23"], upns: ["B123456789003"]) { _, _, _ in nil }
        t.now = "2025-09-24T10:00:00.000Z"
        try t.ok(["amend", "--upn", "B123456789003", "--date", "2025-09-22", "--session", "PM", "--code", "M", "--reason", "dentist"])
        return t
    }

    static let sessions: [[String]] = [
        ["Y123456789001", "2025-09-03", "AM"], ["M123456789002", "2025-09-03", "AM"], ["M123456789002", "2025-09-08", "AM"],
        ["Y123456789001", "2025-09-11", "AM"], ["Q123456789004", "2025-09-11", "AM"], ["Q123456789004", "2025-09-11", "PM"],
        ["E123456789005", "2025-09-15", "PM"], ["B123456789003", "2025-09-22", "PM"], ["B123456789003", "2025-09-03", "AM"],
        ["U123456789006", "2025-09-04", "PM"], ["F999999999999", "2025-09-03", "AM"],
    ]

    @Test func cachedHistoryEqualsTheWholeLogReplay() throws {
        let t = try richLedger()
        let before = try ReplayToolTests.listing(t.ledger)
        let moments: [String?] = [nil, "2025-09-01", "2025-09-04T11:29:59Z", "2025-09-04T11:30:00Z", "2025-09-09", "2025-09-12T09:00:00Z", "2025-09-23"]
        var withValues = 0
        for session in Self.sessions {
            for asOf in moments {
                for format in ["text", "csv", "json"] {
                    let arguments = ["--upn", session[0], "--date", session[1], "--session", session[2], "--format", format]
                        + (asOf.map { ["--as-of", $0] } ?? [])
                    let (cached, _) = try expectSame(t, arguments)
                    if format == "json", cached.stdout.contains("\"seq\"") { withValues += 1 }
                }
            }
        }
        #expect(withValues > 20, "the comparison covers sessions with values")
        // One cache file, outside the ledger, which is byte-for-byte unchanged and gained no file.
        #expect(cacheFiles(cacheDirectory(t)).count == 1)
        #expect(try ReplayToolTests.listing(t.ledger) == before)
    }

    @Test func migratedHistoryAndARetentionDisposalGiveTheSameHistory() throws {
        let (t, _) = try RetentionTests().makeLedger()
        let cases: [[String]] = [
            ["--upn", "Y123456789001", "--date", "2019-09-05", "--session", "AM"],
            ["--upn", "M123456789002", "--date", "2019-09-06", "--session", "PM"],
            ["--upn", "Y123456789001", "--date", "2025-09-04", "--session", "AM"],
        ]
        // Before the pupils' admissions were appended (2025), their 2019 marks were known from recorded_at.
        let moments: [[String]] = [[], ["--as-of", "2019-09-05T12:00:00Z"], ["--as-of", "2019-09-10"], ["--as-of", "2025-09-05"]]
        func compareAll() throws {
            for c in cases { for m in moments { try expectSame(t, c + m + ["--format", "json"]) } }
        }
        try compareAll()
        let early = try t.ok(["history"] + cases[0] + ["--as-of", "2019-09-10", "--format", "json", "--cache", cacheDirectory(t)], tool: "rollbook-replay")
        #expect(early.contains("\"I\""), "the migrated mark is shown as known in 2019: \(early)")
        try t.ok(["retention", "dispose", "--before", "2020-01-01", "--confirm"])
        // The disposal rewrote the segments the cache describes: it is discarded and rebuilt, and the answers agree.
        let after = try t.run("rollbook-replay", ["history"] + cases[0] + ["--cache", cacheDirectory(t)])
        #expect(after.status == 0)
        #expect(after.stderr.contains("no longer matches this ledger"), "\(after.stderr)")
        #expect(after.stdout.contains("disposed of under retention"))
        try compareAll()
    }

    @Test func aDisposalFinishedAfterTheCacheWasBuiltIsNotMistakenForTampering() throws {
        let (t, _) = try RetentionTests().makeLedger()
        let failed = try t.run("rollbook", ["retention", "dispose", "--before", "2020-01-01", "--confirm"],
                               environment: ["ROLLBOOK_FAULT": "rename-rewritten-segment"])
        #expect(failed.status == 1)
        let sessions = [["--upn", "Y123456789001", "--date", "2019-09-05", "--session", "AM"],
                        ["--upn", "Y123456789001", "--date", "2025-09-04", "--session", "AM"]]
        for session in sessions { try expectSame(t, session) }
        // The next disposal finishes the first: the lines are stubbed in place and the later lines move.
        try t.ok(["retention", "dispose", "--before", "2020-01-01", "--confirm"])
        var notes = ""
        for session in sessions {
            let cached = try t.run("rollbook-replay", ["history"] + session + ["--cache", cacheDirectory(t)])
            let reference = try t.run("rollbook-replay", ["history"] + session + ["--no-cache"])
            #expect(cached.status == 0 && cached.stdout == reference.stdout, "\(cached.stderr)")
            notes += cached.stderr
        }
        #expect(notes.contains("after a retention disposal; the whole log is verified again"), "\(notes)")
        #expect(try t.run("rollbook-replay", ["history"] + sessions[0] + ["--no-cache"]).stdout.contains("disposed of under retention"))
        for session in sessions { try expectSame(t, session) }
    }

    @Test func aLineChangedAfterTheCacheWasBuiltIsRefusedNamingIt() throws {
        let t = try TestLedger()
        try ReplayToolTests().twiceAmended(t)
        let session = ["history", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--cache", cacheDirectory(t)]
        let good = try t.ok(session, tool: "rollbook-replay")
        #expect(good.contains("appointment card seen"))
        // The first amendment of that session, rewritten in place (same length): "I" becomes "/".
        let segment = t.ledger + "/segments/000001.jsonl"
        var lines = try String(contentsOfFile: segment, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains("\"mark.amended\"") && $0.contains("\"amended\":\"I\"") })
        let seq = index + 1
        lines[index] = lines[index].replacingOccurrences(of: "\"amended\":\"I\"", with: "\"amended\":\"/\"")
        try lines.joined(separator: "\n").write(toFile: segment, atomically: false, encoding: .utf8)
        let refused = try t.run("rollbook-replay", session)
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty, "nothing is shown from a changed log")
        #expect(refused.stderr.contains("seq \(seq) (segments/000001.jsonl line \(seq))"), "\(refused.stderr)")
        #expect(refused.stderr.contains("no longer has the hash"))
        // The whole-log replay refuses it too; a session whose lines are intact is still answered from the cache.
        #expect(try t.run("rollbook-replay", Array(session.dropLast(2)) + ["--no-cache"]).status == 1)
        let other = try t.run("rollbook-replay", ["history", "--upn", "M123456789002", "--date", "2025-09-08", "--session", "AM", "--cache", cacheDirectory(t)])
        #expect(other.status == 0 && other.stdout.contains("no reason given"))
    }

    @Test func anAppendedLogExtendsTheCache() throws {
        let t = try TestLedger()
        try ReplayToolTests().twiceAmended(t)
        let before = try ReplayToolTests.listing(t.ledger)
        let session = ["--upn", "M123456789002", "--date", "2025-09-08", "--session", "AM"]
        try expectSame(t, session)
        let file = cacheDirectory(t) + "/" + (try #require(cacheFiles(cacheDirectory(t)).first))
        let built = try checkpointCount(t)
        #expect(try cachedCount(file) == built)
        #expect(try ReplayToolTests.listing(t.ledger) == before)
        // Two lines appended: verified from the cached head and kept in a tail beside the cache.
        t.now = "2025-09-12T09:00:00.000Z"
        try t.ok(["amend", "--upn", "M123456789002", "--date", "2025-09-08", "--session", "AM", "--code", "I", "--reason", "doctor's note"])
        try t.ok(["mark", "--upn", "Q123456789004", "--date", "2025-09-11", "--session", "AM", "--code", "/"])
        let (cached, _) = try expectSame(t, session)
        #expect(cached.stdout.contains("doctor's note"))
        #expect(cached.stderr.isEmpty, "extending is not a rebuild: no warning")
        #expect(try cachedCount(file) == built, "the cache itself is not rewritten")
        #expect(try cachedCount(file + "-tail") == checkpointCount(t), "its tail covers the appended lines")
        try expectSame(t, ["--upn", "Q123456789004", "--date", "2025-09-11", "--session", "AM"])
        // A line of the tail changed since it was verified is refused, naming it.
        let segment = t.ledger + "/segments/000001.jsonl"
        var lines = try String(contentsOfFile: segment, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains("doctor's note") })
        let original = lines[index]
        lines[index] = original.replacingOccurrences(of: "doctor's note", with: "doctor's NOTE")
        try lines.joined(separator: "\n").write(toFile: segment, atomically: false, encoding: .utf8)
        let refused = try t.run("rollbook-replay", ["history"] + session + ["--cache", cacheDirectory(t)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("seq \(index + 1) (segments/000001.jsonl line \(index + 1)) no longer has the hash"), "\(refused.stderr)")
        lines[index] = original
        try lines.joined(separator: "\n").write(toFile: segment, atomically: false, encoding: .utf8)
        // A damaged tail is set aside with a warning: its lines are verified again.
        var tailBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file + "-tail")))
        tailBytes[120] ^= 0x01
        try Data(tailBytes).write(to: URL(fileURLWithPath: file + "-tail"))
        let reread = try t.run("rollbook-replay", ["history"] + session + ["--cache", cacheDirectory(t)])
        let reference = try t.run("rollbook-replay", ["history"] + session + ["--no-cache"])
        #expect(reread.status == 0 && reread.stdout == reference.stdout)
        #expect(reread.stderr.contains("is damaged") && reread.stderr.contains("verified again"), "\(reread.stderr)")
        #expect(try cachedCount(file + "-tail") == checkpointCount(t))
        // More lines than the tail may hold: merged into a new cache, and the tail is gone.
        t.now = "2025-09-15T16:00:00.000Z"
        try t.markEverySession(days: ["2025-09-15"], upns: ["Y123456789001", "M123456789002", "B123456789003"]) { _, _, _ in nil }
        let (merged, _) = try expectSame(t, ["--upn", "B123456789003", "--date", "2025-09-15", "--session", "PM"], environment: ["ROLLBOOK_REPLAY_TAIL": "0"])
        #expect(merged.stderr.isEmpty)
        #expect(try cachedCount(file) == checkpointCount(t))
        #expect(!FileManager.default.fileExists(atPath: file + "-tail"))
        try expectSame(t, session)
        #expect(Set(try ReplayToolTests.listing(t.ledger).keys) == Set(before.keys), "the ledger gained no file")
    }

    @Test func bytesAfterTheCheckpointAreWarnedAboutAsWithoutTheCache() throws {
        let t = try TestLedger()
        try ReplayToolTests().twiceAmended(t)
        let session = ["--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM"]
        try expectSame(t, session)
        // A torn write, then a complete line that was never committed: ignored, with the same warning.
        let handle = try #require(FileHandle(forWritingAtPath: t.ledger + "/segments/000001.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data("{\"seq\":99,\"at\":\"2025-09-".utf8))
        try handle.close()
        let (torn, _) = try expectSame(t, session)
        #expect(torn.stderr.contains("bytes after the last committed event"))
        #expect(torn.stdout.contains("appointment card seen"))
    }

    @Test func aReplacedOrRewrittenLedgerDiscardsTheCache() throws {
        let t = try TestLedger()
        try ReplayToolTests().twiceAmended(t)
        let session = ["--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM"]
        try expectSame(t, session)
        // Another ledger of the same school at the same path: same label, another history.
        let old = t.root.appendingPathComponent("old-ledger").path
        try FileManager.default.moveItem(atPath: t.ledger, toPath: old)
        try t.standardSchool()
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        let replaced = try t.run("rollbook-replay", ["history"] + session + ["--cache", cacheDirectory(t)])
        #expect(replaced.status == 0)
        #expect(replaced.stderr.contains("no longer matches this ledger"), "\(replaced.stderr)")
        #expect(replaced.stdout == (try t.run("rollbook-replay", ["history"] + session + ["--no-cache"])).stdout)
        #expect(!replaced.stdout.contains("appointment card seen"))
        // The same history consistently rewritten (every later prev recomputed) is discarded too.
        var log = try VerifierAgreementTests.LogBytes(t)
        log.edit(seq: log.seq(of: "\"code\":\"/\""), "\"code\":\"/\"", "\"code\":\"B\"")
        try log.write(t)
        let rewritten = try t.run("rollbook-replay", ["history"] + session + ["--cache", cacheDirectory(t)])
        #expect(rewritten.stderr.contains("no longer matches this ledger"), "\(rewritten.stderr)")
        #expect(rewritten.stdout == (try t.run("rollbook-replay", ["history"] + session + ["--no-cache"])).stdout)
        #expect(rewritten.stdout.contains(" B "))
    }

    @Test(arguments: ["header", "every data page", "truncated", "not a cache", "empty"])
    func aDamagedCacheIsRebuiltWithAWarning(_ damage: String) throws {
        let t = try TestLedger()
        try ReplayToolTests().twiceAmended(t)
        let session = ["--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM"]
        let (first, _) = try expectSame(t, session)
        let file = cacheDirectory(t) + "/" + (try #require(cacheFiles(cacheDirectory(t)).first))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let page = 4096
        switch damage {
        case "header": bytes[100] ^= 0x01
        case "every data page":
            let headerLength = Int(bytes[32]) | Int(bytes[33]) << 8 | Int(bytes[34]) << 16
            for p in stride(from: headerLength, to: bytes.count, by: page) { bytes[p + 7] ^= 0x40 }
        case "truncated": bytes.removeLast(page)
        case "not a cache": bytes = Array("hello\n".utf8)
        default: bytes = []
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let damaged = try t.run("rollbook-replay", ["history"] + session + ["--cache", cacheDirectory(t)])
        #expect(damaged.status == 0)
        #expect(damaged.stdout == first.stdout)
        #expect(damaged.stderr.contains("warning: The replay cache \(file) is damaged"), "\(damaged.stderr)")
        // Rebuilt: the next query is quiet.
        let (again, _) = try expectSame(t, session)
        #expect(again.stderr.isEmpty)
    }

    @Test func theDefaultCacheIsPerUserAndOptionsChooseOrRefuseIt() throws {
        let t = try TestLedger()
        try ReplayToolTests().twiceAmended(t)
        let before = try ReplayToolTests.listing(t.ledger)
        let session = ["history", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM"]
        // $XDG_CACHE_HOME/rollbook-replay (TestLedger sets it to the test's directory)...
        try t.ok(session, tool: "rollbook-replay")
        let xdg = t.root.appendingPathComponent("cache/rollbook-replay").path
        let files = cacheFiles(xdg)
        #expect(files.count == 1 && files[0].hasPrefix("rollbook-123456-"), "\(files)")
        // ... else $HOME/.cache/rollbook-replay.
        let home = t.root.appendingPathComponent("home").path
        let r = try t.run("rollbook-replay", session, environment: ["XDG_CACHE_HOME": "", "HOME": home])
        #expect(r.status == 0)
        #expect(cacheFiles(home + "/.cache/rollbook-replay").count == 1)
        // --no-cache writes no cache; a cache inside the ledger is refused.
        let none = t.root.appendingPathComponent("none").path
        try t.ok(session + ["--no-cache"], tool: "rollbook-replay")
        #expect(!FileManager.default.fileExists(atPath: none))
        let inside = try t.run("rollbook-replay", session + ["--cache", t.ledger + "/cache"])
        #expect(inside.status == 64)
        #expect(inside.stderr.contains("outside the ledger"))
        #expect(try t.run("rollbook-replay", session + ["--cache", none, "--no-cache"]).status == 64)
        #expect(try ReplayToolTests.listing(t.ledger) == before, "the ledger gained no file and changed no byte")
        // The help says what the cache holds and that it is never evidence.
        let help = try t.ok(["history", "--help"], tool: "rollbook-replay")
        #expect(help.contains("never evidence") && help.contains("--no-cache"))
    }

    /// The verified count a cache file's header records.
    func cachedCount(_ file: String) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        return (0..<8).reduce(0) { $0 | Int(bytes[48 + $1]) << (8 * $1) }
    }

    func checkpointCount(_ t: TestLedger) throws -> Int {
        let text = try String(contentsOfFile: t.ledger + "/checkpoint", encoding: .utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try #require(json["count"] as? Int)
    }
}
