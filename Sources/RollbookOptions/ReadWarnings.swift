import RollbookCommandLine
import RollbookDomain
import RollbookLog

/// Warnings every reading command gives about the log it read.
public enum ReadWarnings {
    /// Warns about an uncommitted tail (bytes after the last committed line), which is ignored.
    public static func report(_ scan: LogScan, into output: inout Output) {
        if let tail = scan.uncommittedTail {
            output.warn("warning: \(tail); it is ignored here and the next write will cut it off.")
        }
    }

    /// Fails, in the school's words, when nothing was known yet at the as-of moment (no school opened by then).
    public static func requireSchool(_ school: LedgerOpened?, ledger: String, asOf: Timestamp?) throws {
        guard school == nil, let asOf else { return }
        throw CommandFailure("The ledger at \(ledger) did not exist yet at \(asOf): nothing had been recorded by then; give a later --as-of.")
    }
}
