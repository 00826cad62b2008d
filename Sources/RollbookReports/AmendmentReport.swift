import RollbookDomain
import RollbookLog
import RollbookProjections

/// Every amendment that matches a filter, with the five statutory facts (original entry, amended entry,
/// reason, date of the amendment, name and position of the person) and its sequence number.
public struct AmendmentReport: Sendable {
    /// Which amendments to show; nil members match everything.
    public struct Filter: Sendable, Hashable {
        /// Only this pupil.
        public var upn: String?
        /// Only this author (the name exactly as recorded, ignoring case).
        public var author: String?
        /// Only sessions on or after this date.
        public var from: SchoolDate?
        /// Only sessions on or before this date.
        public var to: SchoolDate?
        /// Creates a filter.
        public init(upn: String? = nil, author: String? = nil, from: SchoolDate? = nil, to: SchoolDate? = nil) {
            self.upn = upn; self.author = author; self.from = from; self.to = to
        }

        /// Whether an amendment passes the filter (dates are the session's date).
        public func matches(_ a: AmendmentHistory.Amendment) -> Bool {
            if let upn, a.event.upn != upn { return false }
            if let author, a.author.name.lowercased() != author.lowercased() { return false }
            if let from, a.event.date < from { return false }
            if let to, a.event.date > to { return false }
            return true
        }
    }

    /// The amendments shown, in log order.
    public var amendments: [AmendmentHistory.Amendment]

    /// Selects the amendments that pass `filter`.
    public init(amendments: [AmendmentHistory.Amendment], filter: Filter) {
        self.amendments = amendments.filter(filter.matches)
    }

    static func entry(_ code: AttendanceCode, _ minutes: Int?) -> String {
        minutes.map { "\(code) (\($0) min late)" } ?? code.text
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
            return JSONWriter.pretty(.object([JSONMember(key: "amendments", value: .array(amendments.map { a in
                .object([
                    JSONMember(key: "seq", value: .number(String(a.seq))),
                    JSONMember(key: "upn", value: .string(a.event.upn)),
                    JSONMember(key: "date", value: .string(a.event.date.description)),
                    JSONMember(key: "session", value: .string(a.event.session.description)),
                    JSONMember(key: "original", value: .string(a.event.original.text)),
                    JSONMember(key: "amended", value: .string(a.event.amended.text)),
                    JSONMember(key: "reason", value: .string(a.event.reason)),
                    JSONMember(key: "amended_at", value: .string(a.at.description)),
                    JSONMember(key: "author", value: .string(a.author.name)),
                    JSONMember(key: "position", value: .string(a.author.position)),
                ])
            }))])) + "\n"
        case .csv:
            return TextTable.csv(["seq", "upn", "date", "session", "original", "amended", "reason", "amended_at", "author", "position"],
                                 amendments.map { a in
                                     [String(a.seq), a.event.upn, a.event.date.description, a.event.session.description,
                                      a.event.original.text, a.event.amended.text, a.event.reason, a.at.description,
                                      a.author.name, a.author.position]
                                 }) + "\n"
        case .text:
            if amendments.isEmpty { return "No amendments match.\n" }
            var out = ""
            for a in amendments {
                let e = a.event
                out += "seq \(a.seq): UPN \(e.upn) \(e.date) \(e.session) amended from \(AmendmentReport.entry(e.original, e.originalMinutesLate)) "
                    + "to \(AmendmentReport.entry(e.amended, e.minutesLate)) on \(a.at) by \(TextEscaping.text(a.author.name)) (\(TextEscaping.text(a.author.position))); "
                    + "reason: \(TextEscaping.text(e.reason))\n"
            }
            out += "\(amendments.count) amendment\(amendments.count == 1 ? "" : "s").\n"
            return out
        }
    }
}
