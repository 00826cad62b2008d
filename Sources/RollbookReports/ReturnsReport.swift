import RollbookDomain
import RollbookLog
import RollbookProjections

/// The LA statutory returns rendered: JSON `{"returns": [{"kind","upn","from","to","ground","sent"}],
/// "warnings": [...]}`, CSV with those columns, or a text table.
public struct ReturnsReport: Sendable {
    /// The notifications to show.
    public var notifications: [StatutoryReturns.Notification]
    /// Warnings about the window (``ExportCoverage``): JSON carries them in `warnings`; the command also
    /// writes them to standard error.
    public var warnings: [String]

    /// Creates the report.
    public init(notifications: [StatutoryReturns.Notification], warnings: [String] = []) {
        self.notifications = notifications
        self.warnings = warnings
    }

    /// The warnings of a returns export (``StatutoryReturns/coverage``): no term in the window, or
    /// unmarked sessions of pupils on roll.
    public static func warnings(_ returns: StatutoryReturns, today: SchoolDate?) -> [String] {
        returns.coverage.warnings(label: "the returns window", today: today)
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
            return JSONWriter.pretty(.object([JSONMember(key: "returns", value: .array(notifications.map { n in
                .object([
                    JSONMember(key: "kind", value: .string(n.kind)),
                    JSONMember(key: "upn", value: .string(n.upn)),
                    JSONMember(key: "from", value: .string(n.from.description)),
                    JSONMember(key: "to", value: .string(n.to.description)),
                    JSONMember(key: "ground", value: n.ground.map { .string($0) } ?? .null),
                    JSONMember(key: "sent", value: .bool(n.sent)),
                ])
            })), JSONMember(key: "warnings", value: .array(warnings.map { .string($0) }))])) + "\n"
        case .csv:
            return TextTable.csv(["kind", "upn", "from", "to", "ground", "sent"], notifications.map { n in
                [n.kind, n.upn, n.from.description, n.to.description, n.ground ?? "", n.sent ? "true" : "false"]
            }) + "\n"
        case .text:
            if notifications.isEmpty { return "No notifications are due to the local authority.\n" }
            return TextTable.render(["Kind", "UPN", "From", "To", "Ground", "Sent"], notifications.map { n in
                [n.kind, n.upn, n.from.description, n.to.description, n.ground ?? "", n.sent ? "yes" : ""]
            }) + "\n"
        }
    }
}
