import Foundation
import Testing

/// Every date argument of every command, and every date cell of every CSV, given an absurd or
/// impossible date: a clean exit 64 or 1 (never a signal), and the log byte-for-byte unchanged.
struct DateBoundsFuzzTests {
    static let dates = ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31", "2025-13-01", "2025-09-00"]
    static let times = ["0001-01-01T00:00:00Z", "1989-12-31T23:59:59Z", "2101-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                        "2025-13-01T00:00:00Z", "2025-09-00T00:00:00Z"]

    /// Each command line with `D` where a date goes (and `T` for an as-of time).
    static let commands: [(tool: String, arguments: [String])] = [
        ("rollbook", ["calendar", "term", "--name", "X", "--from", "D", "--to", "2025-12-19"]),
        ("rollbook", ["calendar", "term", "--name", "X", "--from", "2025-11-03", "--to", "D"]),
        ("rollbook", ["calendar", "closure", "--from", "D", "--to", "2025-09-05", "--code", "#", "--reason", "Flood"]),
        ("rollbook", ["calendar", "closure", "--from", "2025-09-05", "--to", "D", "--code", "#", "--reason", "Flood"]),
        ("rollbook", ["pupils", "leave", "--upn", "Y123456789001", "--on", "D", "--ground", "Moved away"]),
        ("rollbook", ["mark", "--upn", "Y123456789001", "--date", "D", "--session", "AM", "--code", "/"]),
        ("rollbook", ["amend", "--upn", "Y123456789001", "--date", "D", "--session", "AM", "--code", "I", "--reason", "Ill"]),
        ("rollbook", ["intervene", "--upn", "Y123456789001", "--action", "letter", "--date", "D"]),
        ("rollbook", ["register", "--date", "D"]),
        ("rollbook", ["register", "--date", "2025-09-03", "--as-of", "T"]),
        ("rollbook", ["register", "--date", "2025-09-03", "--as-of", "D"]),
        ("rollbook", ["stats", "--from", "D"]),
        ("rollbook", ["stats", "--to", "D"]),
        ("rollbook", ["stats", "--as-of", "T"]),
        ("rollbook", ["stages", "--on", "D"]),
        ("rollbook", ["stages", "--as-of", "T"]),
        ("rollbook", ["worklist", "--on", "D"]),
        ("rollbook", ["worklist", "--as-of", "T"]),
        ("rollbook", ["export", "returns", "--to", "D"]),
        ("rollbook", ["export", "returns", "--from", "D", "--to", "2025-10-24"]),
        ("rollbook", ["retention", "--on", "D"]),
        ("rollbook", ["retention", "dispose", "--before", "D"]),
        ("rollbook-replay", ["register", "--date", "D"]),
        ("rollbook-replay", ["register", "--date", "2025-09-03", "--as-of", "T"]),
        ("rollbook-replay", ["amendments", "--from", "D"]),
        ("rollbook-replay", ["amendments", "--to", "D"]),
        ("rollbook-replay", ["diff", "--from", "T", "--to", "2025-10-01T00:00:00Z"]),
        ("rollbook-replay", ["diff", "--from", "2025-09-01T00:00:00Z", "--to", "T"]),
        ("rollbook-replay", ["history", "--upn", "Y123456789001", "--date", "D", "--session", "AM"]),
        ("rollbook-replay", ["anomalies", "--on", "D"]),
        ("rollbook-replay", ["anomalies", "--as-of", "T"]),
    ]

    static func school() throws -> TestLedger {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-03T10:00:00.000Z"
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "/"])
        return t
    }

    static func expectCleanRefusal(_ r: TestLedger.Result, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 64 || r.status == 1, "\(context) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.isEmpty, "\(context) said nothing", sourceLocation: sourceLocation)
    }

    @Test func everyDateOptionOfEveryCommand() throws {
        let t = try DateBoundsFuzzTests.school()
        let before = try t.snapshot()
        for command in DateBoundsFuzzTests.commands {
            for (date, time) in zip(DateBoundsFuzzTests.dates, DateBoundsFuzzTests.times) {
                let arguments = command.arguments.map { $0 == "D" ? date : $0 == "T" ? time : $0 }
                let r = try t.run(command.tool, arguments)
                DateBoundsFuzzTests.expectCleanRefusal(r, "\(command.tool) \(arguments.joined(separator: " "))")
            }
        }
        #expect(try t.snapshot() == before, "a refused command changed the ledger")
        // The bounds themselves are accepted.
        #expect(try t.run("rollbook", ["register", "--date", "1990-01-01"]).status == 0)
        #expect(try t.run("rollbook", ["stats", "--to", "2100-12-31"]).status == 0)
    }

    @Test func everyDateCellOfEveryCSV() throws {
        let t = try DateBoundsFuzzTests.school()
        let before = try t.snapshot()
        for date in DateBoundsFuzzTests.dates {
            let pupils = [
                "upn,forename,surname,dob,year_group,group,admitted\nX123456789010,Ann,Lee,\(date),7,7A,2025-09-03\n",
                "upn,forename,surname,dob,year_group,group,admitted\nX123456789010,Ann,Lee,2014-01-01,7,7A,\(date)\n",
            ]
            for csv in pupils {
                let r = try t.run("rollbook", ["pupils", "import", try t.file("p.csv", csv)])
                DateBoundsFuzzTests.expectCleanRefusal(r, "pupils import with \(date)")
                #expect(!r.stderr.contains(date), "the cell was echoed")
            }
            let marks = try t.file("m.csv", "upn,date,session,code\nM123456789002,\(date),AM,/\n")
            let r = try t.run("rollbook", ["marks", "import", marks])
            DateBoundsFuzzTests.expectCleanRefusal(r, "marks import with \(date)")
            #expect(!r.stderr.contains(date), "the cell was echoed")
        }
        for time in DateBoundsFuzzTests.times {
            let marks = try t.file("m.csv", "upn,date,session,code,recorded_at\nM123456789002,2025-09-03,AM,/,\(time)\n")
            DateBoundsFuzzTests.expectCleanRefusal(try t.run("rollbook", ["marks", "import", marks]), "recorded_at \(time)")
        }
        #expect(try t.snapshot() == before, "a refused import changed the ledger")
    }
}
