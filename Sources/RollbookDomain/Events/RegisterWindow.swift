/// When a register is open: from `opens` until `closes` (at most 30 minutes).
public struct RegisterWindow: Sendable, Hashable, CustomStringConvertible {
    /// When the register opens.
    public var opens: ClockTime
    /// When it closes; arrival after this is `U`.
    public var closes: ClockTime
    /// Creates a window.
    public init(opens: ClockTime, closes: ClockTime) {
        self.opens = opens
        self.closes = closes
    }
    /// Parses `HH:MM-HH:MM`, requiring it to open before it closes and stay open at most 30 minutes.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let o = ClockTime(parts[0]), let c = ClockTime(parts[1]), o < c,
              c.minutes - o.minutes <= 30 else { return nil }
        self.init(opens: o, closes: c)
    }
    /// `HH:MM-HH:MM`.
    public var description: String { "\(opens)-\(closes)" }
    /// The default morning register, 08:40–09:00.
    public static let defaultAM = RegisterWindow(opens: ClockTime(minutes: 520), closes: ClockTime(minutes: 540))
    /// The default afternoon register, 13:40–13:45.
    public static let defaultPM = RegisterWindow(opens: ClockTime(minutes: 820), closes: ClockTime(minutes: 825))
}
