/// The flags an admission records.
public struct PupilFlags: Sendable, Hashable {
    /// Special educational needs (SEN support).
    public var sen: Bool
    /// An education, health and care plan.
    public var ehcp: Bool
    /// Pupil premium.
    public var pp: Bool
    /// Free school meals.
    public var fsm: Bool
    /// Creates flags.
    public init(sen: Bool = false, ehcp: Bool = false, pp: Bool = false, fsm: Bool = false) {
        self.sen = sen; self.ehcp = ehcp; self.pp = pp; self.fsm = fsm
    }
    /// The ids of the set flags, in a fixed order: `ehcp`, `sen`, `pp`, `fsm`.
    public var ids: [String] {
        var out: [String] = []
        if ehcp { out.append("ehcp") }
        if sen { out.append("sen") }
        if pp { out.append("pp") }
        if fsm { out.append("fsm") }
        return out
    }
}
