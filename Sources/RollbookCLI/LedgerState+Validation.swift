import RollbookDomain
import RollbookProjections

extension LedgerState {
    /// The pupil with this UPN, or an error saying none is on the admission register.
    func requirePupil(_ upn: String, field: String) throws(InputError) -> PupilRecord {
        guard UPN.isWellFormed(upn) else {
            throw InputError("\(field) \"\(upn)\" is not a UPN (13 characters: a capital letter, 11 digits, then a digit or capital letter)")
        }
        guard let pupil = pupil(upn) else { throw InputError("no pupil with UPN \(upn) is on the admission register", place: field) }
        return pupil
    }

    /// Checks that a date is a school day (a weekday inside a term).
    func requireSchoolDay(_ date: SchoolDate, field: String) throws(InputError) {
        if date.isWeekend {
            throw InputError("\(field) \(date) is a \(date.isoWeekday == 6 ? "Saturday" : "Sunday"), not a school day")
        }
        guard calendar.term(containing: date) != nil else {
            throw InputError("\(field) \(date) is not in any term of the school calendar (add the term with `rollbook calendar term`)")
        }
    }

    /// Checks everything about a new mark except whether the session already has one (`migrated`: history
    /// with a `recorded_at`, where a retired legacy code is accepted).
    func checkMark(upn: String, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int?,
                   fields: (upn: String, date: String, code: String, minutes: String), migrated: Bool = false) throws(InputError) -> PupilRecord {
        let pupil = try requirePupil(upn, field: fields.upn)
        if let problem = code.validate(on: date, session: session, migrated: migrated) { throw InputError("\(fields.code): \(problem)") }
        try requireSchoolDay(date, field: fields.date)
        guard pupil.isOnRoll(date) else {
            let when = pupil.left.map { "deleted from roll on \($0)" } ?? "admitted on \(pupil.admitted)"
            throw InputError("the pupil with UPN \(upn) was not on roll on \(date) (\(when))", place: fields.date)
        }
        try checkCode(code, date: date, session: session, minutesLate: minutesLate, fields: (fields.code, fields.minutes), migrated: migrated)
        return pupil
    }

    /// ``checkMark(upn:date:session:code:minutesLate:fields:)`` for a pupil already found (an import's
    /// run of rows for one pupil), with the import's field names.
    func checkMark(pupil: PupilRecord, date: SchoolDate, session: Session, code: AttendanceCode, minutesLate: Int?, line: Int,
                   migrated: Bool = false) throws(InputError) {
        let dateField = "line \(line), column \"date\""
        if let problem = code.validate(on: date, session: session, migrated: migrated) { throw InputError("line \(line), column \"code\": \(problem)") }
        if date.isWeekend || calendar.term(containing: date) == nil { try requireSchoolDay(date, field: dateField) }
        guard pupil.isOnRoll(date) else {
            let when = pupil.left.map { "deleted from roll on \($0)" } ?? "admitted on \(pupil.admitted)"
            throw InputError("the pupil with UPN \(pupil.upn) was not on roll on \(date) (\(when))", place: dateField)
        }
        if code.needsMinutesLate != (minutesLate != nil) || calendar.closure(date, session) != nil {
            try checkCode(code, date: date, session: session, minutesLate: minutesLate,
                          fields: ("line \(line), column \"code\"", "line \(line), column \"minutes_late\""), migrated: migrated)
        }
    }

    /// Checks a code against the session's date, the session, minutes late and closures.
    func checkCode(_ code: AttendanceCode, date: SchoolDate, session: Session, minutesLate: Int?,
                   fields: (code: String, minutes: String), migrated: Bool = false) throws(InputError) {
        if let problem = code.validate(on: date, session: session, migrated: migrated) {
            throw InputError("\(fields.code): \(problem)")
        }
        if code.needsMinutesLate && minutesLate == nil {
            throw InputError("\(fields.minutes) is required with code \(code) (how many minutes late the pupil arrived)")
        }
        if !code.needsMinutesLate && minutesLate != nil {
            throw InputError("\(fields.minutes) is only recorded with code L or U, not \(code)")
        }
        if let closure = calendar.closure(date, session), LedgerState.closureOverrides(closure.code, code) {
            throw InputError("the school was closed for the \(session) session of \(date) (code \(closure.code)), which overrides code \(code); record the closure's code or one it does not override", place: fields.code)
        }
    }

    /// The existing mark for a session, as an error (a duplicate must be amended instead).
    func refuseDuplicate(pupil: PupilRecord, date: SchoolDate, session: Session, place: String? = nil) throws(InputError) {
        if let existing = mark(pupil: pupil.index, date: date, session: session) {
            throw InputError("a mark (\(existing.code)) is already recorded for UPN \(pupil.upn) on \(date) \(session); use `rollbook amend` to change it", place: place)
        }
    }
}
