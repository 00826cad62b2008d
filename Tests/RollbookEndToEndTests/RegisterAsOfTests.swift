import Foundation
import Testing

/// `register --as-of T` shows what the register said at T.
struct RegisterAsOfTests {
    func code(_ json: String, _ upn: String, _ session: String) throws -> String? {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let marks = try #require(object["marks"] as? [[String: Any]])
        return marks.first { $0["upn"] as? String == upn && $0["session"] as? String == session }?["code"] as? String
    }

    @Test func marksAfterTAreHiddenAndAmendmentsAfterTAreNotApplied() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-03T09:05:00.000Z"
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "N"])
        t.now = "2025-09-03T13:50:00.000Z"
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "PM", "--code", "\\"])
        t.now = "2025-09-04T11:00:00.000Z"
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "I", "--reason", "ill"])
        t.now = "2025-09-05T11:00:00.000Z"
        try t.ok(["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "M", "--reason", "appointment card seen"])

        let cases: [(asOf: String?, am: String?, pm: String?)] = [
            ("2025-09-03T09:00:00Z", nil, nil),           // before anything was marked
            ("2025-09-03T09:05:00.000Z", "N", nil),       // the instant of the first mark: included
            ("2025-09-03T12:00:00Z", "N", nil),           // PM not yet taken
            ("2025-09-03T23:59:59Z", "N", "\\"),
            ("2025-09-04T10:59:59.999Z", "N", "\\"),      // a millisecond before the first amendment
            ("2025-09-04T11:00:00Z", "I", "\\"),
            ("2025-09-04", "I", "\\"),                    // a bare date means the end of that day
            ("2025-09-05T12:00:00Z", "M", "\\"),
            (nil, "M", "\\"),
        ]
        for c in cases {
            var args = ["register", "--date", "2025-09-03", "--format", "json"]
            if let asOf = c.asOf { args += ["--as-of", asOf] }
            let json = try t.ok(args)
            #expect(try code(json, "Y123456789001", "AM") == c.am, "as of \(c.asOf ?? "now")")
            #expect(try code(json, "Y123456789001", "PM") == c.pm, "as of \(c.asOf ?? "now")")
        }
        let json = try t.ok(["register", "--date", "2025-09-03", "--format", "json", "--as-of", "2025-09-04T11:00:00Z"])
        #expect(json.contains(#""as_of" : "2025-09-04T11:00:00.000Z""#) || json.contains(#""as_of": "2025-09-04T11:00:00.000Z""#))
    }

    @Test(arguments: ["yesterday", "2025-13-01T00:00:00Z", "2025-09-03T25:00:00Z", "2025-09-03T10:00:00"])
    func aMalformedAsOfIsAUsageError(_ value: String) throws {
        let t = try TestLedger()
        try t.standardSchool()
        let r = try t.run("rollbook", ["register", "--date", "2025-09-03", "--as-of", value])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--as-of"))
    }
}
