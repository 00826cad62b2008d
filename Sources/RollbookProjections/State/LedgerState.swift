import RollbookDomain
import RollbookLog

/// The state every command needs, folded from the events: the school, its calendar, the admission
/// register, every mark as it now stands, interventions and what was sent to the LA.
///
/// ``apply(_:)`` is a pure fold: no clock, no I/O, and an exhaustive `switch` over events.
public struct LedgerState: Sendable {
    /// The school, once the ledger is opened.
    public var school: LedgerOpened?
    /// Terms and closures.
    public var calendar = SchoolCalendar()
    /// Pupils in admission order.
    public var pupils: [PupilRecord] {
        get { pendingPupils?.records ?? storedPupils }
        set {
            takePendingPupils()
            storedPupils = newValue
        }
        _modify {
            takePendingPupils()
            yield &storedPupils
        }
    }
    /// Pupil index by UPN.
    public var pupilIndex: [String: Int] {
        get { pendingPupils?.index ?? storedIndex }
        set {
            takePendingPupils()
            storedIndex = newValue
        }
        _modify {
            takePendingPupils()
            yield &storedIndex
        }
    }
    /// The pupils, once decoded or folded.
    var storedPupils: [PupilRecord] = []
    var storedIndex: [String: Int] = [:]
    /// The admission register as a snapshot holds it, read a pupil at a time until all are needed.
    var pendingPupils: PendingPupils?
    /// Marks as they now stand, stored compactly (read them through ``mark(pupil:date:session:)``,
    /// ``forEachMark(of:_:)``, ``effectiveCode(pupil:date:session:)`` or ``forEachSession(of:from:to:_:)``).
    public internal(set) var markStore = MarkStore()
    /// Registers taken: group, date and session keys.
    public var registersTaken: Set<RegisterKey> {
        get { pendingRegisters?.keys ?? takenRegisters }
        set {
            takenRegisters = newValue
            pendingRegisters = nil
        }
        _modify {
            if let pending = pendingRegisters {
                takenRegisters = pending.keys
                pendingRegisters = nil
            }
            yield &takenRegisters
        }
    }
    /// The registers taken, once decoded or folded.
    var takenRegisters: Set<RegisterKey> = []
    /// The registers taken as a snapshot holds them, decoded the first time they are read (few commands
    /// need them, and a 6-year school has tens of thousands).
    var pendingRegisters: PendingRegisters?
    /// Interventions per pupil index, in log order.
    public var interventions: [Int: [RecordedIntervention]] = [:]
    /// Notifications already sent to the LA.
    public var returnsSent: Set<ReturnsSent.Entry> = []
    /// Retention disposals, in log order.
    public var disposals: [(seq: Int, event: RetentionDisposed)] = []
    /// The number of events applied.
    public var eventCount = 0
    /// The time of the last event applied.
    public var lastAt: Timestamp?

    /// Creates an empty state.
    public init() {}

    /// A taken register.
    public struct RegisterKey: Sendable, Hashable {
        /// Registration group.
        public var group: String
        /// Date.
        public var date: SchoolDate
        /// Session.
        public var session: Session
        /// Creates a key.
        public init(group: String, date: SchoolDate, session: Session) { self.group = group; self.date = date; self.session = session }
    }

    /// An intervention with its place in the log.
    public struct RecordedIntervention: Sendable, Hashable {
        /// The event.
        public var intervention: InterventionRecorded
        /// Its sequence number.
        public var seq: Int
        /// Who recorded it.
        public var author: Author
    }

    /// The pupil with this UPN, if admitted.
    public func pupil(_ upn: String) -> PupilRecord? {
        if let pending = pendingPupils { return pending.record(upn) }
        return storedIndex[upn].map { storedPupils[$0] }
    }

    /// The index of the pupil with this UPN, if admitted (without reading the others from a snapshot).
    public func pupilNumber(_ upn: String) -> Int? {
        if let pending = pendingPupils { return pending.number(upn) }
        return storedIndex[upn]
    }

    /// Makes the pupils read from a snapshot the state's own, before they change.
    private mutating func takePendingPupils() {
        guard let pending = pendingPupils else { return }
        storedPupils = pending.records
        storedIndex = pending.index
        pendingPupils = nil
    }

    /// The mark standing for a pupil's session, if one was recorded.
    public func mark(pupil: Int, date: SchoolDate, session: Session) -> MarkEntry? {
        markStore.entry(pupil: pupil, date: date, session: session)
    }

    /// Calls `body` for each of the pupil's recorded marks (whatever their dates), in date and session order.
    public func forEachMark(of pupil: Int, _ body: (SchoolDate, Session, MarkEntry) -> Void) {
        markStore.forEach(pupil: pupil, body)
    }

    /// How many sessions have a recorded mark.
    public var markCount: Int { markStore.count }

    /// Applies one event.
    public mutating func apply(_ envelope: EventEnvelope) {
        eventCount += 1
        lastAt = envelope.at
        switch envelope.event {
        case .ledgerOpened(let e):
            school = e
        case .termAdded(let e):
            calendar.addTerm(name: e.name, from: e.from, to: e.to)
        case .closureRecorded(let e):
            calendar.addClosure(from: e.from, to: e.to, session: e.session, code: e.code, reason: e.reason, seq: envelope.seq, at: envelope.at)
        case .pupilAdmitted(let e):
            if let existing = pupilIndex[e.upn] {
                // Re-admission of a pupil who left: a new spell on roll; the earlier one is kept.
                if let left = pupils[existing].left {
                    pupils[existing].earlierSpells.append(PupilRecord.Spell(admitted: pupils[existing].admitted, left: left,
                                                                            ground: pupils[existing].ground))
                }
                pupils[existing].admitted = e.admitted
                pupils[existing].left = nil
                pupils[existing].ground = nil
                pupils[existing].group = e.group
                pupils[existing].yearGroup = e.yearGroup
                pupils[existing].flags = e.flags
                if let sex = e.sex { pupils[existing].sex = sex }
                return
            }
            let index = pupils.count
            pupils.append(PupilRecord(index: index, upn: e.upn, forename: e.forename, surname: e.surname, dob: e.dob,
                                      yearGroup: e.yearGroup, group: e.group, admitted: e.admitted, left: nil, ground: nil,
                                      flags: e.flags, admittedSeq: envelope.seq, leftSeq: nil, sex: e.sex))
            pupilIndex[e.upn] = index
        case .pupilDetailsChanged(let e):
            guard let i = pupilIndex[e.upn] else { return }
            if let v = e.forename { pupils[i].forename = v }
            if let v = e.surname { pupils[i].surname = v }
            if let v = e.yearGroup { pupils[i].yearGroup = v }
            if let v = e.group { pupils[i].group = v }
            if let v = e.flags { pupils[i].flags = v }
        case .pupilDeleted(let e):
            guard let i = pupilIndex[e.upn] else { return }
            pupils[i].left = e.on
            pupils[i].ground = e.ground
            pupils[i].leftSeq = envelope.seq
        case .registerTaken(let e):
            registersTaken.insert(RegisterKey(group: e.group, date: e.date, session: e.session))
        case .markRecorded(let e):
            guard let i = pupilNumber(e.upn) else { return }
            markStore.record(pupil: i, date: e.date, session: e.session, code: e.code, minutesLate: e.minutesLate,
                             recordedAt: e.recordedAt ?? envelope.at, seq: envelope.seq)
        case .markAmended(let e):
            guard let i = pupilNumber(e.upn) else { return }
            if mark(pupil: i, date: e.date, session: e.session) == nil {
                // The original entry was disposed of under retention but this amendment was kept: the
                // amended entry stands (recorded by the amendment, which is all the log still holds).
                markStore.record(pupil: i, date: e.date, session: e.session, code: e.original, minutesLate: e.originalMinutesLate,
                                 recordedAt: envelope.at, seq: envelope.seq)
            }
            markStore.amend(pupil: i, date: e.date, session: e.session, code: e.amended, minutesLate: e.minutesLate,
                            at: envelope.at, seq: envelope.seq)
        case .interventionRecorded(let e):
            guard let i = pupilNumber(e.upn) else { return }
            interventions[i, default: []].append(RecordedIntervention(intervention: e, seq: envelope.seq, author: envelope.author))
        case .returnsSent(let e):
            returnsSent.formUnion(e.entries)
        case .retentionDisposed(let e):
            disposals.append((envelope.seq, e))
        case .clockCorrected:
            return
        }
    }

    /// The code a session effectively has once closures are applied: `#` overrides every code but `D`;
    /// `Y1`–`Y7` override `/ \ L N O U` and an empty session. Nil when nothing applies.
    public func effectiveCode(pupil: Int, date: SchoolDate, session: Session) -> (code: AttendanceCode, entry: MarkEntry?, closure: SchoolCalendar.Closure?)? {
        let entry = mark(pupil: pupil, date: date, session: session)
        if let closure = calendar.closure(date, session) {
            if let entry, !LedgerState.closureOverrides(closure.code, entry.code) { return (entry.code, entry, nil) }
            return (closure.code, entry, closure)
        }
        return entry.map { ($0.code, $0, nil) }
    }

    /// Whether a closure code replaces a recorded code (section 2's overwrite rules).
    public static func closureOverrides(_ closure: AttendanceCode, _ code: AttendanceCode) -> Bool {
        if closure == .closure { return code != .dualRegistered }
        return overwrittenByUnplannedClosure.contains(code)
    }

    /// The codes a `Y1`–`Y7` closure overwrites.
    public static let overwrittenByUnplannedClosure: Set<AttendanceCode> = [
        .present, .presentPM, .late, .noReason, .unauthorisedOther, .unauthorisedLate,
    ]
}
