import RollbookDomain
import RollbookLog

/// Every stored property of ``LedgerState`` in a snapshot (see ``LedgerSnapshot``), in declaration order.
/// A property added to ``LedgerState`` must be added here, to ``==(_:_:)``, and the format version bumped.
extension LedgerState {
    /// Releases the room the mark store grew into but does not use (after folding many events).
    public mutating func compactMarks() { markStore.compact() }

    func encode(into e: inout SnapshotEncoder, marks layout: MarkStore.PageLayout) {
        e.optional(school) { e, s in
            e.string(s.urn); e.string(s.name); e.string(s.la); e.string(s.estab); e.string(s.policy)
            e.int(s.amRegister.opens.minutes); e.int(s.amRegister.closes.minutes)
            e.int(s.pmRegister.opens.minutes); e.int(s.pmRegister.closes.minutes)
            e.optional(s.policyDocument) { $0.string($1) }
        }
        e.int(calendar.terms.count)
        for term in calendar.terms { e.string(term.name); e.date(term.from); e.date(term.to) }
        e.int(calendar.closures.count)
        for (key, c) in calendar.closures.sorted(by: { $0.key < $1.key }) {
            e.int64(key); e.code(c.code); e.string(c.reason); e.int(c.seq); e.timestamp(c.at)
        }
        if let pending = pendingPupils {
            e.int(pending.count)
            e.int(pending.bytes.count)
            e.bytes.append(contentsOf: pending.bytes)
        } else {
            PendingPupils.encode(pupils, into: &e)
        }
        markStore.encodeDirectory(into: &e, layout: layout)
        if let pending = pendingRegisters {
            e.int(pending.count)
            e.int(pending.bytes.count)
            e.bytes.append(contentsOf: pending.bytes)
        } else {
            let taken = registersTaken.sorted { ($0.date, $0.session, $0.group) < ($1.date, $1.session, $1.group) }
            var keys = SnapshotEncoder(capacity: taken.count * 16)
            for key in taken { keys.string(key.group); keys.date(key.date); keys.session(key.session) }
            e.int(taken.count)
            e.int(keys.bytes.count)
            e.bytes.append(contentsOf: keys.bytes)
        }
        e.int(interventions.count)
        for (pupil, list) in interventions.sorted(by: { $0.key < $1.key }) {
            e.int(pupil)
            e.int(list.count)
            for r in list {
                e.string(r.intervention.upn); e.string(r.intervention.action); e.date(r.intervention.date)
                e.optional(r.intervention.note) { $0.string($1) }
                e.int(r.seq); e.string(r.author.name); e.string(r.author.position)
            }
        }
        let sent = returnsSent.sorted { ($0.kind, $0.upn, $0.from, $0.to) < ($1.kind, $1.upn, $1.from, $1.to) }
        e.int(sent.count)
        for s in sent { e.string(s.kind); e.string(s.upn); e.date(s.from); e.date(s.to) }
        e.int(disposals.count)
        for (seq, d) in disposals {
            e.int(seq); e.date(d.before)
            e.int(d.ranges.count)
            for r in d.ranges { e.int(r.firstSeq); e.int(r.lastSeq) }
            e.int(d.count); e.digest(d.seal)
        }
        e.int(eventCount)
        e.optional(lastAt) { $0.timestamp($1) }
    }

    init(decoding d: inout SnapshotDecoder, marks: (inout SnapshotDecoder) throws(SnapshotDecodingError) -> MarkStore) throws(SnapshotDecodingError) {
        self.init()
        school = try d.optional { d throws(SnapshotDecodingError) in
            let urn = try d.string(), name = try d.string(), la = try d.string(), estab = try d.string(), policy = try d.string()
            let am = RegisterWindow(opens: ClockTime(minutes: try d.int()), closes: ClockTime(minutes: try d.int()))
            let pm = RegisterWindow(opens: ClockTime(minutes: try d.int()), closes: ClockTime(minutes: try d.int()))
            let document = try d.optional { d throws(SnapshotDecodingError) in try d.string() }
            return LedgerOpened(urn: urn, name: name, la: la, estab: estab, policy: policy, amRegister: am, pmRegister: pm,
                                policyDocument: document)
        }
        var terms: [SchoolCalendar.Term] = []
        for _ in 0..<(try d.count()) { terms.append(SchoolCalendar.Term(restoring: try d.string(), from: try d.date(), to: try d.date())) }
        var closures: [Int64: SchoolCalendar.Closure] = [:]
        for _ in 0..<(try d.count()) {
            let key = try d.fixed(Int64.self)
            closures[key] = SchoolCalendar.Closure(restoring: try d.code(), reason: try d.string(), seq: try d.int(), at: try d.timestamp())
        }
        calendar = SchoolCalendar(terms: terms, closures: closures)
        pendingPupils = try PendingPupils(decoding: &d)
        markStore = try marks(&d)
        pendingRegisters = try PendingRegisters(decoding: &d)
        for _ in 0..<(try d.count()) {
            let pupil = try d.int()
            var list: [RecordedIntervention] = []
            for _ in 0..<(try d.count()) {
                let upn = try d.string(), action = try d.string(), date = try d.date()
                let note = try d.optional { d throws(SnapshotDecodingError) in try d.string() }
                list.append(RecordedIntervention(intervention: InterventionRecorded(upn: upn, action: action, date: date, note: note),
                                                 seq: try d.int(), author: Author(name: try d.string(), position: try d.string())))
            }
            interventions[pupil] = list
        }
        for _ in 0..<(try d.count()) {
            returnsSent.insert(ReturnsSent.Entry(kind: try d.string(), upn: try d.string(), from: try d.date(), to: try d.date()))
        }
        for _ in 0..<(try d.count()) {
            let seq = try d.int(), before = try d.date()
            var ranges: [RetentionDisposed.Range] = []
            for _ in 0..<(try d.count()) { ranges.append(RetentionDisposed.Range(firstSeq: try d.int(), lastSeq: try d.int())) }
            disposals.append((seq, RetentionDisposed(before: before, ranges: ranges, count: try d.int(), seal: try d.digest())))
        }
        eventCount = try d.int()
        lastAt = try d.optional { d throws(SnapshotDecodingError) in try d.timestamp() }
    }
}

extension LedgerState: Equatable {
    /// Whether two states are the same, property by property (the mark stores by their marks).
    public static func == (a: LedgerState, b: LedgerState) -> Bool {
        a.school == b.school && a.calendar == b.calendar && a.pupils == b.pupils && a.pupilIndex == b.pupilIndex
            && a.markStore == b.markStore && a.registersTaken == b.registersTaken && a.interventions == b.interventions
            && a.returnsSent == b.returnsSent && a.eventCount == b.eventCount && a.lastAt == b.lastAt
            && a.disposals.count == b.disposals.count
            && zip(a.disposals, b.disposals).allSatisfy { $0.seq == $1.seq && $0.event == $1.event }
    }
}
