import Foundation
import RollbookCommandLine
import RollbookDomain
import RollbookLog
import RollbookLogWriter
import RollbookProjections

/// A writing command's hold on the ledger: the lock, the state read under it, and the append.
///
/// Opening takes the writer's lock, reads and verifies the whole log under it, and cuts off an
/// uncommitted tail (reporting it on standard error). A log that fails verification is never written to.
final class WriteSession {
    let environment: CommandEnvironment
    let writer: LogWriter
    private(set) var state: LedgerState

    /// `visit` sees every event as the log is read under the lock (see ``LedgerReplay/load(directory:asOf:visit:)``).
    init(_ environment: CommandEnvironment, output: inout Output, create label: String? = nil,
         visit: ((EventEnvelope, LedgerState) -> Void)? = nil) throws {
        self.environment = environment
        let faults = ProcessInfo.processInfo.environment["ROLLBOOK_FAULT"].flatMap(StorageFaults.parse) ?? .none
        writer = try LogWriter(directory: environment.ledger, label: label, create: label != nil,
                               lockTimeout: environment.lockTimeout, faults: faults)
        if label != nil {
            // A first write that failed may have left bytes but no checkpoint: cut them like any tail.
            if let cut = try writer.cutUncommittedTail() { output.warn(WriteSession.recovered(cut)) }
            state = LedgerState()
            return
        }
        let meter = ProgressMeter("reading the ledger")
        let replay = try LedgerReplay.load(directory: environment.ledger, visit: visit, progress: meter.update)
        meter.finish()
        state = replay.state
        writer.setLastAt(replay.scan.lastAt)
        if replay.scan.uncommittedTail != nil, let cut = try writer.cutUncommittedTail() {
            output.warn(WriteSession.recovered(cut))
        }
        guard state.school != nil else { throw CommandFailure("The ledger at \(environment.ledger) has no ledger.opened event.") }
    }

    static func recovered(_ cut: UncommittedTail) -> String {
        "warning: recovered from an interrupted write: cut off \(cut.bytes) bytes after seq \(cut.firstSeq - 1) in \(LedgerPaths.relativeSegment(cut.segment)); every committed event is intact."
    }

    var author: Author { environment.author! }

    /// Appends the events as one durable batch and returns the first sequence number.
    @discardableResult
    func append(_ events: [Event]) throws -> (first: Int, at: Timestamp) {
        let author = self.author
        let records = events.map { $0.record(by: author) }
        return try writer.append(records, at: environment.now())
    }

    /// Appends records already encoded (``Event/record(by:)`` or ``MarkRecordEncoder``) as one durable batch.
    @discardableResult
    func append(records: [[UInt8]]) throws -> (first: Int, at: Timestamp) {
        try writer.append(records, at: environment.now())
    }

    /// The current time, never earlier than the last event.
    var now: Timestamp { max(environment.now(), state.lastAt ?? Timestamp(milliseconds: 0)) }
}
