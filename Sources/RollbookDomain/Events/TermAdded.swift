/// `calendar.term-added`: a term; school days are the weekdays from `from` to `to` inclusive.
public struct TermAdded: Sendable, Hashable {
    /// The term's name, e.g. `Autumn 1`.
    public var name: String
    /// The first day.
    public var from: SchoolDate
    /// The last day.
    public var to: SchoolDate
    /// Creates the event.
    public init(name: String, from: SchoolDate, to: SchoolDate) { self.name = name; self.from = from; self.to = to }
}
