import RollbookCommandLine
import RollbookLog

/// Warnings every reading command gives about the log it read.
public enum ReadWarnings {
    /// Warns about an uncommitted tail (bytes after the last committed line), which is ignored.
    public static func report(_ scan: LogScan, into output: inout Output) {
        if let tail = scan.uncommittedTail {
            output.warn("warning: \(tail); it is ignored here and the next write will cut it off.")
        }
    }
}
