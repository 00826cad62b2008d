import RollbookDomain
import RollbookLog
import RollbookProjections

/// Every value one pupil-session ever had, oldest first: the original mark, each amendment, and any
/// closure that overrode the session, each with its sequence number, time, author and reason.
public struct SessionHistoryReport: Sendable {
    /// The session.
    public var focus: AmendmentHistory.Focus
    /// Its values, oldest first.
    public var values: [AmendmentHistory.Value]
    /// The code the register shows now (closures applied), or nil when unmarked.
    public var standing: AttendanceCode?
    /// Retention disposals of entries made before a date later than the session's (seq and date), which
    /// may have removed some of its values.
    public var disposals: [(seq: Int, before: SchoolDate)]

    /// Creates the report from a fold and the final state.
    public init(history: AmendmentHistory, state: LedgerState) {
        let focus = history.focus!
        self.focus = focus
        values = history.values
        standing = state.pupilIndex[focus.upn].flatMap { state.effectiveCode(pupil: $0, date: focus.date, session: focus.session)?.code }
        disposals = state.disposal(reaching: focus.date).map { [($0.seq, $0.event.before)] } ?? []
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
            return JSONWriter.pretty(.object([JSONMember(key: "values", value: .array(values.map { v in
                .object([
                    JSONMember(key: "seq", value: .number(String(v.seq))),
                    JSONMember(key: "code", value: .string(v.code.text)),
                    JSONMember(key: "at", value: .string(v.at.description)),
                    JSONMember(key: "author", value: .string(v.author.name)),
                    JSONMember(key: "position", value: .string(v.author.position)),
                    JSONMember(key: "reason", value: v.reason.map { .string($0) } ?? .null),
                ])
            }))])) + "\n"
        case .csv:
            return TextTable.csv(["seq", "kind", "code", "minutes_late", "at", "author", "position", "reason"], values.map { v in
                [String(v.seq), v.kind.rawValue, v.code.text, v.minutesLate.map(String.init) ?? "", v.at.description,
                 v.author.name, v.author.position, v.reason ?? ""]
            }) + "\n"
        case .text:
            var out = "History of UPN \(focus.upn) \(focus.date) \(focus.session)\n"
            for d in disposals {
                out += "Entries made before \(d.before) were disposed of under retention (seq \(d.seq)); values made before then are no longer in the log.\n"
            }
            if values.isEmpty { return out + (disposals.isEmpty ? "No mark was ever recorded for this session.\n" : "No value remains in the log for this session.\n") }
            let rows = values.map { v in
                [String(v.seq), v.at.description, v.kind.rawValue, v.code.text + (v.minutesLate.map { " \($0)m" } ?? ""),
                 "\(v.author.name) (\(v.author.position))", v.reason ?? ""]
            }
            out += TextTable.render(["Seq", "At", "Entry", "Code", "By", "Reason"], rows) + "\n"
            out += "Standing now: \(standing?.text ?? "unmarked").\n"
            return out
        }
    }
}
