import RollbookDomain

extension LedgerState {
    /// The latest retention disposal that may have removed marks for sessions on `date`: one whose
    /// `before` is after the date (only entries made before `before` were removed, and a mark is never
    /// made before its session). Nil when no disposal reaches the date.
    public func disposal(reaching date: SchoolDate) -> (seq: Int, event: RetentionDisposed)? {
        disposals.last { date < $0.event.before }
    }
}
