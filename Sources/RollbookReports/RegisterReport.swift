import RollbookDomain
import RollbookLog
import RollbookProjections

/// The register for one date as it stood at a moment: every pupil on roll, their marks, who is unmarked.
///
/// `rollbook register` and `rollbook-replay register` both print this report, so for the same
/// as-of moment they give identical content.
public struct RegisterReport: Sendable {
    /// One pupil-session of the register.
    public struct Row: Sendable, Hashable {
        /// The pupil.
        public var upn: String
        /// Registration group.
        public var group: String
        /// "Surname, Forename" (text output only).
        public var name: String
        /// AM or PM.
        public var session: Session
        /// The code standing, or nil when the session is unmarked.
        public var code: AttendanceCode?
        /// Minutes late for L and U.
        public var minutesLate: Int?
        /// When the mark was first entered.
        public var recordedAt: Timestamp?
        /// Whether it has been amended.
        public var amended: Bool
        /// When it was last amended.
        public var amendedAt: Timestamp?
        /// The closure reason when a closure supplies the code.
        public var closure: String?
        /// Whether the session has no mark because entries were disposed of under the retention rule.
        public var disposed: Bool = false
    }

    /// The date.
    public var date: SchoolDate
    /// The as-of moment, or nil for "as it stands".
    public var asOf: Timestamp?
    /// Rows in group, UPN, session order.
    public var rows: [Row]
    /// Whether the date is a school day.
    public var isSchoolDay: Bool
    /// The retention disposal that removed entries for this date, if any: its seq and `before` date.
    public var disposal: (seq: Int, before: SchoolDate)?

    /// Builds the register from state already folded up to the as-of moment.
    public init(state: LedgerState, date: SchoolDate, session: Session?, group: String?, asOf: Timestamp?) {
        self.date = date
        self.asOf = asOf
        self.isSchoolDay = state.calendar.isSchoolDay(date)
        self.disposal = state.disposal(reaching: date).map { ($0.seq, $0.event.before) }
        var rows: [Row] = []
        let pupils = state.pupils.filter { $0.isOnRoll(date) && (group == nil || $0.group == group) }
            .sorted { ($0.group, $0.upn) < ($1.group, $1.upn) }
        for pupil in pupils {
            for s in Session.allCases where session == nil || session == s {
                let effective = state.effectiveCode(pupil: pupil.index, date: date, session: s)
                let entry = effective?.entry
                let fromClosure = effective?.closure
                if !isSchoolDay && effective == nil { continue }
                rows.append(Row(upn: pupil.upn, group: pupil.group, name: "\(pupil.surname), \(pupil.forename)", session: s,
                                code: effective?.code, minutesLate: fromClosure == nil ? entry?.minutesLate : nil,
                                recordedAt: fromClosure.map(\.at) ?? entry?.recordedAt,
                                amended: fromClosure == nil && (entry?.amendments ?? 0) > 0,
                                amendedAt: fromClosure == nil ? entry?.amendedAt : nil, closure: fromClosure?.reason,
                                disposed: effective == nil && disposal != nil))
            }
        }
        self.rows = rows
    }

    /// Renders the report.
    public func render(_ format: OutputFormat) -> String {
        let out = renderUnescaped(format)
        // Text goes to a terminal: no value may carry a control character into it.
        return format == .text ? TextEscaping.text(out, keepNewlines: true) : out
    }

    func renderUnescaped(_ format: OutputFormat) -> String {
        switch format {
        case .json: return renderJSON()
        case .csv:
            return TextTable.csv(["upn", "group", "session", "code", "minutes_late", "recorded_at", "amended"], rows.map { r in
                [r.upn, r.group, r.session.description, r.code?.text ?? "", r.minutesLate.map(String.init) ?? "",
                 r.recordedAt?.description ?? "", r.code == nil ? "" : (r.amended ? "true" : "false")]
            })
        case .text: return renderText()
        }
    }

    func renderJSON() -> String {
        var marks: [JSONValue] = []
        var missing: [JSONValue] = []
        var disposed: [JSONValue] = []
        for r in rows {
            if r.disposed {
                disposed.append(.object([
                    JSONMember(key: "upn", value: .string(r.upn)),
                    JSONMember(key: "group", value: .string(r.group)),
                    JSONMember(key: "session", value: .string(r.session.description)),
                ]))
            } else if let code = r.code {
                marks.append(.object([
                    JSONMember(key: "upn", value: .string(r.upn)),
                    JSONMember(key: "group", value: .string(r.group)),
                    JSONMember(key: "session", value: .string(r.session.description)),
                    JSONMember(key: "code", value: .string(code.text)),
                    JSONMember(key: "minutes_late", value: r.minutesLate.map { .number(String($0)) } ?? .null),
                    JSONMember(key: "recorded_at", value: r.recordedAt.map { .string($0.description) } ?? .null),
                    JSONMember(key: "amended", value: .bool(r.amended)),
                ]))
            } else {
                missing.append(.object([
                    JSONMember(key: "upn", value: .string(r.upn)),
                    JSONMember(key: "group", value: .string(r.group)),
                    JSONMember(key: "session", value: .string(r.session.description)),
                ]))
            }
        }
        return JSONWriter.pretty(.object([
            JSONMember(key: "date", value: .string(date.description)),
            JSONMember(key: "as_of", value: asOf.map { .string($0.description) } ?? .null),
            JSONMember(key: "marks", value: .array(marks)),
            JSONMember(key: "missing", value: .array(missing)),
            JSONMember(key: "disposed", value: .array(disposed)),
            JSONMember(key: "disposed_before", value: disposal.map { .string($0.before.description) } ?? .null),
        ]))
    }

    func renderText() -> String {
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][date.isoWeekday - 1]
        var out = "Register for \(weekday) \(date)" + (asOf.map { ", as it stood at \($0)" } ?? ", as it stands") + "\n"
        if !isSchoolDay && rows.isEmpty { return out + "\(date) is not a school day (a weekend or outside every term).\n" }
        let sessions = Array(Set(rows.map(\.session))).sorted()
        var byPupil: [(upn: String, group: String, name: String, cells: [Session: Row])] = []
        for r in rows {
            if byPupil.last?.upn == r.upn { byPupil[byPupil.count - 1].cells[r.session] = r } else { byPupil.append((r.upn, r.group, r.name, [r.session: r])) }
        }
        func cell(_ r: Row?) -> String {
            if r?.disposed == true { return "disposed" }
            guard let r, let code = r.code else { return "-" }
            var s = code.text
            if let m = r.minutesLate { s += " \(m)m" }
            if r.amended { s += " *" }
            return s
        }
        out += TextTable.render(["Group", "UPN", "Name"] + sessions.map(\.description),
                                byPupil.map { p in [p.group, p.upn, p.name] + sessions.map { s in cell(p.cells[s]) } }) + "\n"
        for s in sessions {
            let inSession = rows.filter { $0.session == s }
            let missing = inSession.filter { $0.code == nil && !$0.disposed }.count
            let closure = inSession.compactMap(\.closure).first
            let disposed = inSession.filter(\.disposed).count
            out += "\(s): \(inSession.count - missing - disposed) marked, \(missing) missing" + (disposed > 0 ? ", \(disposed) disposed of" : "")
                + (closure.map { " (closed: \($0))" } ?? "") + "\n"
        }
        if let disposal {
            out += "Entries made before \(disposal.before) were disposed of after six years (retention, seq \(disposal.seq)); \"disposed\" marks a session whose entry was removed.\n"
        }
        if rows.contains(where: \.amended) { out += "* amended; see `rollbook-replay history` for every value.\n" }
        return out
    }
}
