import RollbookDomain

extension ReferenceStageTracker {
    /// A pupil's stage at the end of each day from 1 August to the evaluation date, as runs of days, once
    /// the tracker has evaluated the year (the same evaluation that gives the pupil's `since`).
    package func stageHistory(pupil: Int) -> [StageSpan] {
        guard pupil >= 0, pupil < tracks.count else { return [] }
        let history = tracks[pupil].history
        var spans: [StageSpan] = []
        for offset in 0..<min(lastOffset + 1, history.count) {
            let date = yearStart.adding(days: offset)
            let stage: Int? = history[offset] == 0xFF ? nil : Int(history[offset])
            if let last = spans.last, last.stageIndex == stage {
                spans[spans.count - 1].to = date
            } else {
                spans.append(StageSpan(from: date, to: date, stageIndex: stage))
            }
        }
        return spans
    }
}

extension ReferenceStageTracker {
    /// The pupil's stage at the end of a day from 1 August to the evaluation date, or nil when the pupil
    /// was not on roll then (or the day is outside that range).
    package func stageIndex(pupil: Int, on date: SchoolDate) -> Int? {
        guard pupil >= 0, pupil < tracks.count else { return nil }
        let offset = Int(date.day - yearStart.day)
        let history = tracks[pupil].history
        guard offset >= 0, offset <= lastOffset, offset < history.count, history[offset] != 0xFF else { return nil }
        return Int(history[offset])
    }
}
