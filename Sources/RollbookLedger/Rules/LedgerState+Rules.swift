import RollbookDomain
import RollbookLog
import RollbookProjections

/// The rules a new entry must meet against what the ledger already holds (PRODUCT.md sections 2 and 5).
/// Each throws ``LedgerError/rejected(_:_:)`` naming the option or CSV line and column, never a name.
extension LedgerState {
    /// The pupil with this UPN, or an error saying none is on the admission register.
    func requirePupil(_ upn: String, at place: InputPlace) throws(LedgerError) -> PupilRecord {
        guard UPN.isWellFormed(upn) else {
            throw .rejected("the value is not a UPN (13 characters: a capital letter, 11 digits, then a digit or capital letter)", at: place)
        }
        guard let pupil = pupil(upn) else { throw .rejected("no pupil with UPN \(upn) is on the admission register", at: place) }
        return pupil
    }

    /// Checks that a date is a school day (a weekday inside a term).
    func requireSchoolDay(_ date: SchoolDate, at place: InputPlace) throws(LedgerError) {
        if date.isWeekend {
            throw .rejected("\(date) is a \(date.isoWeekday == 6 ? "Saturday" : "Sunday"), not a school day", at: place)
        }
        guard calendar.term(containing: date) != nil else {
            throw .rejected("\(date) is not in any term of the school calendar (add the term with `rollbook calendar term`)", at: place)
        }
    }

    /// Checks everything about a new mark for a pupil already found, except whether the session
    /// already has one. `madeAt` is when the entry is made (now, or a migrated entry's `recorded_at`);
    /// a migrated entry (one with `recorded_at`) may hold a legacy code after its retirement.
    func checkMark(_ mark: MarkRecorded, pupil: PupilRecord, madeAt: Timestamp, from source: MarkSource) throws(LedgerError) {
        let migrated = mark.recordedAt != nil
        if let problem = mark.code.validate(on: mark.date, session: mark.session, migrated: migrated) {
            throw .rejected("\(problem)", at: source.place(.code))
        }
        if mark.date.isWeekend || calendar.term(containing: mark.date) == nil {
            try requireSchoolDay(mark.date, at: source.place(.date))
        }
        guard pupil.isOnRoll(mark.date) else {
            let when = pupil.left.map { "deleted from roll on \($0)" } ?? "admitted on \(pupil.admitted)"
            throw .rejected("the pupil with UPN \(pupil.upn) was not on roll on \(mark.date) (\(when))", at: source.place(.date))
        }
        if mark.code.needsMinutesLate != (mark.minutesLate != nil) || calendar.closure(mark.date, mark.session) != nil {
            try checkCode(mark.code, date: mark.date, session: mark.session, minutesLate: mark.minutesLate, from: source,
                          migrated: migrated)
        }
        try checkRegisterTimes(mark.code, date: mark.date, session: mark.session, minutesLate: mark.minutesLate, madeAt: madeAt, from: source)
    }

    /// The codes that say what happened at the register itself, so cannot be entered before it opens.
    static let registerCodes: Set<String> = ["/", "\\", "L", "U", "N", "O"]

    /// Checks a code against the school's register times: `L` needs 1 to the window's length in
    /// minutes late, `U` more than that (both counted from the opening time); a present or unexplained
    /// code cannot be entered before the session's register opens (planned codes may be).
    func checkRegisterTimes(_ code: AttendanceCode, date: SchoolDate, session: Session, minutesLate: Int?, madeAt: Timestamp,
                            from source: MarkSource) throws(LedgerError) {
        guard let school else { return }
        let window = session == .am ? school.amRegister : school.pmRegister
        let length = window.closes.minutes - window.opens.minutes
        if let minutes = minutesLate {
            if code.text == "L" && !(1...max(1, length)).contains(minutes) {
                throw .rejected("with L the minutes late must be from 1 to \(length): the \(session) register is open \(window), and a pupil arriving after it closes is U",
                                at: source.place(.minutesLate))
            }
            if code.text == "U" && minutes <= length {
                throw .rejected("with U the minutes late must be more than \(length): the \(session) register is open \(window), and a pupil arriving before it closes is L",
                                at: source.place(.minutesLate))
            }
        }
        if LedgerState.registerCodes.contains(code.text) && madeAt < UKTime.moment(date, minutes: window.opens.minutes) {
            throw .rejected("the \(session) register of \(date) has not opened yet (it opens at \(window.opens), UK time); code \(code) records what happened at the register, so only planned codes may be entered in advance",
                            at: source.place(.code))
        }
    }

    /// Checks a code against the session's date, the session, minutes late and closures.
    func checkCode(_ code: AttendanceCode, date: SchoolDate, session: Session, minutesLate: Int?,
                   from source: MarkSource, migrated: Bool = false) throws(LedgerError) {
        if let problem = code.validate(on: date, session: session, migrated: migrated) {
            throw .rejected("\(problem)", at: source.place(.code))
        }
        if code.needsMinutesLate && minutesLate == nil {
            throw .rejected("minutes late are required with code \(code) (how many minutes late the pupil arrived)",
                            at: source.place(.minutesLate))
        }
        if !code.needsMinutesLate && minutesLate != nil {
            throw .rejected("minutes late are only recorded with code L or U, not \(code)", at: source.place(.minutesLate))
        }
        if let closure = calendar.closure(date, session), LedgerState.closureOverrides(closure.code, code) {
            throw .rejected("the school was closed for the \(session) session of \(date) (code \(closure.code)), which overrides code \(code); record the closure's code or one it does not override",
                            at: source.place(.code))
        }
    }

    /// Refuses a session that already has a mark (it must be amended instead) or whose entries were
    /// disposed of after six years.
    func refuseMarked(pupil: PupilRecord, date: SchoolDate, session: Session, from source: MarkSource) throws(LedgerError) {
        if let existing = mark(pupil: pupil.index, date: date, session: session) {
            throw .rejected("a mark (\(existing.code)) is already recorded for UPN \(pupil.upn) on \(date) \(session); use `rollbook amend` to change it",
                            at: source.whole)
        }
        if let disposal = disposal(reaching: date) {
            throw .rejected("the register for \(date) was disposed of after six years (retention, seq \(disposal.seq)); a disposed session cannot be marked again",
                            at: source.whole)
        }
    }
}
