extension AttendanceCode {
    /// The one character that stands for this code in a Common Transfer File's `AttendanceMarks`, where
    /// each session takes exactly one character.
    ///
    /// A one-character code is itself. DfE's CTF specification could not be consulted here (see the
    /// README, "Known limits"), so each two-character code takes the one-character code of the same
    /// statistical category that is valid on the same dates: the leaves of absence `C1`, `C2` and `J1`
    /// become `C` (leave of absence for exceptional circumstances) and the unavoidable causes `Y1`–`Y7`
    /// become `Q` (unable to attend, not a possible session). The legacy `J` is not used for `J1`: it
    /// counts as approved educational activity, not absence.
    public var ctfCharacter: Character {
        switch text {
        case "C1", "C2", "J1": return "C"
        case "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7": return "Q"
        default: return text.first ?? "-"
        }
    }
}
