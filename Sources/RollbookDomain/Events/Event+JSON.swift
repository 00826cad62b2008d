import RollbookLog

/// The member names, declared once in ``EventMember``.
private typealias M = EventMember

extension Event {
    /// The event's type (its `type` member in the log).
    public var type: EventType {
        switch self {
        case .ledgerOpened: .ledgerOpened
        case .termAdded: .termAdded
        case .closureRecorded: .closureRecorded
        case .pupilAdmitted: .pupilAdmitted
        case .pupilDetailsChanged: .pupilDetailsChanged
        case .pupilDeleted: .pupilDeleted
        case .registerTaken: .registerTaken
        case .markRecorded: .markRecorded
        case .markAmended: .markAmended
        case .interventionRecorded: .interventionRecorded
        case .returnsSent: .returnsSent
        case .retentionDisposed: .retentionDisposed
        case .clockCorrected: .clockCorrected
        }
    }

    /// The `type` member: the event's stable name in the log.
    public var typeName: String { type.rawValue }

    /// The schema version written for new events of this type.
    public var currentVersion: Int { 1 }

    /// The event's record as the log writer takes it: `{"type":…,"v":…,"author":…,"position":…,…}`.
    public func record(by author: Author) -> [UInt8] {
        var w = JSONWriter(capacity: 192)
        w.beginObject()
        w.member(M.type, typeName)
        w.member(M.v, currentVersion)
        w.member(M.author, author.name)
        w.member(M.position, author.position)
        switch self {
        case .ledgerOpened(let e):
            w.member(M.urn, e.urn); w.member(M.name, e.name); w.member(M.la, e.la); w.member(M.estab, e.estab)
            w.member(M.policy, e.policy); w.member(M.amRegister, e.amRegister.description); w.member(M.pmRegister, e.pmRegister.description)
            if let document = e.policyDocument { w.member(M.policyDocument, document) }
        case .termAdded(let e):
            w.member(M.name, e.name); w.member(M.from, e.from.description); w.member(M.to, e.to.description)
        case .closureRecorded(let e):
            w.member(M.from, e.from.description); w.member(M.to, e.to.description)
            w.member(M.session, e.session?.description); w.member(M.code, e.code.text); w.member(M.reason, e.reason)
        case .pupilAdmitted(let e):
            w.member(M.upn, e.upn); w.member(M.forename, e.forename); w.member(M.surname, e.surname)
            w.member(M.dob, e.dob.description); w.member(M.yearGroup, e.yearGroup); w.member(M.group, e.group)
            w.member(M.admitted, e.admitted.description)
            Event.writeFlags(e.flags, to: &w)
            if let sex = e.sex { w.member(M.sex, sex) }
        case .pupilDetailsChanged(let e):
            w.member(M.upn, e.upn)
            if let v = e.forename { w.member(M.forename, v) }
            if let v = e.surname { w.member(M.surname, v) }
            if let v = e.yearGroup { w.member(M.yearGroup, v) }
            if let v = e.group { w.member(M.group, v) }
            if let f = e.flags { Event.writeFlags(f, to: &w) }
        case .pupilDeleted(let e):
            w.member(M.upn, e.upn); w.member(M.`on`, e.on.description); w.member(M.ground, e.ground)
        case .registerTaken(let e):
            w.member(M.group, e.group); w.member(M.date, e.date.description); w.member(M.session, e.session.description)
        case .markRecorded(let e):
            w.member(M.upn, e.upn); w.member(M.date, e.date.description); w.member(M.session, e.session.description)
            w.member(M.code, e.code.text)
            if let m = e.minutesLate { w.member(M.minutesLate, m) }
            if let n = e.note { w.member(M.note, n) }
            if let r = e.recordedAt { w.member(M.recordedAt, r.description) }
        case .markAmended(let e):
            w.member(M.upn, e.upn); w.member(M.date, e.date.description); w.member(M.session, e.session.description)
            w.member(M.original, e.original.text)
            if let m = e.originalMinutesLate { w.member(M.originalMinutesLate, m) }
            w.member(M.amended, e.amended.text)
            if let m = e.minutesLate { w.member(M.minutesLate, m) }
            w.member(M.reason, e.reason); w.member(M.amendedOn, e.amendedOn.description)
        case .interventionRecorded(let e):
            w.member(M.upn, e.upn); w.member(M.action, e.action); w.member(M.date, e.date.description)
            if let n = e.note { w.member(M.note, n) }
        case .returnsSent(let e):
            w.key(M.entries); w.beginArray()
            for entry in e.entries {
                w.beginObject()
                w.member(M.kind, entry.kind); w.member(M.upn, entry.upn)
                w.member(M.from, entry.from.description); w.member(M.to, entry.to.description)
                w.endObject()
            }
            w.endArray()
        case .retentionDisposed(let e):
            w.member(M.before, e.before.description)
            w.key(M.ranges); w.beginArray()
            for r in e.ranges {
                w.beginObject(); w.member(M.firstSeq, r.firstSeq); w.member(M.lastSeq, r.lastSeq); w.endObject()
            }
            w.endArray()
            w.member(M.count, e.count); w.member(M.seal, e.seal.hex)
        case .clockCorrected(let e):
            w.member(M.reason, e.reason); w.member(M.previousAt, e.previousAt.description)
        }
        w.endObject()
        return w.bytes
    }

    private static func writeFlags(_ f: PupilFlags, to w: inout JSONWriter) {
        w.member(M.sen, f.sen); w.member(M.ehcp, f.ehcp); w.member(M.pp, f.pp); w.member(M.fsm, f.fsm)
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
        guard let type = EventType(rawValue: try f.string(M.type)) else {
            throw EventDecodingError(seq: seq, field: M.type, problem: "names an event type this Rollbook does not know")
        }
        let version = try f.int(M.v)
        guard version == 1 else { throw EventDecodingError(seq: seq, field: M.v, problem: "is version \(version), which this Rollbook does not know (it reads version 1)") }
        let author = Author(name: try f.string(M.author), position: try f.string(M.position))
        let event: Event
        switch type {
        case .ledgerOpened:
            event = .ledgerOpened(LedgerOpened(urn: try f.string(M.urn), name: try f.string(M.name), la: try f.string(M.la),
                                               estab: try f.string(M.estab), policy: try f.string(M.policy),
                                               amRegister: try f.window(M.amRegister), pmRegister: try f.window(M.pmRegister),
                                               policyDocument: try f.optionalString(M.policyDocument)))
        case .termAdded:
            event = .termAdded(TermAdded(name: try f.string(M.name), from: try f.date(M.from), to: try f.date(M.to)))
        case .closureRecorded:
            event = .closureRecorded(ClosureRecorded(from: try f.date(M.from), to: try f.date(M.to), session: try f.optionalSession(M.session),
                                                     code: try f.code(M.code), reason: try f.string(M.reason)))
        case .pupilAdmitted:
            event = .pupilAdmitted(PupilAdmitted(upn: try f.string(M.upn), forename: try f.string(M.forename), surname: try f.string(M.surname),
                                                 dob: try f.date(M.dob), yearGroup: try f.string(M.yearGroup), group: try f.string(M.group),
                                                 admitted: try f.date(M.admitted), flags: try f.flags(),
                                                 sex: try f.optionalString(M.sex)))
        case .pupilDetailsChanged:
            event = .pupilDetailsChanged(PupilDetailsChanged(upn: try f.string(M.upn), forename: try f.optionalString(M.forename),
                                                             surname: try f.optionalString(M.surname), yearGroup: try f.optionalString(M.yearGroup),
                                                             group: try f.optionalString(M.group), flags: f.has(M.sen) ? try f.flags() : nil))
        case .pupilDeleted:
            event = .pupilDeleted(PupilDeleted(upn: try f.string(M.upn), on: try f.date(M.`on`), ground: try f.string(M.ground)))
        case .registerTaken:
            event = .registerTaken(RegisterTaken(group: try f.string(M.group), date: try f.date(M.date), session: try f.session(M.session)))
        case .markRecorded:
            event = .markRecorded(MarkRecorded(upn: try f.string(M.upn), date: try f.date(M.date), session: try f.session(M.session),
                                               code: try f.code(M.code), minutesLate: try f.optionalInt(M.minutesLate),
                                               note: try f.optionalString(M.note), recordedAt: try f.optionalTimestamp(M.recordedAt)))
        case .markAmended:
            event = .markAmended(MarkAmended(upn: try f.string(M.upn), date: try f.date(M.date), session: try f.session(M.session),
                                             original: try f.code(M.original), originalMinutesLate: try f.optionalInt(M.originalMinutesLate),
                                             amended: try f.code(M.amended), minutesLate: try f.optionalInt(M.minutesLate),
                                             reason: try f.string(M.reason), amendedOn: try f.date(M.amendedOn)))
        case .interventionRecorded:
            event = .interventionRecorded(InterventionRecorded(upn: try f.string(M.upn), action: try f.string(M.action),
                                                               date: try f.date(M.date), note: try f.optionalString(M.note)))
        case .returnsSent:
            var entries: [ReturnsSent.Entry] = []
            for (i, item) in try f.array(M.entries).enumerated() {
                var g = Fields(seq: seq, value: item, path: "\(M.entries)[\(i)].")
                entries.append(ReturnsSent.Entry(kind: try g.string(M.kind), upn: try g.string(M.upn), from: try g.date(M.from), to: try g.date(M.to)))
            }
            event = .returnsSent(ReturnsSent(entries: entries))
        case .retentionDisposed:
            var ranges: [RetentionDisposed.Range] = []
            for (i, item) in try f.array(M.ranges).enumerated() {
                var g = Fields(seq: seq, value: item, path: "\(M.ranges)[\(i)].")
                ranges.append(RetentionDisposed.Range(firstSeq: try g.int(M.firstSeq), lastSeq: try g.int(M.lastSeq)))
            }
            guard let seal = SHA256Digest(hex: try f.string(M.seal)) else { throw EventDecodingError(seq: seq, field: M.seal, problem: "is not 64 lowercase hex digits") }
            event = .retentionDisposed(RetentionDisposed(before: try f.date(M.before), ranges: ranges, count: try f.int(M.count), seal: seal))
        case .clockCorrected:
            guard let previous = Timestamp(parsing: try f.string(M.previousAt)) else {
                throw EventDecodingError(seq: seq, field: M.previousAt, problem: "is not a UTC time YYYY-MM-DDTHH:MM:SS.sssZ")
            }
            event = .clockCorrected(ClockCorrected(reason: try f.string(M.reason), previousAt: previous))
        }
        self.init(seq: seq, at: at, version: version, author: author, event: event)
    }
}

/// Typed access to an event's members: the log layer's ``JSONObjectReader`` with the domain's types on
/// top, throwing ``EventDecodingError`` naming the member (and its path inside arrays).
struct Fields {
    let seq: Int
    let reader: JSONObjectReader

    init(seq: Int, value: JSONValue, path: String = "") { self.seq = seq; self.reader = JSONObjectReader(value, path: path) }

    func has(_ key: String) -> Bool { reader.value[key] != nil }

    func fail(_ key: String, _ problem: String) -> EventDecodingError { EventDecodingError(seq: seq, field: reader.path(key), problem: problem) }

    /// Reads through the log layer's reader, turning its error into this event's.
    private func read<T>(_ body: () throws(JSONReadError) -> T) throws(EventDecodingError) -> T {
        do { return try body() } catch { throw EventDecodingError(seq: seq, field: error.path, problem: error.problem) }
    }

    mutating func string(_ key: String) throws(EventDecodingError) -> String { try read { () throws(JSONReadError) in try reader.string(key) } }
    mutating func optionalString(_ key: String) throws(EventDecodingError) -> String? {
        try read { () throws(JSONReadError) in try reader.optionalString(key) }
    }
    mutating func int(_ key: String) throws(EventDecodingError) -> Int { try read { () throws(JSONReadError) in try reader.int(key) } }
    mutating func optionalInt(_ key: String) throws(EventDecodingError) -> Int? { try read { () throws(JSONReadError) in try reader.optionalInt(key) } }
    mutating func bool(_ key: String) throws(EventDecodingError) -> Bool { try read { () throws(JSONReadError) in try reader.bool(key) } }
    mutating func array(_ key: String) throws(EventDecodingError) -> [JSONValue] { try read { () throws(JSONReadError) in try reader.array(key) } }
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
        PupilFlags(sen: try bool(M.sen), ehcp: try bool(M.ehcp), pp: try bool(M.pp), fsm: try bool(M.fsm))
    }
}
