import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `rollbook report`: the page renders in a real browser, names nothing outside itself, escapes what the
/// ledger holds, and prints the same figures as `stats` and `stages`.
struct ReportCommandTests {
    /// The standard school over two weeks of September, with absences, a closure, an intervention and an
    /// amendment made after the report's day (so what the ledger knew matters).
    func ledger() throws -> TestLedger {
        let t = try TestLedger()
        try t.standardSchool()
        t.now = "2025-09-12T16:00:00.000Z"
        try t.ok(["calendar", "closure", "--from", "2025-09-05", "--to", "2025-09-05", "--code", "#", "--reason", "INSET <day> // training"])
        let days = TestLedger.weekdays("2025-09-03", "2025-09-12").filter { $0 != "2025-09-05" }
        try t.markEverySession(days: days, upns: ["Y123456789001", "M123456789002", "B123456789003", "Q123456789004", "E123456789005"]) { upn, day, session in
            switch (upn, day, session) {
            case ("Y123456789001", "2025-09-04", _), ("Y123456789001", "2025-09-08", _): return "I"
            case ("M123456789002", "2025-09-09", "AM"): return "O"
            case ("B123456789003", _, "PM") where day >= "2025-09-08": return "N"
            case ("Q123456789004", "2025-09-11", "AM"): return "L"
            default: return nil
            }
        }
        try t.markEverySession(days: days.filter { $0 >= "2025-09-10" }, upns: ["U123456789006"]) { _, day, _ in day == "2025-09-12" ? "G" : nil }
        try t.ok(["intervene", "--upn", "B123456789003", "--action", "welfare-call", "--date", "2025-09-11",
                  "--note", "<script>alert(1)</script> see http://example.org & 'quotes'"])
        // After the report's day: N becomes M for pupil 3, which lowers nothing but changes the figures.
        t.now = "2025-09-16T10:00:00.000Z"
        try t.ok(["amend", "--upn", "B123456789003", "--date", "2025-09-08", "--session", "PM", "--code", "M", "--reason", "note from parent"])
        return t
    }

    /// Every element of an XML document with its attributes and text, in document order.
    final class Elements: NSObject, XMLParserDelegate {
        var list: [(name: String, attributes: [String: String])] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            list.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func parse(_ html: String) throws -> Elements {
        let parser = XMLParser(data: Data(html.utf8))
        let elements = Elements()
        parser.delegate = elements
        let ok = parser.parse()
        try #require(ok, "the page is well-formed (\(parser.parserError.map { "\($0)" } ?? "?"))")
        return elements
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// A JSON value as the text the report puts in `data-value` (numbers compared as numbers).
    func same(_ html: String?, _ json: Any?) -> Bool {
        guard let html else { return false }
        if html == "true" || html == "false" { return (json as? Bool) == (html == "true") }
        if html.isEmpty { return json == nil || json is NSNull }
        guard let d = Double(html), let n = json as? Double else { return false }
        return abs(d - n) < 1e-9
    }

    func report(_ t: TestLedger, _ name: String, _ arguments: [String]) throws -> (path: String, html: String) {
        let path = t.root.appendingPathComponent(name).path
        let out = try t.ok(["report"] + arguments + ["--out", path])
        #expect(out.contains(path))
        return (path, try String(contentsOfFile: path, encoding: .utf8))
    }

    @Test func pagesNameNothingOutsideThemselvesAndEscapeTheLedger() throws {
        let t = try ledger()
        for arguments in [["--on", "2025-09-12"], ["--on", "2025-09-12", "--group", "7A"], ["--on", "2025-09-12", "--upn", "B123456789003"]] {
            let (path, html) = try report(t, "r.html", arguments)
            let lower = html.lowercased()
            for forbidden in ["http:", "https:", "//", "@import", "url(", "<link", "<script", "src=", "href=", "<iframe", "<object",
                              "<embed", "<img", "@font-face"] {
                #expect(!lower.contains(forbidden), "\(arguments): the page contains \(forbidden)")
            }
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("@page") && html.contains("@media print"), "print styles for A4")
            let elements = try parse(html)
            #expect(elements.list.filter { $0.name == "svg" }.count >= 4, "\(arguments): calendar, trend, stages and cohort charts")
            #expect(elements.list.contains { $0.name == "p" && $0.attributes["data-on"] == "2025-09-12" })
            let attributes = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
            #expect(attributes == 0o600, "the report holds pupils' data: owner-only")
        }
        // The closure's reason and the intervention's note come from the ledger and are shown as text.
        let (_, pupil) = try report(t, "p.html", ["--on", "2025-09-12", "--upn", "B123456789003"])
        #expect(pupil.contains("&lt;script&gt;alert(1)&lt;&#47;script&gt;"))
        let text = try parse(pupil).text
        #expect(text.contains("<script>alert(1)</script> see http://example.org & 'quotes'"))
        #expect(text.contains("INSET <day> // training"))
    }

    @Test func figuresEqualStatsAndStages() throws {
        let t = try ledger()
        t.now = "2025-09-20T10:00:00.000Z"
        // The report's day, and what the ledger knew at its end: before the amendment of 16 September.
        let on = "2025-09-12", asOf = "2025-09-12T23:00:00Z"
        for scope in [[], ["--group", "7B"], ["--upn", "B123456789003"]] {
            let (_, html) = try report(t, "r.html", ["--on", on, "--as-of", asOf] + scope)
            let elements = try parse(html).list
            // The DfE figures of `stats` for the same pupils.
            let stats = try json(try t.ok(["stats", "--to", on, "--as-of", asOf, "--format", "json"] + scope))
            let total = try #require(stats["total"] as? [String: Any])
            let shown = Dictionary(elements.compactMap { e in e.attributes["data-stat"].map { ($0, e.attributes["data-value"] ?? "") } },
                                   uniquingKeysWith: { a, _ in a })
            #expect(shown.count == 12, "\(scope): every section 6 figure is printed")
            for (name, value) in shown { #expect(same(value, total[name]), "\(scope): \(name) \(value) vs \(total[name] ?? "nil")") }
            // The calendar's days add up to the same sessions.
            let days = elements.filter { $0.attributes["data-day"] != nil }
            #expect(days.compactMap { Int($0.attributes["data-possible"] ?? "") }.reduce(0, +) == total["possible_sessions"] as? Int)
            #expect(days.compactMap { Int($0.attributes["data-attended"] ?? "") }.reduce(0, +) == total["overall_attendance"] as? Int)
            let weeks = elements.filter { $0.attributes["data-week"] != nil }
            #expect(weeks.compactMap { Int($0.attributes["data-possible"] ?? "") }.reduce(0, +) == total["possible_sessions"] as? Int)

            // The cohorts of `stats --by` (for one pupil: the whole school's cohorts the pupil is in).
            var checked = 0
            for kind in ["pp", "fsm", "sen", "ehcp", "year", "group"] {
                let cohortScope = scope.first == "--upn" ? [] : scope
                let by = try json(try t.ok(["stats", "--to", on, "--as-of", asOf, "--by", kind, "--format", "json"] + cohortScope))
                for cohort in try #require(by["cohorts"] as? [[String: Any]]) {
                    let key = "\(kind):\(cohort["cohort"] as? String ?? "")"
                    let cells = elements.filter { $0.attributes["data-cohort"] == key }
                    if scope.first == "--upn" && cells.isEmpty { continue }  // a cohort the pupil is not in
                    #expect(cells.count == 7, "\(scope) \(key)")
                    for cell in cells {
                        let field = cell.attributes["data-field"] ?? ""
                        #expect(same(cell.attributes["data-value"], cohort[field]), "\(scope) \(key) \(field)")
                        checked += 1
                    }
                }
            }
            // pp, fsm, sen, ehcp: Y and N; one year group; one or two registration groups.
            #expect(checked >= (scope.first == "--upn" ? 6 * 7 : 10 * 7), "\(scope): cohorts were compared")

            // The stages of `stages` on the same day.
            let stages = try #require(try json(try t.ok(["stages", "--on", on, "--as-of", asOf, "--format", "json"]))["pupils"] as? [[String: Any]])
            switch scope.first {
            case "--upn":
                let me = try #require(stages.first { $0["upn"] as? String == "B123456789003" })
                let now = try #require(elements.first { $0.attributes["data-stage-now"] != nil })
                #expect(now.attributes["data-stage-now"] == me["stage"] as? String)
                #expect(now.attributes["data-since"] == me["since"] as? String)
                #expect(elements.contains { $0.attributes["data-intervention"] == "2025-09-11" }, "the intervention is marked")
            default:
                let mine = scope.isEmpty ? stages : stages.filter { $0["group"] as? String == "7B" }
                let counts = elements.filter { $0.attributes["data-stage"] != nil }
                #expect(counts.count == 3, "the dfe policy's three stages")
                for c in counts {
                    let id = c.attributes["data-stage"]
                    #expect(c.attributes["data-value"] == String(mine.filter { $0["stage"] as? String == id }.count), "\(scope) \(id ?? "")")
                }
                #expect(counts.compactMap { Int($0.attributes["data-value"] ?? "") }.reduce(0, +) == mine.count)
                // Week by week: the last column is the report's day, so it holds the same counts.
                let lastWeek = try #require(elements.last { $0.attributes["data-stage-week"] != nil })
                #expect(lastWeek.attributes["data-stage-week"] == on)
                #expect(lastWeek.attributes["data-counts"] == counts.map { $0.attributes["data-value"] ?? "" }.joined(separator: " "))
            }
        }
        // What the ledger knew matters: after the amendment the pupil's figures differ.
        let (_, later) = try report(t, "later.html", ["--on", on, "--upn", "B123456789003"])
        let (_, earlier) = try report(t, "earlier.html", ["--on", on, "--as-of", asOf, "--upn", "B123456789003"])
        func value(_ html: String, _ name: String) throws -> String? {
            try parse(html).list.first { $0.attributes["data-stat"] == name }?.attributes["data-value"]
        }
        // Five N in the afternoons of 8–12 September; one became M on 16 September.
        #expect(try value(earlier, "unauthorised_absence") == "5")
        #expect(try value(later, "unauthorised_absence") == "4")
    }

    @Test func badCommandLines() throws {
        let t = try ledger()
        #expect(try t.run("rollbook", ["report", "--on", "2025-09-12"]).status == 64, "--out is required")
        #expect(try t.run("rollbook", ["report", "--group", "7A", "--upn", "Y123456789001", "--out", "x.html"]).status == 64)
        #expect(try t.run("rollbook", ["report", "--on", "2025-02-30", "--out", "x.html"]).status == 64)
        #expect(try t.run("rollbook", ["report", "--upn", "A999999999999", "--out", "x.html"]).status == 64, "a wrong check letter")
        let unknown = try t.run("rollbook", ["report", "--upn", "F999999999999", "--out", "x.html"])
        #expect(unknown.status == 1, "a well-formed UPN nobody has")
        #expect(!FileManager.default.fileExists(atPath: t.root.appendingPathComponent("x.html").path), "nothing written on failure")
        let before = try t.snapshot()
        try t.ok(["report", "--out", t.root.appendingPathComponent("y.html").path])
        #expect(try t.snapshot() == before, "a report reads the ledger and never writes to it")
    }
}
