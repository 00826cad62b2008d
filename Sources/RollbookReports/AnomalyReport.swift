import RollbookDomain
import RollbookLog
import RollbookProjections

/// The findings of `rollbook-replay anomalies`, each with its rule and the sequence numbers behind it.
public struct AnomalyReport: Sendable {
    /// The date open `N` codes were judged on.
    public var on: SchoolDate
    /// The thresholds used.
    public var rules: AnomalyRules
    /// The findings.
    public var findings: [AuditAnomalies.Finding]

    /// Creates the report.
    public init(on: SchoolDate, rules: AnomalyRules, findings: [AuditAnomalies.Finding]) {
        self.on = on; self.rules = rules; self.findings = findings
    }

    /// One sentence per rule, with its threshold, as `--help` and the README state them.
    public static func describe(_ rule: AuditAnomalies.Rule, _ rules: AnomalyRules) -> String {
        switch rule {
        case .lateAmendment:
            return "an amendment made more than \(rules.lateAmendmentSchoolDays) school days after its session"
        case .noReasonPastDeadline:
            return "an N not replaced within \(rules.noReasonSchoolDays) school days of its session (replaced late, or still standing)"
        case .authorShare:
            return "one author made at least \(rules.authorMinimum) amendments and more than \(rules.authorSharePercent)% of them all"
        case .afterCensus:
            return "an amendment that changed census figures (possible, authorised, unauthorised or the absence reason) after a census day "
                + "(first Thursday of October, third Thursday of January or May) on or after its session"
        case .markBeforeAdmission:
            return "marks for a day before the pupil's admission date, or before the day the admission was recorded, "
                + "or with no admission recorded (migrated history with recorded_at excepted)"
        case .clockCorrection:
            return "an authored clock correction: the only place the log's time may step back (every one is listed)"
        case .duplicateMark:
            return "a second mark.recorded for a session already marked: a change with no amendment, reason or author of a change"
        case .disposal:
            return "every retention disposal: when, by whom, what it removed, and whether it came at least six years after "
                + "its before date"
        }
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
            return JSONWriter.pretty(.object([
                JSONMember(key: "on", value: .string(on.description)),
                JSONMember(key: "rules", value: .array(AuditAnomalies.Rule.allCases.map { r in
                    .object([JSONMember(key: "rule", value: .string(r.rawValue)),
                             JSONMember(key: "description", value: .string(AnomalyReport.describe(r, rules)))])
                })),
                JSONMember(key: "findings", value: .array(findings.map { f in
                    .object([
                        JSONMember(key: "rule", value: .string(f.rule.rawValue)),
                        JSONMember(key: "seqs", value: .array(f.seqs.map { .number(String($0)) })),
                        JSONMember(key: "upn", value: f.upn.map { .string($0) } ?? .null),
                        JSONMember(key: "date", value: f.date.map { .string($0.description) } ?? .null),
                        JSONMember(key: "session", value: f.session.map { .string($0.description) } ?? .null),
                        JSONMember(key: "author", value: f.author.map { .string($0) } ?? .null),
                        JSONMember(key: "message", value: .string(f.message)),
                    ])
                })),
            ])) + "\n"
        case .csv:
            return TextTable.csv(["rule", "seqs", "upn", "date", "session", "author", "message"], findings.map { f in
                [f.rule.rawValue, f.seqs.map(String.init).joined(separator: " "), f.upn ?? "", f.date?.description ?? "",
                 f.session?.description ?? "", f.author ?? "", f.message]
            }) + "\n"
        case .text:
            var out = "Anomalies (open N codes judged on \(on))\n"
            for rule in AuditAnomalies.Rule.allCases {
                let found = findings.filter { $0.rule == rule }
                out += "\n\(rule.rawValue): \(AnomalyReport.describe(rule, rules)) — \(found.count) finding\(found.count == 1 ? "" : "s")\n"
                for f in found {
                    var subject: [String] = []
                    if let upn = f.upn { subject.append("UPN \(upn)") }
                    if let date = f.date { subject.append(date.description + (f.session.map { " \($0)" } ?? "")) }
                    if f.rule == .authorShare, let author = f.author { subject.append(TextEscaping.text(author)) }
                    out += "  [seq \(f.seqs.map(String.init).joined(separator: ", "))] \(subject.joined(separator: " ")): \(TextEscaping.text(f.message))\n"
                }
            }
            return out
        }
    }
}
