/// A register session: morning or afternoon.
///
/// Every school day has two sessions, each with its own register. The morning sorts before the
/// afternoon; the raw value is stable and may be used in compact projection state.
public enum Session: UInt8, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// The morning session (`AM`).
    case am = 0
    /// The afternoon session (`PM`).
    case pm = 1

    /// Parses exactly `AM` or `PM` (case-sensitive); anything else gives nil.
    @inlinable
    public init?(_ text: some StringProtocol) {
        var bytes = text.utf8.makeIterator()
        guard let first = bytes.next(), bytes.next() == UInt8(ascii: "M"), bytes.next() == nil else {
            return nil
        }
        switch first {
        case UInt8(ascii: "A"): self = .am
        case UInt8(ascii: "P"): self = .pm
        default: return nil
        }
    }

    /// `AM` or `PM`, as written in registers, commands and events.
    public var description: String {
        switch self {
        case .am: return "AM"
        case .pm: return "PM"
        }
    }

    /// Morning sorts before afternoon.
    public static func < (lhs: Session, rhs: Session) -> Bool { lhs.rawValue < rhs.rawValue }
}
