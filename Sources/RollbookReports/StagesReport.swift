import RollbookDomain
import RollbookLog
import RollbookProjections

/// Each pupil's stage under a policy on a date (`rollbook stages`, PRODUCT.md section 7).
public struct StagesReport: Sendable {
    /// The evaluation date.
    public var on: SchoolDate
    /// The policy.
    public var policy: StagePolicy
    /// The pupils on roll on the date, by group and UPN.
    public var pupils: [PupilStage]
    /// Names for text output, by UPN.
    public var names: [String: String]

    /// Creates the report.
    public init(on: SchoolDate, policy: StagePolicy, pupils: [PupilStage], state: LedgerState) {
        self.on = on
        self.policy = policy
        self.pupils = pupils.sorted { ($0.group, $0.upn) < ($1.group, $1.upn) }
        var names: [String: String] = [:]
        for p in pupils { let r = state.pupils[p.pupil]; names[p.upn] = "\(r.surname), \(r.forename)" }
        self.names = names
    }

    /// The action ids due, without repeats, in policy order.
    static func actionIDs(_ p: PupilStage) -> [String] {
        var out: [String] = []
        for a in p.actionsDue where !out.contains(a.action) { out.append(a.action) }
        return out
    }

    /// Renders the report.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONWriter.pretty(.object([
                JSONMember(key: "on", value: .string(on.description)),
                JSONMember(key: "policy", value: .string(policy.id)),
                JSONMember(key: "pupils", value: .array(pupils.map { p in
                    .object([
                        JSONMember(key: "upn", value: .string(p.upn)),
                        JSONMember(key: "group", value: .string(p.group)),
                        JSONMember(key: "stage", value: .string(p.stage)),
                        JSONMember(key: "since", value: .string(p.since.description)),
                        JSONMember(key: "flags", value: .array(p.flags.map { .string($0) })),
                        JSONMember(key: "reason", value: .string(p.reason)),
                        JSONMember(key: "actions_due", value: .array(StagesReport.actionIDs(p).map { .string($0) })),
                    ])
                })),
            ])) + "\n"
        case .csv:
            return TextTable.csv(["upn", "group", "stage", "since", "flags", "reason", "actions_due"], pupils.map { p in
                [p.upn, p.group, p.stage, p.since.description, p.flags.joined(separator: ";"), p.reason,
                 StagesReport.actionIDs(p).joined(separator: ";")]
            }) + "\n"
        case .text:
            var out = TextTable.paragraph("Stages on \(on) under the \(policy.id) policy (\(policy.name))") + "\n"
            out += TextTable.fitted(["Group", "UPN", "Name", "Stage", "Since", "Flags", "Actions due"], pupils.map { p in
                [p.group, p.upn, names[p.upn] ?? "", p.stage, p.since.description, p.flags.joined(separator: " "),
                 StagesReport.actionIDs(p).joined(separator: " ")]
            }, shrink: 2) + "\n"
            var counts: [String] = []
            for stage in policy.stages {
                let n = pupils.filter { $0.stage == stage.id }.count
                if n > 0 { counts.append("\(stage.id) \(n)") }
            }
            out += "Pupils by stage: " + (counts.isEmpty ? "none on roll" : counts.joined(separator: ", ")) + ".\n"
            let notable = pupils.filter { $0.stageIndex > 0 || !$0.flags.isEmpty }
            if !notable.isEmpty {
                out += "\nWhy:\n"
                for p in notable { out += TextTable.paragraph(p.reason, lead: "  \(p.upn): ", indent: 4) + "\n" }
            }
            return out
        }
    }
}
