import RollbookDomain
import RollbookLog
import RollbookProjections

extension LedgerSession {
    /// Records that the system clock reads earlier than the last event (the clock went back, or an
    /// earlier write was stamped in the future): a `clock.corrected` event stamped with the clock's time,
    /// the only event whose time may be earlier than the one before it. Returns the append and the time
    /// the log steps back from.
    ///
    /// Refused when the clock is not behind the log (there is nothing to correct) or the reason is blank
    /// or holds control characters.
    public func correctClock(reason: String) throws -> (appended: Appended, from: Timestamp) {
        try retryingIfIndexDamaged {
            let author = try self.author
            try Rules.checkText(reason, at: .option("--reason"), optional: false)
            let clock = context.clock()
            guard let last = state.lastAt, clock < last else {
                throw LedgerError.rejected("the system clock reads \(clock), not earlier than the last event: there is nothing to correct")
            }
            let event = Event.clockCorrected(ClockCorrected(reason: Rules.trimmed(reason), previousAt: last))
            return (try append(records: [event.record(by: author)], events: [event], steppingBack: true), last)
        }
    }
}
