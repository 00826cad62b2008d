import RollbookCommandLine
import RollbookDomain
import RollbookLedger
import RollbookLog
import RollbookLogWriter
import RollbookOptions

/// What every command takes from its surroundings: which ledger, who is writing, and the time.
///
/// The ledger is `--ledger DIR`, else `$ROLLBOOK_LEDGER`, else `./ledger`. The author is
/// `--author NAME --position POSITION`, else `$ROLLBOOK_AUTHOR` and `$ROLLBOOK_POSITION`. The clock is
/// the system's, unless `$ROLLBOOK_NOW` gives a fixed UTC time (used to build the demo ledger and
/// tests). Every variable is read by ``ProcessEnvironment``.
struct CommandEnvironment {
    var ledger: String
    var author: Author?
    var now: () -> Timestamp
    private var variables: ProcessEnvironment
    private var lockTimeout: Double

    /// Parses `--ledger`, `--author`, `--position` from the arguments and fills the rest from the environment.
    static func parse(_ arguments: inout Arguments, writes: Bool, environment: ProcessEnvironment = .current) throws(UsageError) -> CommandEnvironment {
        let ledger = try CommonOptions.ledger(&arguments, environment)
        let identity = try CommonOptions.identity(&arguments, environment)
        var author: Author?
        if writes {
            guard let name = identity.name else {
                throw UsageError("every write needs an author: give --author NAME (or set ROLLBOOK_AUTHOR)")
            }
            guard let position = identity.position else {
                throw UsageError("every write needs the author's position: give --position POSITION (or set ROLLBOOK_POSITION)")
            }
            do { author = try Rules.identity(name: name, position: position) } catch {
                throw UsageError("\(error.place.map { "\($0): " } ?? "")\(error.problem ?? "the identity is not usable") (every write records who made it)")
            }
        }
        // A reading command records nothing, so an identity given out of habit (or by a script that
        // passes one to every command) is accepted and not used.
        return CommandEnvironment(ledger: ledger, author: author, now: try environment.clock(), variables: environment,
                                  lockTimeout: try environment.lockTimeoutSeconds())
    }

    /// The ledger layer's context for a session on this ledger.
    var context: LedgerContext {
        LedgerContext(directory: ledger, author: author, clock: now, lockTimeout: lockTimeout,
                      faults: variables.fault.flatMap(StorageFaults.parse) ?? .none, snapshotInterval: variables.snapshotInterval,
                      progress: { ProgressMeter($0) })
    }

    /// Opens a writing session, passing on its warnings (a recovered tail, an unusable cache).
    func openSession(_ output: inout Output) throws -> LedgerSession {
        let session = try LedgerSession(context)
        output.warn(contentsOf: session.takeWarnings())
        return session
    }
}

extension ProgressMeter: ProgressReporting {}

extension Output {
    /// Appends each warning as a line of standard error.
    mutating func warn(contentsOf warnings: [String]) { for warning in warnings { warn(warning) } }
}
