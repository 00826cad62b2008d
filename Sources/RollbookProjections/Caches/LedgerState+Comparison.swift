import RollbookDomain

extension LedgerState {
    /// The names of the properties in which two states differ (empty when they are equal), for a
    /// message that says which part of a cache disagrees with the log.
    public func differences(from other: LedgerState) -> [String] {
        var out: [String] = []
        if school != other.school { out.append("the school") }
        if calendar != other.calendar { out.append("the calendar") }
        if pupils != other.pupils || pupilIndex != other.pupilIndex { out.append("the admission register") }
        if markStore != other.markStore { out.append("the marks") }
        if registersTaken != other.registersTaken { out.append("the registers taken") }
        if interventions != other.interventions { out.append("the interventions") }
        if returnsSent != other.returnsSent { out.append("the returns sent") }
        if disposals.count != other.disposals.count
            || !zip(disposals, other.disposals).allSatisfy({ $0.seq == $1.seq && $0.event == $1.event }) {
            out.append("the disposals")
        }
        if eventCount != other.eventCount || lastAt != other.lastAt { out.append("the event count or last time") }
        return out
    }

    /// The mark store's first differing session against `other`'s, described by date and session (no
    /// pupil's name), or nil when the marks are the same.
    public func firstMarkDifference(from other: LedgerState) -> String? {
        var mine: [MarkKey: MarkEntry] = [:]
        markStore.forEach { mine[$0] = $1 }
        var found: String?
        other.markStore.forEach { key, entry in
            guard found == nil else { return }
            if mine.removeValue(forKey: key) != entry {
                found = "the session \(key.date) \(key.session) of pupil \(other.pupils.indices.contains(key.pupil) ? other.pupils[key.pupil].upn : "#\(key.pupil)")"
            }
        }
        if found == nil, let (key, _) = mine.first {
            found = "the session \(key.date) \(key.session) of pupil \(pupils.indices.contains(key.pupil) ? pupils[key.pupil].upn : "#\(key.pupil)")"
        }
        return found
    }
}
