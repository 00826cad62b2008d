import RollbookDomain
import RollbookProjections

extension LedgerSession {
    /// The columns of a pupils file: required first, then optional.
    public static let pupilColumns = (required: ["upn", "forename", "surname", "dob", "year_group", "group", "admitted"],
                                      optional: ["sex", "sen", "ehcp", "pp", "fsm"])

    /// The year groups a pupil may be in: nursery `N1`, `N2`, reception `R`, then `1`–`14`.
    public static let yearGroups: Set<String> = Set(["N1", "N2", "R"] + (1...14).map(String.init))

    /// Admits (or re-admits) the pupils of a CSV file in one durable batch, all or nothing.
    @discardableResult
    public func admit(csv: CSVInput) throws -> Appended {
        try retryingIfIndexDamaged {
            _ = try author
            var events: [Event] = []
            var seen: [String: Int] = [:]
            for row in csv.table.rows {
                func place(_ column: String) -> InputPlace { .csv(line: row.line, column: column) }
                let upn = csv.value(row, "upn")
                // The value is never repeated: in a file of names, a shifted column would put a name here.
                guard UPN.isWellFormed(upn) else { throw LedgerError.rejected("the value is not \(UPN.expectation)", at: place("upn")) }
                guard UPN.isValid(upn) else {
                    throw LedgerError.rejected("the UPN's check letter is wrong (DfE's rule: weights 2-13 on the 12 digits, sum mod 23)", at: place("upn"))
                }
                if let earlier = seen[upn] { throw LedgerError.rejected("UPN \(upn) appears again (first on line \(earlier))", at: place("upn")) }
                seen[upn] = row.line
                if let existing = state.pupil(upn), existing.left == nil {
                    throw LedgerError.rejected("UPN \(upn) is already on the admission register", at: place("upn"))
                }
                for column in ["forename", "surname", "group"] {
                    try Rules.checkText(csv.value(row, column), at: place(column), optional: false)
                }
                let yearGroup = csv.value(row, "year_group")
                guard LedgerSession.yearGroups.contains(yearGroup) else {
                    throw LedgerError.rejected("the year group must be N1, N2, R or 1 to 14", at: place("year_group"))
                }
                guard let dob = InputDates.date(csv.value(row, "dob")) else {
                    throw LedgerError.rejected("the date of birth is not a real date YYYY-MM-DD \(InputDates.rangeText)", at: place("dob"))
                }
                guard let admitted = InputDates.date(csv.value(row, "admitted")) else {
                    throw LedgerError.rejected("the admission date is not a real date YYYY-MM-DD \(InputDates.rangeText)", at: place("admitted"))
                }
                guard dob < admitted else { throw LedgerError.rejected("the date of birth is not before the admission date", at: place("dob")) }
                if let existing = state.pupil(upn), let left = existing.left, admitted < left {
                    throw LedgerError.rejected("UPN \(upn) was on roll until \(left); a re-admission must be on or after that date", at: place("admitted"))
                }
                var flags = PupilFlags()
                for column in ["sen", "ehcp", "pp", "fsm"] where csv.has(column) {
                    let v = csv.value(row, column)
                    guard v == "Y" || v == "N" || v.isEmpty else { throw LedgerError.rejected("the value must be Y or N", at: place(column)) }
                    let on = v == "Y"
                    switch column {
                    case "sen": flags.sen = on
                    case "ehcp": flags.ehcp = on
                    case "pp": flags.pp = on
                    default: flags.fsm = on
                    }
                }
                let sex = csv.value(row, "sex")
                guard sex.isEmpty || sex == "M" || sex == "F" else { throw LedgerError.rejected("the value must be M or F", at: place("sex")) }
                var admission = PupilAdmitted(upn: upn, forename: Rules.trimmed(csv.value(row, "forename")),
                                              surname: Rules.trimmed(csv.value(row, "surname")), dob: dob, yearGroup: yearGroup,
                                              group: Rules.trimmed(csv.value(row, "group")), admitted: admitted, flags: flags)
                admission.sex = sex.isEmpty ? nil : sex
                events.append(.pupilAdmitted(admission))
            }
            return try append(events)
        }
    }

    /// What a deletion from roll wrote, and how many recorded marks now fall outside the pupil's time on roll.
    public struct Deleted: Sendable, Hashable {
        /// The append.
        public var appended: Appended
        /// Marks recorded on or after the date of deletion, which no longer count.
        public var marksAfter: Int
    }

    /// Deletes a pupil from the admission register from a date (on roll up to the day before).
    public func leave(upn: String, on date: SchoolDate, ground: String) throws -> Deleted {
        try retryingIfIndexDamaged {
            _ = try author
            try Rules.checkText(ground, at: .option("--ground"), optional: false)
            let pupil = try state.requirePupil(upn, at: .option("--upn"))
            if let left = pupil.left { throw LedgerError.rejected("the pupil with UPN \(upn) was already deleted from roll on \(left)", at: .option("--upn")) }
            guard pupil.admitted < date else {
                throw LedgerError.rejected("the date of deletion must be after the admission date \(pupil.admitted)", at: .option("--on"))
            }
            var later = 0
            state.forEachMark(of: pupil.index) { day, _, _ in if day >= date { later += 1 } }
            let appended = try append([.pupilDeleted(PupilDeleted(upn: upn, on: date, ground: Rules.trimmed(ground)))])
            return Deleted(appended: appended, marksAfter: later)
        }
    }

    /// Records an intervention (a call, letter, meeting, notice, referral) about a pupil.
    @discardableResult
    public func intervene(_ intervention: InterventionRecorded) throws -> Appended {
        try retryingIfIndexDamaged {
            _ = try author
            guard InterventionRecorded.actions.contains(intervention.action) else {
                throw LedgerError.rejected("the action must be one of " + InterventionRecorded.actions.joined(separator: ", "), at: .option("--action"))
            }
            try Rules.checkText(intervention.note, at: .option("--note"), optional: true)
            let pupil = try state.requirePupil(intervention.upn, at: .option("--upn"))
            guard intervention.date >= pupil.admitted else {
                throw LedgerError.rejected("the date is before the pupil's admission on \(pupil.admitted)", at: .option("--date"))
            }
            guard intervention.date.day <= now.dayNumber + 1 else { throw LedgerError.rejected("the date is in the future", at: .option("--date")) }
            return try append([.interventionRecorded(intervention)])
        }
    }
}
