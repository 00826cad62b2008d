/// Who made an entry: a name and a position, both required for every write.
public struct Author: Sendable, Hashable {
    /// The person's name, e.g. `Jane Smith`.
    public var name: String
    /// Their position, e.g. `Attendance Officer`.
    public var position: String

    /// Creates an author.
    public init(name: String, position: String) {
        self.name = name
        self.position = position
    }
}
