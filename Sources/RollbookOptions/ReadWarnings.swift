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

    /// Like ``report(_:into:)``, but bytes after the checkpoint while the writer of the ledger in
    /// `directory` holds its lock are a write in progress (a note, not a warning).
    public static func report(_ scan: LogScan, directory: String, into output: inout Output) {
        guard let tail = scan.uncommittedTail else { return }
        if LogReader(directory: directory).writerIsActive {
            output.warn("note: a write is in progress (the writer holds the lock): the \(tail.bytes) bytes after seq "
                + "\(tail.firstSeq - 1) are not committed yet and are not shown.")
        } else {
            report(scan, into: &output)
        }
    }

    /// Fails, in the school's words, when nothing was known yet at the as-of moment (no school opened by then).
    public static func requireSchool(_ school: LedgerOpened?, ledger: String, asOf: Timestamp?) throws {
        guard school == nil, let asOf else { return }
        throw CommandFailure("The ledger at \(ledger) did not exist yet at \(asOf): nothing had been recorded by then; give a later --as-of.")
    }
}
