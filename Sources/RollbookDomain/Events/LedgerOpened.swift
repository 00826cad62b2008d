/// `ledger.opened`: the school a ledger belongs to and its settings.
public struct LedgerOpened: Sendable, Hashable {
    /// The school's unique reference number (6 digits).
    public var urn: String
    /// The school's name.
    public var name: String
    /// The local-authority code (3 digits).
    public var la: String
    /// The establishment number (4 digits).
    public var estab: String
    /// The stage policy (a preset id or a policy file's name).
    public var policy: String
    /// The morning register window.
    public var amRegister: RegisterWindow
    /// The afternoon register window.
    public var pmRegister: RegisterWindow
    /// The policy file's JSON text as it was when the ledger was opened (nil for a preset).
    ///
    /// The ledger carries its own copy, so stages do not depend on where the file was, or whether it
    /// still exists or has changed.
    public var policyDocument: String?
    /// Creates the event.
    public init(urn: String, name: String, la: String, estab: String, policy: String, amRegister: RegisterWindow, pmRegister: RegisterWindow,
                policyDocument: String? = nil) {
        self.urn = urn; self.name = name; self.la = la; self.estab = estab; self.policy = policy
        self.amRegister = amRegister; self.pmRegister = pmRegister; self.policyDocument = policyDocument
    }
}
