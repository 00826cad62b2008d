import RollbookDomain
import RollbookLog
import RollbookProjections

/// The officer's day (`rollbook worklist`): the five sections of ``Worklist`` in their documented order.
public struct WorklistReport: Sendable {
    /// The worklist.
    public var worklist: Worklist
    /// The policy's id.
    public var policy: String
    /// Names for text output, by UPN.
    public var names: [String: String]

    /// Creates the report.
    public init(worklist: Worklist, policy: String, state: LedgerState) {
        self.worklist = worklist
        self.policy = policy
        var names: [String: String] = [:]
        for p in state.pupils { names[p.upn] = "\(p.surname), \(p.forename)" }
        self.names = names
    }

    /// The rows of every section as one table: section, upn, group, date, session, detail.
    var rows: [[String]] {
        let w = worklist
        var out: [[String]] = []
        for c in w.calls {
            let flags = c.flags.isEmpty ? "" : " [\(c.flags.joined(separator: ","))]"
            out.append(["call", c.upn, c.group, w.on.description, c.sessions.map(\.description).joined(separator: "+"),
                        "unexplained absence (N), day \(c.dayOfAbsence) of absence\(flags)"])
        }
        for u in w.unexplained {
            let deadline = u.deadline.map { " (deadline \($0))" } ?? ""
            out.append(["unexplained", u.upn, u.group, u.date.description, u.session.description,
                        u.overdue ? "N for \(Plural.of(u.schoolDaysOld, "school day")): past the 5-day limit, must become O\(deadline)"
                                  : "N for \(Plural.of(u.schoolDaysOld, "school day")): resolve it\(deadline)"])
        }
        for m in w.missingMarks {
            out.append(["missing-mark", m.upn, m.group, m.date.description, m.session.description, "no mark recorded"])
        }
        for s in w.stageChanges {
            out.append(["stage-change", s.upn, s.group, s.since.description, "", "\(s.previousStage ?? "-") -> \(s.stage)"])
        }
        for a in w.actionsDue {
            out.append(["action-due", a.upn, a.group, w.on.description, "", "\(a.stage): \(a.action.action) — \(a.action.text)"])
        }
        return out
    }

    /// Renders the report.
    public func render(_ format: OutputFormat) -> String {
        let out = renderUnescaped(format)
        // Text goes to a terminal: no value may carry a control character into it.
        return format == .text ? TextEscaping.text(out, keepNewlines: true) : out
    }

    func renderUnescaped(_ format: OutputFormat) -> String {
        let w = worklist
        switch format {
        case .json:
            func str(_ s: String) -> JSONValue { .string(s) }
            return JSONWriter.pretty(.object([
                JSONMember(key: "on", value: str(w.on.description)),
                JSONMember(key: "policy", value: str(policy)),
                JSONMember(key: "calls", value: .array(w.calls.map { c in .object([
                    JSONMember(key: "upn", value: str(c.upn)), JSONMember(key: "group", value: str(c.group)),
                    JSONMember(key: "sessions", value: .array(c.sessions.map { str($0.description) })),
                    JSONMember(key: "flags", value: .array(c.flags.map(str))),
                    JSONMember(key: "day_of_absence", value: .number(String(c.dayOfAbsence))),
                ]) })),
                JSONMember(key: "unexplained", value: .array(w.unexplained.map { u in .object([
                    JSONMember(key: "upn", value: str(u.upn)), JSONMember(key: "group", value: str(u.group)),
                    JSONMember(key: "date", value: str(u.date.description)), JSONMember(key: "session", value: str(u.session.description)),
                    JSONMember(key: "school_days_old", value: .number(String(u.schoolDaysOld))),
                    JSONMember(key: "deadline", value: u.deadline.map { str($0.description) } ?? .null),
                    JSONMember(key: "overdue", value: .bool(u.overdue)),
                ]) })),
                JSONMember(key: "missing_marks", value: .array(w.missingMarks.map { m in .object([
                    JSONMember(key: "upn", value: str(m.upn)), JSONMember(key: "group", value: str(m.group)),
                    JSONMember(key: "date", value: str(m.date.description)), JSONMember(key: "session", value: str(m.session.description)),
                ]) })),
                JSONMember(key: "stage_changes", value: .array(w.stageChanges.map { s in .object([
                    JSONMember(key: "upn", value: str(s.upn)), JSONMember(key: "group", value: str(s.group)),
                    JSONMember(key: "from", value: s.previousStage.map(str) ?? .null), JSONMember(key: "to", value: str(s.stage)),
                    JSONMember(key: "since", value: str(s.since.description)),
                ]) })),
                JSONMember(key: "actions_due", value: .array(w.actionsDue.map { a in .object([
                    JSONMember(key: "upn", value: str(a.upn)), JSONMember(key: "group", value: str(a.group)),
                    JSONMember(key: "stage", value: str(a.stage)), JSONMember(key: "action", value: str(a.action.action)),
                    JSONMember(key: "what", value: str(a.action.text)), JSONMember(key: "policy_says", value: str(a.action.quote)),
                ]) })),
            ])) + "\n"
        case .csv:
            return TextTable.csv(["section", "upn", "group", "date", "session", "detail"], rows) + "\n"
        case .text:
            var out = "Worklist for \(w.on) (policy \(policy))\n"
            let rows = self.rows
            func section(_ title: String, _ kind: String, _ header: [String], _ make: ([String]) -> [String]) {
                let mine = rows.filter { $0[0] == kind }
                out += "\n\(title): \(mine.count)\n"
                if !mine.isEmpty { table(header, mine.map(make), shrink: 2) }
            }
            func table(_ header: [String], _ rows: [[String]], shrink: Int? = nil) {
                out += WorklistReport.indented(TextTable.fitted(header, rows, width: TextTable.width - 2, shrink: shrink)) + "\n"
            }
            func name(_ upn: String) -> String { names[upn] ?? "" }
            section("1. Calls: unexplained absence today (vulnerable first: EHCP, SEN, PP/FSM)", "call",
                    ["Group", "UPN", "Name", "Sessions", "Detail"]) { [$0[2], $0[1], name($0[1]), $0[4], $0[5]] }
            section("2. N codes to resolve (3+ school days old; past 5 must become O)", "unexplained",
                    ["Group", "UPN", "Name", "Date", "Session", "Detail"]) { [$0[2], $0[1], name($0[1]), $0[3], $0[4], $0[5]] }
            // Missing marks (sorted by date, session, group): one line per register with how many pupils have no mark.
            var registers: [(group: String, date: SchoolDate, session: Session, count: Int)] = []
            for m in w.missingMarks {
                if let last = registers.last, last.group == m.group, last.date == m.date, last.session == m.session {
                    registers[registers.count - 1].count += 1
                } else {
                    registers.append((m.group, m.date, m.session, 1))
                }
            }
            out += "\n3. Missing marks (past sessions with no mark): \(w.missingMarks.count)"
                + (registers.isEmpty ? "" : " in \(Plural.of(registers.count, "register"))") + "\n"
            if !registers.isEmpty {
                table(["Date", "Session", "Group", "Pupils unmarked"],
                      registers.map { [$0.date.description, $0.session.description, $0.group, String($0.count)] })
            }
            section("4. Stage changes since the last school week", "stage-change",
                    ["Group", "UPN", "Name", "Since", "Change"]) { [$0[2], $0[1], name($0[1]), $0[3], $0[5]] }
            section("5. Letters, meetings and calls due under the policy", "action-due",
                    ["Group", "UPN", "Name", "Due"]) { [$0[2], $0[1], name($0[1]), $0[5]] }
            return out
        }
    }

    /// Every line of `text` with two spaces in front (lines end at each `\n`).
    package static func indented(_ text: String) -> String {
        // A carriage return before a newline would make "\r\n" one character: split by characters then.
        if text.utf8.contains(0x0D) {
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        }
        var bytes: [UInt8] = [0x20, 0x20]
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 16 + 2)
        for byte in text.utf8 {
            bytes.append(byte)
            if byte == 0x0A { bytes.append(0x20); bytes.append(0x20) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
