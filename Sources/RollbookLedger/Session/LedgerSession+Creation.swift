import RollbookDomain
import RollbookLog
import RollbookProjections

extension LedgerSession {
    /// Opens a new ledger for a school: refuses a directory that already holds one, checks the school's
    /// details and policy, and writes the first event.
    ///
    /// A policy file's text is kept in the ledger (`policy_document`), so stages work from any directory.
    public static func create(_ context: LedgerContext, school opened: LedgerOpened) throws -> (session: LedgerSession, appended: Appended) {
        // A ledger exists once it has a checkpoint (a committed event); segment bytes without one are an
        // interrupted first write, which the writer cuts off.
        if FileSystem.exists(LogReader(directory: context.directory).paths.checkpoint) {
            throw LedgerError.alreadyExists(directory: context.directory)
        }
        try Rules.checkText(opened.name, at: .option("--name"), optional: false)
        guard opened.amRegister.closes < opened.pmRegister.opens else {
            throw LedgerError.rejected("the morning register must close before the afternoon register opens", at: .option("--am-register/--pm-register"))
        }
        var opened = opened
        let policy = try PolicyName.load(opened.policy)  // a policy file must be usable before the ledger names it
        if StagePolicy.preset(opened.policy) == nil {
            opened.policyDocument = String(decoding: try PolicyName.read(opened.policy), as: UTF8.self)
        }
        _ = policy
        let session = try LedgerSession(creating: context, label: "rollbook/\(opened.urn)")
        let appended = try session.append([.ledgerOpened(opened)])
        return (session, appended)
    }
}
