import RollbookDomain

/// One pupil's stage under a policy on an evaluation date (the rows of `rollbook stages`).
public struct PupilStage: Sendable, Hashable {
    /// The pupil's UPN.
    public var upn: String
    /// Registration group.
    public var group: String
    /// The pupil's index in ``LedgerState/pupils``.
    public var pupil: Int
    /// The stage's position in the policy (0 is the first stage).
    public var stageIndex: Int
    /// The stage id.
    public var stage: String
    /// The first day of the run of days, ending on the evaluation date, in which the pupil was in this stage.
    public var since: SchoolDate
    /// Flag ids, in policy order.
    public var flags: [String]
    /// One sentence saying why.
    public var reason: String
    /// The actions the policy says are due and not yet recorded.
    public var actionsDue: [StagePolicy.Action]
    /// The stage at the end of the last school week before the evaluation date's week (nil when there was none).
    public var previousStage: String?
    /// Possible sessions, attendance and absence this academic year to date.
    public var possible: Int
    /// Overall attendance sessions.
    public var attendance: Int
    /// Overall absence sessions.
    public var absence: Int
}
