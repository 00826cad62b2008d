import RollbookDomain
import RollbookLog
import RollbookProjections

/// What changed in the registers between two moments, and by whom: every change appended in (from, to].
public struct RegisterDiffReport: Sendable {
    /// The earlier moment (exclusive).
    public var from: Timestamp
    /// The later moment (inclusive).
    public var to: Timestamp
    /// The changes in log order.
    public var changes: [RegisterChanges.Change]

    /// Creates the report.
    public init(from: Timestamp, to: Timestamp, changes: [RegisterChanges.Change]) {
        self.from = from; self.to = to; self.changes = changes
    }

    static func cell(_ code: AttendanceCode?, _ minutes: Int?) -> String {
        guard let code else { return "-" }
        return code.text + (minutes.map { " \($0)m" } ?? "")
    }

    /// Renders the report.
    public func render(_ format: OutputFormat) -> String {
        let out = renderUnescaped(format)
        // Text goes to a terminal: no value may carry a control character into it.
        return format == .text ? TextEscaping.text(out, keepNewlines: true) : out
    }

    func renderUnescaped(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONWriter.pretty(.object([JSONMember(key: "changes", value: .array(changes.map { c in
                .object([
                    JSONMember(key: "upn", value: .string(c.upn)),
                    JSONMember(key: "date", value: .string(c.date.description)),
                    JSONMember(key: "session", value: .string(c.session.description)),
                    JSONMember(key: "before", value: c.before.map { .string($0.text) } ?? .null),
                    JSONMember(key: "after", value: c.after.map { .string($0.text) } ?? .null),
                    JSONMember(key: "at", value: .string(c.at.description)),
                    JSONMember(key: "author", value: .string(c.author.name)),
                ])
            }))])) + "\n"
        case .csv:
            return TextTable.csv(["seq", "upn", "date", "session", "before", "after", "at", "author", "position"], changes.map { c in
                [String(c.seq), c.upn, c.date.description, c.session.description, c.before?.text ?? "", c.after?.text ?? "",
                 c.at.description, c.author.name, c.author.position]
            }) + "\n"
        case .text:
            var out = "Register changes after \(from) up to \(to)\n"
            if changes.isEmpty { return out + "No changes.\n" }
            out += TextTable.render(["Seq", "At", "UPN", "Date", "Session", "Before", "After", "By"], changes.map { c in
                [String(c.seq), c.at.description, c.upn, c.date.description, c.session.description,
                 RegisterDiffReport.cell(c.before, c.beforeMinutesLate), RegisterDiffReport.cell(c.after, c.afterMinutesLate),
                 "\(c.author.name) (\(c.author.position))"]
            }) + "\n"
            out += "\(changes.count) change\(changes.count == 1 ? "" : "s").\n"
            return out
        }
    }
}
