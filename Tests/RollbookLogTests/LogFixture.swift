import Foundation
import Testing

import RollbookTestSupport
@testable import RollbookLog
@testable import RollbookLogWriter

// Shared helpers for the reliability suites of the log: temporary ledgers built with the real
// writer, a seeded generator, byte-level edits, and a batch driver for tools/verify_ledger.py.


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

    static var packageRoot: String { PackageRoot.path }
}

