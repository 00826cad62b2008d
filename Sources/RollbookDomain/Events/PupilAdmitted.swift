/// `pupil.admitted`: a pupil entered on the admission register.
public struct PupilAdmitted: Sendable, Hashable {
    /// The unique pupil number.
    public var upn: String
    /// Forename.
    public var forename: String
    /// Surname.
    public var surname: String
    /// Date of birth.
    public var dob: SchoolDate
    /// National curriculum year group, e.g. `7` or `R`.
    public var yearGroup: String
    /// Registration group (form), e.g. `7A`.
    public var group: String
    /// The first day on roll.
    public var admitted: SchoolDate
    /// SEN, EHCP, PP, FSM.
    public var flags: PupilFlags
    /// Sex as the admission register holds it (`M` or `F`), when held.
    public var sex: String?
    /// Creates the event.
    public init(upn: String, forename: String, surname: String, dob: SchoolDate, yearGroup: String, group: String, admitted: SchoolDate,
                flags: PupilFlags, sex: String? = nil) {
        self.upn = upn; self.forename = forename; self.surname = surname; self.dob = dob
        self.yearGroup = yearGroup; self.group = group; self.admitted = admitted; self.flags = flags; self.sex = sex
    }
}
