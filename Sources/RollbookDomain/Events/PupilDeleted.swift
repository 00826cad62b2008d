/// `pupil.deleted`: a pupil deleted from the admission register; not on roll from `on`.
public struct PupilDeleted: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The date of deletion: the first day the pupil is no longer on roll.
    public var on: SchoolDate
    /// The ground for deletion (regulation 9), e.g. `moved to another school`.
    public var ground: String
    /// Creates the event.
    public init(upn: String, on: SchoolDate, ground: String) { self.upn = upn; self.on = on; self.ground = ground }
}
