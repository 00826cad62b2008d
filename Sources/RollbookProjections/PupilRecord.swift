import RollbookDomain

/// A pupil as the admission register stands: details, flags, and when they were on roll.
public struct PupilRecord: Sendable, Hashable {
    /// The pupil's index in ``LedgerState/pupils`` (stable for the life of the projection).
    public var index: Int
    /// The unique pupil number.
    public var upn: String
    /// Forename.
    public var forename: String
    /// Surname.
    public var surname: String
    /// Date of birth.
    public var dob: SchoolDate
    /// Year group.
    public var yearGroup: String
    /// Registration group.
    public var group: String
    /// First day on roll.
    public var admitted: SchoolDate
    /// First day no longer on roll, if deleted.
    public var left: SchoolDate?
    /// The ground for deletion, if deleted.
    public var ground: String?
    /// SEN, EHCP, PP, FSM.
    public var flags: PupilFlags
    /// The event that admitted the pupil.
    public var admittedSeq: Int
    /// The event that deleted the pupil, if any.
    public var leftSeq: Int?

    /// Whether the pupil was on roll on the date.
    public func isOnRoll(_ date: SchoolDate) -> Bool {
        admitted <= date && (left.map { date < $0 } ?? true)
    }
}
