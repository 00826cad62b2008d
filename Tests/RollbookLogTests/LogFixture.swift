import Foundation
import Testing

@testable import RollbookLog
@testable import RollbookLogWriter

// Shared helpers for the reliability suites of the log: temporary ledgers built with the real
// writer, a seeded generator, byte-level edits, and a batch driver for tools/verify_ledger.py.


/// A temporary directory removed when the value goes away.
///
/// It lives in /dev/shm when there is one: these suites append thousands of times, and an fsync on a
/// disk costs milliseconds while on tmpfs it is free. What they test (which bytes are where, and what
/// the reader and writer make of them) does not depend on the medium.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String
    static let base: URL = {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
           FileManager.default.isWritableFile(atPath: "/dev/shm") {
            return URL(fileURLWithPath: "/dev/shm")
        }
        return FileManager.default.temporaryDirectory
    }()
    init(_ name: String = "rollbook-log") throws {
        path = TemporaryDirectory.base.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func sub(_ name: String) -> String { path + "/" + name }
}

/// Ledgers written by the real ``LogWriter`` and edited byte by byte.
enum LogFixture {
    static let label = "rollbook/123456"

    /// An event-like record with names, escapes and non-ASCII text, as real lines have.
    static func record(_ i: Int) -> [UInt8] {
        let names = ["Zoë O'Brien", #"Siân \"Sunny\" Jones"#, "Łukasz Nowak", "Amaka Obi/Eze", #"Tom\tLee"#]
        let body = #"{"type":"test.event","v":1,"author":"Sam Patel","position":"Attendance Officer","n":\#(i),"#
            + #""name":"\#(names[i % names.count])","codes":["/","\\",\#(i % 7)],"late":\#(i % 3 == 0 ? "null" : "true")}"#
        return Array(body.utf8)
    }

    /// Writes a ledger of `count` lines in batches of 1–4 lines with times that never go back.
    /// With `splitAt`, lines after that seq are moved into a second segment (and the checkpoint updated).
    @discardableResult
    static func make(in directory: String, count: Int, splitAt: Int? = nil) throws -> LogWriter {
        let writer = try LogWriter(directory: directory, label: label, create: true)
        var i = 1
        var time: Int64 = 1_756_886_400_000  // 2025-09-03T08:00:00Z
        while i <= count {
            let size = min(count - i + 1, 1 + i % 4)
            try writer.append((i..<(i + size)).map(record), at: Timestamp(milliseconds: time))
            time += Int64(37 * (i % 5))
            i += size
        }
        guard let splitAt else { return writer }
        let paths = LedgerPaths(directory: directory)
        let bytes = try FileSystem.read(paths.segment(1))
        let ranges = lineRanges(bytes)
        let cut = ranges[splitAt - 1].upperBound + 1
        try Data(bytes[..<cut]).write(to: URL(fileURLWithPath: paths.segment(1)))
        try Data(bytes[cut...]).write(to: URL(fileURLWithPath: paths.segment(2)))
        var checkpoint = try #require(writer.checkpoint)
        checkpoint.segment = 2
        checkpoint.offset = bytes.count - cut
        try Data(checkpoint.fileBytes).write(to: URL(fileURLWithPath: paths.checkpoint))
        return writer
    }

    /// The ranges of the lines in segment bytes, without their newlines (a torn last line included).
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(start..<i)
            start = i + 1
        }
        if start < bytes.count { out.append(start..<bytes.count) }
        return out
    }

    /// Scans a ledger with the Swift reader.
    static func scan(_ directory: String, digest: LedgerDigest? = nil) throws -> (scan: LogScan, seqs: [Int]) {
        var seqs: [Int] = []
        let scan = try LogReader(directory: directory).scan(digest: digest) { seqs.append($0.seq) }
        return (scan, seqs)
    }

    /// Copies a ledger directory (segments and checkpoint).
    static func copy(_ from: String, to: String) throws {
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    static func read(_ path: String) throws -> [UInt8] { try FileSystem.read(path) }
    static func write(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

/// Runs tools/verify_ledger.py's `verify(dir, digest)` in one Python process over many ledgers.
enum PythonVerifier {
    struct Outcome: Equatable { var ok: Bool; var firstBadSeq: Int? }

    /// Verifies each (directory, digest file or nil) and returns the outcomes in order.
    static func verify(_ ledgers: [(String, String?)]) throws -> [Outcome] {
        let cases = ledgers.map { ["dir": $0.0, "digest": $0.1 as Any] }
        return try run(script: """
            for case in cases:
                r = vl.verify(case["dir"], case["digest"])
                out.append({"ok": r.ok, "first_bad_seq": r.first_bad_seq})
            """, cases: cases)
    }

    /// For each (segment path, offset, byte), writes the base segment with that one byte changed,
    /// verifies `directory`, and restores the segment. Returns the outcomes in order.
    static func verifyByteChanges(directory: String, changes: [(segment: String, offset: Int, byte: UInt8)]) throws -> [Outcome] {
        let cases = changes.map { ["segment": $0.segment, "offset": $0.offset, "byte": Int($0.byte)] as [String: Any] }
        return try run(script: """
            bases = {}
            for case in cases:
                path = case["segment"]
                if path not in bases:
                    with open(path, "rb") as f: bases[path] = f.read()
                data = bytearray(bases[path]); data[case["offset"]] = case["byte"]
                with open(path, "wb") as f: f.write(data)
                r = vl.verify(directory, None)
                out.append({"ok": r.ok, "first_bad_seq": r.first_bad_seq})
                with open(path, "wb") as f: f.write(bases[path])
            """, cases: cases, directory: directory)
    }

    private static func run(script body: String, cases: [Any], directory: String = "") throws -> [Outcome] {
        let scratch = try TemporaryDirectory("rollbook-py")
        let casesPath = scratch.sub("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: URL(fileURLWithPath: casesPath))
        let script = """
            import importlib.util, json, sys
            spec = importlib.util.spec_from_file_location("verify_ledger", sys.argv[1])
            vl = importlib.util.module_from_spec(spec); spec.loader.exec_module(vl)
            cases = json.load(open(sys.argv[2])); directory = sys.argv[3]; out = []
            \(body)
            json.dump(out, sys.stdout)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, LogFixture.packageRoot + "/tools/verify_ledger.py", casesPath, directory]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw PythonFailure(status: process.terminationStatus)
        }
        return list.map { Outcome(ok: $0["ok"] as? Bool ?? false, firstBadSeq: $0["first_bad_seq"] as? Int) }
    }

    struct PythonFailure: Error { var status: Int32 }
}
