/// `intervention.recorded`: an action taken about a pupil's attendance.
public struct InterventionRecorded: Sendable, Hashable {
    /// The pupil.
    public var upn: String
    /// The action id: `welfare-call`, `standard-letter`, `letter`, `meeting`, `home-visit`,
    /// `improvement-plan`, `notice-to-improve`, `penalty-notice`, `la-referral` or `other`.
    public var action: String
    /// The date it was taken.
    public var date: SchoolDate
    /// A note.
    public var note: String?
    /// The action ids the product accepts.
    public static let actions = ["welfare-call", "standard-letter", "letter", "meeting", "home-visit", "improvement-plan",
                                 "notice-to-improve", "penalty-notice", "la-referral", "other"]
    /// Creates the event.
    public init(upn: String, action: String, date: SchoolDate, note: String?) { self.upn = upn; self.action = action; self.date = date; self.note = note }
}
