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

    /// A spell on roll: from `admitted` up to the day before `left` (closed for an earlier spell; the
    /// current one is open while `left` is nil).
    public struct Spell: Sendable, Hashable {
        /// First day on roll.
        public var admitted: SchoolDate
        /// First day no longer on roll.
        public var left: SchoolDate
        /// The ground for the deletion that ended the spell.
        public var ground: String?
        /// Creates a spell.
        public init(admitted: SchoolDate, left: SchoolDate, ground: String? = nil) {
            self.admitted = admitted; self.left = left; self.ground = ground
        }
    }

    /// One spell on roll as exports list them, the current one included.
    public struct SpellOnRoll: Sendable, Hashable {
        /// First day on roll.
        public var admitted: SchoolDate
        /// First day no longer on roll; nil while the pupil is on roll.
        public var left: SchoolDate?
        /// The ground for the deletion, if deleted.
        public var ground: String?
    }

    /// Every spell on roll, oldest first: the earlier spells, then the current one.
    public var spells: [SpellOnRoll] {
        earlierSpells.map { SpellOnRoll(admitted: $0.admitted, left: $0.left, ground: $0.ground) }
            + [SpellOnRoll(admitted: admitted, left: left, ground: ground)]
    }

    /// Whether the pupil was on roll on the date (in the current spell or an earlier one).
    public func isOnRoll(_ date: SchoolDate) -> Bool {
        if admitted <= date && (left.map { date < $0 } ?? true) { return true }
        return earlierSpells.contains { $0.admitted <= date && date < $0.left }
    }

    /// Whether the pupil was on roll on at least one day from `from` to `to` (inclusive), in any spell.
    public func wasOnRoll(from: SchoolDate, to: SchoolDate) -> Bool {
        spells.contains { $0.admitted <= to && ($0.left.map { $0 > from } ?? true) }
    }

    /// The number of the latest spell begun by the date, oldest first from 0 (0 too before the first).
    public func spellNumber(on date: SchoolDate) -> Int {
        guard !earlierSpells.isEmpty else { return 0 }
        var begun = admitted <= date ? 1 : 0
        for spell in earlierSpells where spell.admitted <= date { begun += 1 }
        return max(begun - 1, 0)
    }

    /// The first day of the pupil's first spell on roll.
    public var firstAdmitted: SchoolDate { earlierSpells.first?.admitted ?? admitted }
}
