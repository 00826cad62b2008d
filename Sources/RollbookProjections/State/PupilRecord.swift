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
    /// Earlier spells on roll, for a pupil deleted and later admitted again (oldest first).
    public var earlierSpells: [Spell] = []
    /// Sex as the admission register holds it (`M` or `F`), when held.
    public var sex: String?

    /// A closed spell on roll: from `admitted` up to the day before `left`.
    public struct Spell: Sendable, Hashable {
        /// First day on roll.
        public var admitted: SchoolDate
        /// First day no longer on roll.
        public var left: SchoolDate
        /// Creates a spell.
        public init(admitted: SchoolDate, left: SchoolDate) { self.admitted = admitted; self.left = left }
    }

    /// Whether the pupil was on roll on the date (in the current spell or an earlier one).
    public func isOnRoll(_ date: SchoolDate) -> Bool {
        if admitted <= date && (left.map { date < $0 } ?? true) { return true }
        return earlierSpells.contains { $0.admitted <= date && date < $0.left }
    }

    /// The first day of the pupil's first spell on roll.
    public var firstAdmitted: SchoolDate { earlierSpells.first?.admitted ?? admitted }
}
