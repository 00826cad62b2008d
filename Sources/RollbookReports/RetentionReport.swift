import RollbookDomain
import RollbookLog
import RollbookProjections

/// The retention view (PRODUCT.md section 9): `{"on", "entries", "disposable", "ranges": [{"first_seq",
/// "last_seq", "count", "made_from", "made_to", "dispose_after", "disposable"}]}`.
public struct RetentionReport: Sendable {
    /// The date the view is for.
    public var on: SchoolDate
    /// The ranges.
    public var ranges: [RetentionIndex.Range]
    /// Lines a disposal covers that are still to be replaced by stubs (an interrupted disposal).
    public var unfinished: Int

    /// Creates the report.
    public init(on: SchoolDate, ranges: [RetentionIndex.Range], unfinished: Int = 0) {
        self.on = on
        self.ranges = ranges
        self.unfinished = unfinished
    }

    /// How many entries the log holds.
    public var entries: Int { ranges.reduce(0) { $0 + $1.count } }
    /// How many may be disposed of.
    public var disposable: Int { ranges.filter(\.disposable).reduce(0) { $0 + $1.count } }

    /// Renders the view.
    public func render(_ format: OutputFormat) -> String {
        let out = renderUnescaped(format)
        // Text goes to a terminal: no value may carry a control character into it.
        return format == .text ? TextEscaping.text(out, keepNewlines: true) : out
    }

    func renderUnescaped(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONWriter.pretty(.object([
                JSONMember(key: "on", value: .string(on.description)),
                JSONMember(key: "entries", value: .number(String(entries))),
                JSONMember(key: "disposable", value: .number(String(disposable))),
                JSONMember(key: "ranges", value: .array(ranges.map { r in
                    .object([
                        JSONMember(key: "first_seq", value: .number(String(r.firstSeq))),
                        JSONMember(key: "last_seq", value: .number(String(r.lastSeq))),
                        JSONMember(key: "count", value: .number(String(r.count))),
                        JSONMember(key: "made_from", value: .string(r.madeFrom.description)),
                        JSONMember(key: "made_to", value: .string(r.madeTo.description)),
                        JSONMember(key: "dispose_after", value: .string(r.disposeAfter.description)),
                        JSONMember(key: "disposable", value: .bool(r.disposable)),
                    ])
                })),
            ])) + "\n"
        case .csv:
            return TextTable.csv(["first_seq", "last_seq", "count", "made_from", "made_to", "dispose_after", "disposable"], ranges.map { r in
                [String(r.firstSeq), String(r.lastSeq), String(r.count), r.madeFrom.description, r.madeTo.description,
                 r.disposeAfter.description, r.disposable ? "true" : "false"]
            }) + "\n"
        case .text:
            var out = "Retention on \(on): \(entries) entries, \(disposable) past their six years and disposable.\n"
            out += TextTable.render(["Seq", "Count", "Made", "Keep until", "Disposable"], ranges.map { r in
                ["\(r.firstSeq)–\(r.lastSeq)", String(r.count), r.madeFrom == r.madeTo ? r.madeFrom.description : "\(r.madeFrom) to \(r.madeTo)",
                 r.disposeAfter.description, r.disposable ? "yes" : "no"]
            }) + "\n"
            if unfinished > 0 {
                out += "\(unfinished) entries covered by an earlier disposal are still in the log (it was interrupted); `rollbook retention dispose` finishes it.\n"
            }
            out += "The school, its calendar, disposal records and the details of pupils still on roll are kept for as long as the ledger.\n"
            return out
        }
    }
}
