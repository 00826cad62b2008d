/// `pupil.details-changed`: new values for some of a pupil's details (nil members are unchanged).
public struct PupilDetailsChanged: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// New forename.
    public var forename: String?
    /// New surname.
    public var surname: String?
    /// New year group.
    public var yearGroup: String?
    /// New registration group.
    public var group: String?
    /// New flags.
    public var flags: PupilFlags?
    /// Creates the event.
    public init(upn: String, forename: String? = nil, surname: String? = nil, yearGroup: String? = nil, group: String? = nil, flags: PupilFlags? = nil) {
        self.upn = upn; self.forename = forename; self.surname = surname; self.yearGroup = yearGroup; self.group = group; self.flags = flags
    }
}
