import RollbookLog
import Testing

struct TimestampTests {
    @Test(arguments: [
        ("2025-09-03T08:41:07.123Z", "2025-09-03T08:41:07.123Z"),
        ("2025-09-03T08:41:07Z", "2025-09-03T08:41:07.000Z"),
        ("2025-09-03T08:41:07.5Z", "2025-09-03T08:41:07.500Z"),
        ("2025-09-03T08:41:07.123456Z", "2025-09-03T08:41:07.123Z"),
        ("2025-09-03T08:41:07+00:00", "2025-09-03T08:41:07.000Z"),
        ("2025-09-03", "2025-09-03T23:59:59.999Z"),
        ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
    ])
    func parsesISO8601AndWritesTheLogForm(_ text: String, _ expected: String) throws {
        let t = try #require(Timestamp(parsing: text))
        #expect(t.description == expected)
        let again = t.logBytes.withUnsafeBytes { Timestamp(logBytes: $0) }
        #expect(again == t)
    }

    @Test(arguments: ["2025-09-03T08:41:07", "2025-09-03T24:00:00Z", "2025-02-29T00:00:00Z", "2025-09-03T08:41Z", "2025-09-03T08:41:07+01:00", "", "now"])
    func refusesWhatIsNotAUTCTime(_ text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test func logBytesAreExact() {
        for bad in ["2025-09-03T08:41:07.12Z", "2025-09-03T08:41:07.123", "2025-09-03 08:41:07.123Z", "2025-09-03T08:61:07.123Z"] {
            let parsed = Array(bad.utf8).withUnsafeBytes { Timestamp(logBytes: $0) }
            #expect(parsed == nil, "\(bad)")
        }
    }

    @Test func checkpointAndDigestRoundTrip() throws {
        let head = SHA256.hash(Array("abc".utf8))
        let checkpoint = Checkpoint(label: "rollbook/123456", count: 42, head: head, segment: 2, offset: 1234)
        #expect(try Checkpoint(fileBytes: checkpoint.fileBytes, path: "checkpoint") == checkpoint)
        let digest = try LedgerDigest(text: checkpoint.digestText, path: "d")
        #expect(digest == LedgerDigest(label: "rollbook/123456", count: 42, head: head))
        #expect(throws: LogError.self) { try LedgerDigest(text: "rollbook/1\nx\n\(head.hex)\n", path: "d") }
        #expect(throws: LogError.self) { try Checkpoint(fileBytes: Array("{}".utf8), path: "c") }
    }
}
