import RollbookLog

extension Event {
    /// The `type` member: the event's stable name in the log.
    public var typeName: String {
        switch self {
        case .ledgerOpened: "ledger.opened"
        case .termAdded: "calendar.term-added"
        case .closureRecorded: "calendar.closure-recorded"
        case .pupilAdmitted: "pupil.admitted"
        case .pupilDetailsChanged: "pupil.details-changed"
        case .pupilDeleted: "pupil.deleted"
        case .registerTaken: "register.taken"
        case .markRecorded: "mark.recorded"
        case .markAmended: "mark.amended"
        case .interventionRecorded: "intervention.recorded"
        case .returnsSent: "returns.sent"
        case .retentionDisposed: "retention.disposed"
        }
    }

    /// The schema version written for new events of this type.
    public var currentVersion: Int { 1 }

    /// The event's record as the log writer takes it: `{"type":…,"v":…,"author":…,"position":…,…}`.
    public func record(by author: Author) -> [UInt8] {
        var w = JSONWriter(capacity: 192)
        w.beginObject()
        w.member("type", typeName)
        w.member("v", currentVersion)
        w.member("author", author.name)
        w.member("position", author.position)
        switch self {
        case .ledgerOpened(let e):
            w.member("urn", e.urn); w.member("name", e.name); w.member("la", e.la); w.member("estab", e.estab)
            w.member("policy", e.policy); w.member("am_register", e.amRegister.description); w.member("pm_register", e.pmRegister.description)
            if let document = e.policyDocument { w.member("policy_document", document) }
        case .termAdded(let e):
            w.member("name", e.name); w.member("from", e.from.description); w.member("to", e.to.description)
        case .closureRecorded(let e):
            w.member("from", e.from.description); w.member("to", e.to.description)
            w.member("session", e.session?.description); w.member("code", e.code.text); w.member("reason", e.reason)
        case .pupilAdmitted(let e):
            w.member("upn", e.upn); w.member("forename", e.forename); w.member("surname", e.surname)
            w.member("dob", e.dob.description); w.member("year_group", e.yearGroup); w.member("group", e.group)
            w.member("admitted", e.admitted.description)
            Event.writeFlags(e.flags, to: &w)
            if let sex = e.sex { w.member("sex", sex) }
        case .pupilDetailsChanged(let e):
            w.member("upn", e.upn)
            if let v = e.forename { w.member("forename", v) }
            if let v = e.surname { w.member("surname", v) }
            if let v = e.yearGroup { w.member("year_group", v) }
            if let v = e.group { w.member("group", v) }
            if let f = e.flags { Event.writeFlags(f, to: &w) }
        case .pupilDeleted(let e):
            w.member("upn", e.upn); w.member("on", e.on.description); w.member("ground", e.ground)
        case .registerTaken(let e):
            w.member("group", e.group); w.member("date", e.date.description); w.member("session", e.session.description)
        case .markRecorded(let e):
            w.member("upn", e.upn); w.member("date", e.date.description); w.member("session", e.session.description)
            w.member("code", e.code.text)
            if let m = e.minutesLate { w.member("minutes_late", m) }
            if let n = e.note { w.member("note", n) }
            if let r = e.recordedAt { w.member("recorded_at", r.description) }
        case .markAmended(let e):
            w.member("upn", e.upn); w.member("date", e.date.description); w.member("session", e.session.description)
            w.member("original", e.original.text)
            if let m = e.originalMinutesLate { w.member("original_minutes_late", m) }
            w.member("amended", e.amended.text)
            if let m = e.minutesLate { w.member("minutes_late", m) }
            w.member("reason", e.reason); w.member("amended_on", e.amendedOn.description)
        case .interventionRecorded(let e):
            w.member("upn", e.upn); w.member("action", e.action); w.member("date", e.date.description)
            if let n = e.note { w.member("note", n) }
        case .returnsSent(let e):
            w.key("entries"); w.beginArray()
            for entry in e.entries {
                w.beginObject()
                w.member("kind", entry.kind); w.member("upn", entry.upn)
                w.member("from", entry.from.description); w.member("to", entry.to.description)
                w.endObject()
            }
            w.endArray()
        case .retentionDisposed(let e):
            w.member("before", e.before.description)
            w.key("ranges"); w.beginArray()
            for r in e.ranges {
                w.beginObject(); w.member("first_seq", r.firstSeq); w.member("last_seq", r.lastSeq); w.endObject()
            }
            w.endArray()
            w.member("count", e.count); w.member("seal", e.seal.hex)
        }
        w.endObject()
        return w.bytes
    }

    private static func writeFlags(_ f: PupilFlags, to w: inout JSONWriter) {
        w.member("sen", f.sen); w.member("ehcp", f.ehcp); w.member("pp", f.pp); w.member("fsm", f.fsm)
    }
}

extension EventEnvelope {
    /// Decodes a committed log line into an envelope, or throws naming the member at fault.
    public init(line: borrowing LogLine) throws(EventDecodingError) {
        let seq = line.seq
        guard let at = line.at else { throw EventDecodingError(seq: seq, field: nil, problem: "the line was disposed of") }
        let value: JSONValue
        do { value = try JSONValue.parse(line.bytes) } catch { throw EventDecodingError(seq: seq, field: nil, problem: "it is not valid JSON (\(error))") }
        var f = Fields(seq: seq, value: value)
        let type = try f.string("type")
        let version = try f.int("v")
        guard version == 1 else { throw EventDecodingError(seq: seq, field: "v", problem: "is version \(version), which this Rollbook does not know (it reads version 1)") }
        let author = Author(name: try f.string("author"), position: try f.string("position"))
        let event: Event
        switch type {
        case "ledger.opened":
            event = .ledgerOpened(LedgerOpened(urn: try f.string("urn"), name: try f.string("name"), la: try f.string("la"),
                                               estab: try f.string("estab"), policy: try f.string("policy"),
                                               amRegister: try f.window("am_register"), pmRegister: try f.window("pm_register"),
                                               policyDocument: try f.optionalString("policy_document")))
        case "calendar.term-added":
            event = .termAdded(TermAdded(name: try f.string("name"), from: try f.date("from"), to: try f.date("to")))
        case "calendar.closure-recorded":
            event = .closureRecorded(ClosureRecorded(from: try f.date("from"), to: try f.date("to"), session: try f.optionalSession("session"),
                                                     code: try f.code("code"), reason: try f.string("reason")))
        case "pupil.admitted":
            event = .pupilAdmitted(PupilAdmitted(upn: try f.string("upn"), forename: try f.string("forename"), surname: try f.string("surname"),
                                                 dob: try f.date("dob"), yearGroup: try f.string("year_group"), group: try f.string("group"),
                                                 admitted: try f.date("admitted"), flags: try f.flags(),
                                                 sex: try f.optionalString("sex")))
        case "pupil.details-changed":
            event = .pupilDetailsChanged(PupilDetailsChanged(upn: try f.string("upn"), forename: try f.optionalString("forename"),
                                                             surname: try f.optionalString("surname"), yearGroup: try f.optionalString("year_group"),
                                                             group: try f.optionalString("group"), flags: f.has("sen") ? try f.flags() : nil))
        case "pupil.deleted":
            event = .pupilDeleted(PupilDeleted(upn: try f.string("upn"), on: try f.date("on"), ground: try f.string("ground")))
        case "register.taken":
            event = .registerTaken(RegisterTaken(group: try f.string("group"), date: try f.date("date"), session: try f.session("session")))
        case "mark.recorded":
            event = .markRecorded(MarkRecorded(upn: try f.string("upn"), date: try f.date("date"), session: try f.session("session"),
                                               code: try f.code("code"), minutesLate: try f.optionalInt("minutes_late"),
                                               note: try f.optionalString("note"), recordedAt: try f.optionalTimestamp("recorded_at")))
        case "mark.amended":
            event = .markAmended(MarkAmended(upn: try f.string("upn"), date: try f.date("date"), session: try f.session("session"),
                                             original: try f.code("original"), originalMinutesLate: try f.optionalInt("original_minutes_late"),
                                             amended: try f.code("amended"), minutesLate: try f.optionalInt("minutes_late"),
                                             reason: try f.string("reason"), amendedOn: try f.date("amended_on")))
        case "intervention.recorded":
            event = .interventionRecorded(InterventionRecorded(upn: try f.string("upn"), action: try f.string("action"),
                                                               date: try f.date("date"), note: try f.optionalString("note")))
        case "returns.sent":
            var entries: [ReturnsSent.Entry] = []
            for item in try f.array("entries") {
                var g = Fields(seq: seq, value: item)
                entries.append(ReturnsSent.Entry(kind: try g.string("kind"), upn: try g.string("upn"), from: try g.date("from"), to: try g.date("to")))
            }
            event = .returnsSent(ReturnsSent(entries: entries))
        case "retention.disposed":
            var ranges: [RetentionDisposed.Range] = []
            for item in try f.array("ranges") {
                var g = Fields(seq: seq, value: item)
                ranges.append(RetentionDisposed.Range(firstSeq: try g.int("first_seq"), lastSeq: try g.int("last_seq")))
            }
            guard let seal = SHA256Digest(hex: try f.string("seal")) else { throw EventDecodingError(seq: seq, field: "seal", problem: "is not 64 lowercase hex digits") }
            event = .retentionDisposed(RetentionDisposed(before: try f.date("before"), ranges: ranges, count: try f.int("count"), seal: seal))
        default:
            throw EventDecodingError(seq: seq, field: "type", problem: "names an event type this Rollbook does not know")
        }
        self.init(seq: seq, at: at, version: version, author: author, event: event)
    }
}

/// Typed access to an event's members, throwing ``EventDecodingError`` naming the member.
struct Fields {
    let seq: Int
    let value: JSONValue

    init(seq: Int, value: JSONValue) { self.seq = seq; self.value = value }

    func has(_ key: String) -> Bool { value[key] != nil }

    func fail(_ key: String, _ problem: String) -> EventDecodingError { EventDecodingError(seq: seq, field: key, problem: problem) }

    mutating func string(_ key: String) throws(EventDecodingError) -> String {
        guard let v = value[key] else { throw fail(key, "is missing") }
        guard let s = v.stringValue else { throw fail(key, "is not a string") }
        return s
    }
    mutating func optionalString(_ key: String) throws(EventDecodingError) -> String? {
        guard let v = value[key], v != .null else { return nil }
        guard let s = v.stringValue else { throw fail(key, "is not a string") }
        return s
    }
    mutating func int(_ key: String) throws(EventDecodingError) -> Int {
        guard let v = value[key] else { throw fail(key, "is missing") }
        guard let i = v.intValue else { throw fail(key, "is not an integer") }
        return i
    }
    mutating func optionalInt(_ key: String) throws(EventDecodingError) -> Int? {
        guard let v = value[key], v != .null else { return nil }
        guard let i = v.intValue else { throw fail(key, "is not an integer") }
        return i
    }
    mutating func bool(_ key: String) throws(EventDecodingError) -> Bool {
        guard let v = value[key] else { throw fail(key, "is missing") }
        guard let b = v.boolValue else { throw fail(key, "is not true or false") }
        return b
    }
    mutating func array(_ key: String) throws(EventDecodingError) -> [JSONValue] {
        guard let v = value[key]?.arrayValue else { throw fail(key, "is missing or not an array") }
        return v
    }
    mutating func date(_ key: String) throws(EventDecodingError) -> SchoolDate {
        guard let d = SchoolDate(try string(key)) else { throw fail(key, "is not a date YYYY-MM-DD") }
        return d
    }
    mutating func session(_ key: String) throws(EventDecodingError) -> Session {
        guard let s = Session(try string(key)) else { throw fail(key, "is not AM or PM") }
        return s
    }
    mutating func optionalSession(_ key: String) throws(EventDecodingError) -> Session? {
        guard let text = try optionalString(key) else { return nil }
        guard let s = Session(text) else { throw fail(key, "is not AM or PM") }
        return s
    }
    mutating func code(_ key: String) throws(EventDecodingError) -> AttendanceCode {
        guard let c = AttendanceCode(try string(key)) else { throw fail(key, "is not an attendance code") }
        return c
    }
    mutating func window(_ key: String) throws(EventDecodingError) -> RegisterWindow {
        guard let w = RegisterWindow(try string(key)) else { throw fail(key, "is not a register window HH:MM-HH:MM") }
        return w
    }
    mutating func optionalTimestamp(_ key: String) throws(EventDecodingError) -> Timestamp? {
        guard let text = try optionalString(key) else { return nil }
        guard let t = Timestamp(parsing: text) else { throw fail(key, "is not a UTC time") }
        return t
    }
    mutating func flags() throws(EventDecodingError) -> PupilFlags {
        PupilFlags(sen: try bool("sen"), ehcp: try bool("ehcp"), pp: try bool("pp"), fsm: try bool("fsm"))
    }
}
