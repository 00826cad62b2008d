extension Event {
    /// The UPNs of the pupils the event is about, in the order it names them (repeats removed); empty
    /// for events about the school (opening, calendar, registers taken, disposals).
    public var pupils: [String] {
        switch self {
        case .pupilAdmitted(let e): return [e.upn]
        case .pupilDetailsChanged(let e): return [e.upn]
        case .pupilDeleted(let e): return [e.upn]
        case .markRecorded(let e): return [e.upn]
        case .markAmended(let e): return [e.upn]
        case .interventionRecorded(let e): return [e.upn]
        case .returnsSent(let e):
            var out: [String] = []
            for entry in e.entries where !out.contains(entry.upn) { out.append(entry.upn) }
            return out
        case .ledgerOpened, .termAdded, .closureRecorded, .registerTaken, .retentionDisposed:
            return []
        }
    }

    /// The school day a pupil's entry is dated on (a session's or an intervention's date), or nil for
    /// entries that frame the record rather than fall on a day of it (admission, details, leaving,
    /// notifications) and for events about the school.
    public var entryDate: SchoolDate? {
        switch self {
        case .markRecorded(let e): return e.date
        case .markAmended(let e): return e.date
        case .interventionRecorded(let e): return e.date
        case .pupilAdmitted, .pupilDetailsChanged, .pupilDeleted, .returnsSent, .ledgerOpened, .termAdded,
             .closureRecorded, .registerTaken, .retentionDisposed:
            return nil
        }
    }
}
