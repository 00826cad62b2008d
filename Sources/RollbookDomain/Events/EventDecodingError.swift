/// A stored line that does not decode to a known event.
public struct EventDecodingError: Error, Equatable, CustomStringConvertible {
    /// The line's sequence number.
    public var seq: Int
    /// The member at fault, if one is.
    public var field: String?
    /// What is wrong.
    public var problem: String

    /// Creates the error.
    public init(seq: Int, field: String?, problem: String) { self.seq = seq; self.field = field; self.problem = problem }

    public var description: String {
        if let field { return "Event seq \(seq) cannot be read: member \"\(field)\" \(problem)." }
        return "Event seq \(seq) cannot be read: \(problem)."
    }
}
