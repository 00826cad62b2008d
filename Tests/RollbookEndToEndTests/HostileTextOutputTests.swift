import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Hostile strings typed into every free-text input end up in no output raw (PRODUCT.md section 5):
/// text shows control characters escaped, every CSV cell is safe to open in a spreadsheet, every XML
/// document parses, every JSON document parses. Names with control characters are refused at input.
struct HostileTextOutputTests {
    static let hostile = ["line\nbreak", "carriage\rreturn", "esc\u{1B}[31mred", "bell\u{07}", "nul\u{00}byte", "=1+1", "@SUM(A1)",
                          "]]>", "ctl\u{01}", "-2+3", "+cmd", "\ttab"]

    static func hasControl(_ s: String) -> Bool { s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } }

    /// Every reading output, as (tool, arguments, format).
    static let outputs: [(String, [String], String)] = {
        var out: [(String, [String], String)] = []
        let reading: [(String, [String])] = [
            ("rollbook", ["register", "--date", "2025-09-03"]), ("rollbook", ["stats"]), ("rollbook", ["stats", "--by", "group"]),
            ("rollbook", ["stages", "--on", "2025-09-10"]), ("rollbook", ["worklist", "--on", "2025-09-10"]),
            ("rollbook", ["export", "returns", "--to", "2025-10-24", "--all"]), ("rollbook", ["retention"]), ("rollbook", ["verify"]),
            ("rollbook-replay", ["register", "--date", "2025-09-03"]), ("rollbook-replay", ["amendments"]),
            ("rollbook-replay", ["history", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM"]),
            ("rollbook-replay", ["diff", "--from", "2025-09-01T00:00:00Z", "--to", "2025-09-30T00:00:00Z"]),
            ("rollbook-replay", ["anomalies"]), ("rollbook-replay", ["verify"]),
        ]
        for (tool, arguments) in reading {
            for format in ["text", "csv", "json"] { out.append((tool, arguments + ["--format", format], format)) }
        }
        out.append(("rollbook", ["export", "census", "--period", "autumn-2025", "--format", "xml"], "xml"))
        out.append(("rollbook", ["export", "census", "--period", "autumn-2025", "--format", "csv"], "csv"))
        out.append(("rollbook", ["export", "ctf", "--upn", "Y123456789001"], "xml"))
        return out
    }()

    /// The cells of a CSV document (RFC 4180).
    static func csvCells(_ text: String) -> [String] {
        var cells: [String] = []
        var cell = "", quoted = false, inQuotes = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if scalars.first == "\"" { cell.unicodeScalars.append("\""); scalars.removeFirst() } else { inQuotes = false }
                } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" && cell.isEmpty && !quoted { inQuotes = true; quoted = true }
            else if c == "," || c == "\n" { cells.append(cell); cell = ""; quoted = false }
            else { cell.unicodeScalars.append(c) }
        }
        if !cell.isEmpty || quoted { cells.append(cell) }
        return cells
    }

    static func isNegativeNumber(_ cell: String) -> Bool { cell.hasPrefix("-") && Double(cell) != nil }

    @Test(arguments: hostile)
    func aHostileStringLeavesEveryOutputSafe(_ h: String) throws {
        let t = try TestLedger()
        // A command-line argument or environment value ends at a NUL (a C string): that is what arrives.
        let argument = String(h.unicodeScalars.prefix { $0 != "\u{0}" }.map(Character.init))
        // The school's name: refused with controls (the log is not even created), else stored.
        let initArguments = ["init", "--urn", "123456", "--name", "School \(argument)", "--la", "938", "--estab", "2001"]
        if HostileTextOutputTests.hasControl(argument) {
            let r = try t.run("rollbook", initArguments)
            #expect((r.status == 64 || r.status == 1) && r.stderr.contains("--name"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: t.ledger + "/checkpoint"))
            try t.ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        } else {
            try t.ok(initArguments)
        }
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-03", "--to", "2025-10-24"])
        // Pupils' names and groups: refused with controls (naming the line and column, not echoing it).
        let hostileCell = "\"" + h.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let pupils = "upn,forename,surname,dob,year_group,group,admitted\n"
            + "Y123456789001,Ann,\(hostileCell),2014-03-02,7,\(hostileCell),2025-09-03\n"
            + "M123456789002,Bob,Lee,2014-03-02,7,7A,2025-09-03\n"
        let before = try t.snapshot()
        let imported = try t.run("rollbook", ["pupils", "import", try t.file("p.csv", pupils)])
        if HostileTextOutputTests.hasControl(h) {
            #expect(imported.status == 1 && imported.stderr.contains("line 2"), "\(imported.stderr)")
            #expect(try t.snapshot() == before)
            try t.ok(["pupils", "import", try t.file("p2.csv", "upn,forename,surname,dob,year_group,group,admitted\n"
                                                  + "Y123456789001,Ann,Khan,2014-03-02,7,7A,2025-09-03\nM123456789002,Bob,Lee,2014-03-02,7,7A,2025-09-03\n")])
        } else {
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        // Identity, reasons, notes and grounds: refused, or stored and escaped on the way out.
        t.now = "2025-09-03T10:00:00.000Z"
        try t.ok(["mark", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "N"])
        t.author = (argument, argument)
        for arguments in [["amend", "--upn", "Y123456789001", "--date", "2025-09-03", "--session", "AM", "--code", "I", "--reason", argument],
                          ["intervene", "--upn", "Y123456789001", "--action", "letter", "--date", "2025-09-03", "--note", argument],
                          ["pupils", "leave", "--upn", "M123456789002", "--on", "2025-09-03", "--ground", argument]] {
            let before = try t.snapshot()
            let r = try t.run("rollbook", arguments)
            if r.status != 0 {
                #expect(r.status == 1 || r.status == 64)
                #expect(try t.snapshot() == before)
            }
            #expect(!HostileTextOutputTests.hasControl(r.stdout.replacingOccurrences(of: "\n", with: "")), "\(arguments[0]) echoed a control")
        }
        t.author = ("Sam Patel", "Attendance Officer")

        for (tool, arguments, format) in HostileTextOutputTests.outputs {
            let r = try t.run(tool, arguments)
            let context = "\(tool) \(arguments.joined(separator: " "))"
            #expect(r.status == 0 || (r.status == 64 && r.stderr.contains("--format")), "\(context): \(r.stderr)")
            guard r.status == 0 else { continue }
            // Nothing raw: no control character but the line ends (and, inside a quoted CSV cell, tab/CR/LF).
            let visible = format == "csv" ? r.stdout : r.stdout.replacingOccurrences(of: "\n", with: "")
            if format != "csv" { #expect(!HostileTextOutputTests.hasControl(visible), "\(context) printed a raw control character") }
            #expect(!HostileTextOutputTests.hasControl(r.stderr.replacingOccurrences(of: "\n", with: "")), "\(context) stderr")
            switch format {
            case "json":
                #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil, "\(context) is not JSON")
            case "xml":
                #expect((try? XMLDocument(data: Data(r.stdout.utf8))) != nil, "\(context) is not XML")
            case "csv":
                for cell in HostileTextOutputTests.csvCells(r.stdout) {
                    if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                        #expect(HostileTextOutputTests.isNegativeNumber(cell), "\(context): an unsafe CSV cell \(cell.debugDescription)")
                    }
                    #expect(!cell.unicodeScalars.contains { ($0.value < 0x20 && !["\t", "\r", "\n"].contains($0)) || (0x7F...0x9F).contains($0.value) },
                            "\(context): a raw control in a CSV cell")
                }
            default:
                // Text: a value with a line break never starts a line of its own.
                if h.contains("\n") { #expect(!r.stdout.contains("\nbreak"), "\(context) printed a raw line break") }
            }
        }
    }
}
