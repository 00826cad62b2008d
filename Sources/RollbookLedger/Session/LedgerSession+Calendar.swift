import RollbookDomain
import RollbookProjections

extension LedgerSession {
    /// Adds a term to the school calendar (its weekdays are school days); returns the append and the
    /// number of school days it adds.
    public func addTerm(_ term: TermAdded) throws -> (appended: Appended, schoolDays: Int) {
        try retryingIfIndexDamaged {
            _ = try author
            try Rules.checkText(term.name, at: .option("--name"), optional: false)
            guard term.from <= term.to else { throw LedgerError.rejected("the term ends before it starts", at: .option("--from/--to")) }
            if let clash = state.calendar.terms.first(where: { $0.from <= term.to && term.from <= $0.to }) {
                throw LedgerError.rejected("the term overlaps \"\(clash.name)\" (\(clash.from) to \(clash.to))", at: .option("--from/--to"))
            }
            let weekdays = (0...Int(term.to.day - term.from.day)).filter { !term.from.adding(days: $0).isWeekend }.count
            guard weekdays > 0 else { throw LedgerError.rejected("the term has no weekdays", at: .option("--from/--to")) }
            return (try append([.termAdded(term)]), weekdays)
        }
    }

    /// Records a planned (`#`) or unplanned (`Y1`–`Y7`) closure; returns the append and the number of
    /// school days it covers.
    public func recordClosure(_ closure: ClosureRecorded) throws -> (appended: Appended, schoolDays: Int) {
        try retryingIfIndexDamaged {
            _ = try author
            try Rules.checkText(closure.reason, at: .option("--reason"), optional: false)
            guard closure.code.isClosureCode else {
                throw LedgerError.rejected("the code must be '#' (planned closure) or one of Y1-Y7 (unplanned)", at: .option("--code"))
            }
            guard closure.from <= closure.to else { throw LedgerError.rejected("the closure ends before it starts", at: .option("--from/--to")) }
            let days = state.calendar.schoolDays(from: closure.from, to: closure.to)
            guard !days.isEmpty else {
                throw LedgerError.rejected("there is no school day from \(closure.from) to \(closure.to) (weekends and dates outside terms cannot be closed)",
                                           at: .option("--from/--to"))
            }
            for day in days {
                for s in Session.allCases where closure.session == nil || closure.session == s {
                    if let problem = closure.code.validate(on: day, session: s) { throw LedgerError.rejected("\(problem)", at: .option("--code")) }
                }
            }
            return (try append([.closureRecorded(closure)]), days.count)
        }
    }

    /// Records notifications as sent to the local authority (so later exports leave them out).
    @discardableResult
    public func markSent(_ entries: [ReturnsSent.Entry]) throws -> Appended {
        try retryingIfIndexDamaged {
            _ = try author
            return try append([.returnsSent(ReturnsSent(entries: entries))])
        }
    }
}
