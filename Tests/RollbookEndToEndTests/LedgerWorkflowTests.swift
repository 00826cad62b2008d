import Foundation
import Testing

/// The officer's whole first-day workflow through the built `rollbook`, checked by both verifiers.
struct LedgerWorkflowTests {
    @Test func initTermPupilsMarksLateAmendRegisterVerify() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-03T09:05:00.000Z"
        let marks = try t.file("marks.csv", """
            upn,date,session,code,minutes_late
            Y123456789001,2025-09-03,AM,/,
            M123456789002,2025-09-03,AM,N,
            B123456789003,2025-09-03,AM,/,
            Q123456789004,2025-09-03,AM,/,
            E123456789005,2025-09-03,AM,U,35

            """)
        let imported = try t.ok(["marks", "import", marks])
        #expect(imported.contains("Recorded 5 mark(s) and 2 register(s) taken"))

        t.now = "2025-09-03T12:47:00.000Z"  // 13:47 BST: the afternoon register (13:40-13:45) has closed
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "PM", "--code", "L", "--minutes-late", "4"])

        t.now = "2025-09-03T13:30:00.000Z"
        t.author = ("Jo Reed", "Deputy Headteacher")
        try t.ok(["amend", "--upn", "M123456789002", "--date", "2025-09-03", "--session", "AM", "--code", "I",
                  "--reason", "parent phoned: pupil ill"])

        let json = try t.ok(["register", "--date", "2025-09-03", "--format", "json"])
        let register = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(register["date"] as? String == "2025-09-03")
        #expect(register["as_of"] is NSNull)
        let rows = try #require(register["marks"] as? [[String: Any]])
        for mark in rows {  // exactly the keys PRODUCT.md section 5 names
            #expect(Set(mark.keys) == ["upn", "group", "session", "code", "minutes_late", "recorded_at", "amended"])
        }
        func row(_ upn: String, _ session: String) -> [String: Any]? {
            rows.first { $0["upn"] as? String == upn && $0["session"] as? String == session }
        }
        let amended = try #require(row("M123456789002", "AM"))
        #expect(amended["code"] as? String == "I")
        #expect(amended["amended"] as? Bool == true)
        #expect(amended["recorded_at"] as? String == "2025-09-03T09:05:00.000Z")
        #expect(amended["group"] as? String == "7A")
        let late = try #require(row("Y123456789001", "PM"))
        #expect(late["code"] as? String == "L")
        #expect(late["minutes_late"] as? Int == 4)
        #expect(late["amended"] as? Bool == false)
        #expect(row("E123456789005", "AM")?["code"] as? String == "U")
        #expect(row("E123456789005", "AM")?["minutes_late"] as? Int == 35)
        // Oscar (…006) is admitted on 10 September: not on this register at all.
        #expect(!json.contains("U123456789006"))
        let missing = try #require(register["missing"] as? [[String: Any]])
        #expect(missing.count == 4)  // PM for …002 to …005

        // The amendment carries all five statutory facts.
        let segment = try String(contentsOfFile: t.ledger + "/segments/000001.jsonl", encoding: .utf8)
        let amendment = try #require(segment.split(separator: "\n").first { $0.contains("\"mark.amended\"") })
        for fragment in [#""original":"N""#, #""amended":"I""#, #""reason":"parent phoned: pupil ill""#,
                         #""amended_on":"2025-09-03""#, #""author":"Jo Reed""#, #""position":"Deputy Headteacher""#] {
            #expect(amendment.contains(fragment), "the amendment should record \(fragment)")
        }

        let verify = try t.ok(["verify"])
        #expect(verify.hasPrefix("ok: rollbook/123456, 17 events, head "))
        let independent = try TestLedger.python(["tools/verify_ledger.py", t.ledger])
        #expect(independent.status == 0, "\(independent.stdout)\(independent.stderr)")
        #expect(independent.stdout.hasPrefix("ok: rollbook/123456, 17 events"))
        // Both verifiers report the same head.
        let head = verify.split(separator: " ").last.map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head != nil && independent.stdout.contains(head!))
    }

    @Test func theTextRegisterShowsNamesCodesLatesAndAmendments() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-04T09:05:00.000Z"
        try t.ok(["mark", "--upn", "Q123456789004", "--date", "2025-09-04", "--session", "AM", "--code", "L", "--minutes-late", "12"])
        try t.ok(["mark", "--upn", "E123456789005", "--date", "2025-09-04", "--session", "AM", "--code", "N"])
        t.now = "2025-09-04T10:00:00.000Z"
        try t.ok(["amend", "--upn", "E123456789005", "--date", "2025-09-04", "--session", "AM", "--code", "M", "--reason", "dentist letter"])
        let text = try t.ok(["register", "--date", "2025-09-04", "--group", "7B", "--session", "AM"])
        #expect(text.contains("Register for Thu 2025-09-04, as it stands"))
        #expect(text.contains("Taylor, Leo"))
        #expect(text.contains("L 12m"))
        #expect(text.contains("M *"))
        #expect(text.contains("AM: 2 marked, 0 missing"))
    }

    @Test func aReAdmittedPupilKeepsTheirFirstSpellOnRoll() throws {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-04T16:00:00.000Z"
        let marks = try t.file("first-spell.csv", """
            upn,date,session,code
            Y123456789001,2025-09-03,AM,/
            Y123456789001,2025-09-03,PM,\\
            Y123456789001,2025-09-04,AM,N
            Y123456789001,2025-09-04,PM,\\

            """)
        try t.ok(["marks", "import", marks])
        t.now = "2025-09-05T08:00:00.000Z"
        try t.ok(["pupils", "leave", "--upn", "Y123456789001", "--on", "2025-09-05", "--ground", "moved away"])
        t.now = "2025-09-08T08:00:00.000Z"
        let back = try t.file("back.csv", """
            upn,forename,surname,dob,year_group,group,admitted
            Y123456789001,Amelia,Khan,2014-03-02,7,7A,2025-09-08

            """)
        try t.ok(["pupils", "import", back])
        t.now = "2025-09-08T16:00:00.000Z"
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-08", "--session", "AM", "--code", "/"])
        // The first spell's register still shows the pupil, the gap does not, the new spell does.
        #expect(try t.ok(["register", "--date", "2025-09-03", "--format", "csv"]).contains("Y123456789001,7A,AM,/"))
        #expect(!(try t.ok(["register", "--date", "2025-09-05", "--format", "csv"])).contains("Y123456789001"))
        #expect(try t.ok(["register", "--date", "2025-09-08", "--format", "csv"]).contains("Y123456789001,7A,AM,/"))
        // Figures count both spells: 5 marked sessions, one of them N.
        let json = try t.ok(["stats", "--from", "2025-09-01", "--to", "2025-09-08", "--upn", "Y123456789001", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["possible_sessions"] as? Int == 5)
        #expect(total["unauthorised_absence"] as? Int == 1)

        // The projection snapshot carries the earlier spell too: the same answers from it.
        let before = try t.ok(["register", "--date", "2025-09-03", "--format", "json"])
        let write = try t.run("rollbook", ["intervene", "--upn", "Y123456789001", "--action", "welfare-call", "--date", "2025-09-08"],
                              environment: ["ROLLBOOK_SNAPSHOT_EVERY": "1"])
        #expect(write.status == 0, "\(write.stderr)")
        #expect(FileManager.default.fileExists(atPath: t.ledger + "/snapshot"))
        #expect(try t.ok(["register", "--date", "2025-09-03", "--format", "json"]) == before)
        #expect(try t.ok(["stats", "--from", "2025-09-01", "--to", "2025-09-08", "--upn", "Y123456789001", "--format", "json"]) == json)
    }

    @Test func filesAreOwnerOnly() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let fm = FileManager.default
        for (path, expected) in [(t.ledger, 0o700), (t.ledger + "/segments", 0o700), (t.ledger + "/checkpoint", 0o600),
                                 (t.ledger + "/segments/000001.jsonl", 0o600), (t.ledger + "/lock", 0o600)] {
            let mode = try #require(try fm.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == expected, "\(path) is \(String(mode, radix: 8))")
        }
    }
}

extension TestLedger {
    /// Runs python3 from the package root.
    static func python(_ arguments: [String]) throws -> Result {
        try execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments, in: packageRoot)
    }
}
