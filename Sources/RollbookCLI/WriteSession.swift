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
    /// The sequence number the snapshot read at opening covered (0 when none was used).
    private var snapshotSeq = 0
    /// Whether appends may refresh the snapshot (not while a disposal is rewriting lines).
    private let keepsSnapshot: Bool
    /// The state after the appends so far, when ``foldedIsCurrent`` (for the snapshot).
    private var folded = LedgerState()
    private var foldedIsCurrent = false

    /// How many events may follow the snapshot before an append rewrites it: rewriting it (tens of MB for
    /// a large school) after every append would cost more than reading the short tail.
    /// `ROLLBOOK_SNAPSHOT_EVERY` overrides it (tests use 1).
    static let snapshotInterval = ProcessInfo.processInfo.environment["ROLLBOOK_SNAPSHOT_EVERY"].flatMap { Int($0) }.map { max(1, $0) } ?? 50_000

    /// `visit` sees every event as the log is read under the lock (see ``LedgerReplay/load(directory:asOf:visit:)``).
    init(_ environment: CommandEnvironment, output: inout Output, create label: String? = nil,
         visit: ((EventEnvelope, LedgerState) -> Void)? = nil) throws {
        self.environment = environment
        let faults = StorageFaults.fromEnvironment()
        writer = try LogWriter(directory: environment.ledger, label: label, create: label != nil,
                               lockTimeout: environment.lockTimeout, faults: faults)
        keepsSnapshot = visit == nil
        if label != nil {
            // A first write that failed may have left bytes but no checkpoint: cut them like any tail.
            if let cut = try writer.cutUncommittedTail(at: environment.now()) { output.warn(cut.report(ledger: environment.ledger)) }
            state = LedgerState()
            return
        }
        let meter = ProgressMeter("reading the ledger")
        let replay: LedgerReplay
        if let visit {
            // The visitor needs every event, so no snapshot is read (and none is written by this session).
            replay = try LedgerReplay.load(directory: environment.ledger, visit: visit, progress: meter.update)
        } else {
            var warnings: [String] = []
            (replay, snapshotSeq) = try LedgerReplay.loadUsingSnapshot(directory: environment.ledger, warn: { warnings.append($0) },
                                                                      progress: meter.update)
            for warning in warnings { output.warn(warning) }
        }
        meter.finish()
        state = replay.state
        folded = replay.state
        foldedIsCurrent = visit == nil
        writer.setLastAt(replay.scan.lastAt)
        if replay.scan.uncommittedTail != nil, let cut = try writer.cutUncommittedTail(at: environment.now()) {
            output.warn(cut.report(ledger: environment.ledger))
        }
        guard state.school != nil else { throw CommandFailure("The ledger at \(environment.ledger) has no ledger.opened event.") }
    }

    var author: Author { environment.author! }

    /// Appends the events as one durable batch and returns the first sequence number.
    @discardableResult
    func append(_ events: [Event]) throws -> (first: Int, at: Timestamp) {
        let author = self.author
        let records = events.map { $0.record(by: author) }
        return appended(try writer.append(records, at: environment.now()), records: records)
    }

    /// Appends records already encoded (``Event/record(by:)`` or ``MarkRecordEncoder``) as one durable batch.
    @discardableResult
    func append(records: [[UInt8]]) throws -> (first: Int, at: Timestamp) {
        appended(try writer.append(records, at: environment.now()), records: records)
    }

    /// After a durable append: refreshes the snapshot when the log has grown far past it. The append is
    /// already acknowledged, so a failure here is only a warning (the next writer tries again).
    ///
    /// The state written is the state read at opening with the appended records folded in (decoded
    /// from the very bytes appended, as a reader would decode them); after an earlier append in the same
    /// session that was not folded, the log is read again instead.
    private func appended(_ result: (first: Int, at: Timestamp), records: [[UInt8]]) -> (first: Int, at: Timestamp) {
        let last = result.first + records.count - 1
        guard keepsSnapshot, !records.isEmpty else { return result }
        guard last - snapshotSeq >= WriteSession.snapshotInterval else {
            foldedIsCurrent = false
            return result
        }
        do {
            let reader = LogReader(directory: environment.ledger)
            var next: LedgerState
            var lastAt: Timestamp?
            if foldedIsCurrent, let folded = WriteSession.fold(records, first: result.first, at: result.at, into: folded) {
                next = folded
                lastAt = result.at
            } else {
                let (replay, _) = try LedgerReplay.loadUsingSnapshot(directory: environment.ledger)
                guard replay.scan.fault == nil, replay.scan.linesRead == last else { return result }
                next = replay.state
                lastAt = replay.scan.lastAt
            }
            next.compactMarks()
            folded = next
            foldedIsCurrent = true
            guard let checkpoint = try reader.checkpoint(), checkpoint.count == last else { return result }
            let position = LogPosition(seq: checkpoint.count, head: checkpoint.head, segment: checkpoint.segment,
                                       offset: checkpoint.offset, lastAt: lastAt)
            try writer.replaceSnapshot(LedgerSnapshot(label: checkpoint.label, position: position, state: next).encoded())
            snapshotSeq = checkpoint.count
        } catch {
            FileHandle.standardError.write(Data("warning: the snapshot was not refreshed (\(error)); the append itself is durable.\n".utf8))
        }
        return result
    }

    /// `state` with the records appended from `first` at `at` applied, each decoded from the line the
    /// writer made of it; nil if one does not decode.
    static func fold(_ records: [[UInt8]], first: Int, at: Timestamp, into state: LedgerState) -> LedgerState? {
        var state = state
        var decoder = EventLineDecoder()
        var line: [UInt8] = []
        let head = Array(#","at":""#.utf8) + at.logBytes + Array(#"","prev":""#.utf8) + Array(repeating: UInt8(ascii: "0"), count: 64)
            + Array(#"","#.utf8)
        for (index, record) in records.enumerated() {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"seq":"#.utf8)
            line.append(contentsOf: String(first + index).utf8)
            line.append(contentsOf: head)
            line.append(contentsOf: record.dropFirst())
            let decoded: EventEnvelope? = line.withUnsafeBytes { bytes in
                try? decoder.decode(LogLine(seq: first + index, at: at, bytes: bytes, hash: .zero, segment: 0, lineNumber: 0))
            }
            guard let envelope = decoded else { return nil }
            state.apply(envelope)
        }
        return state
    }

    /// The current time, never earlier than the last event.
    var now: Timestamp { max(environment.now(), state.lastAt ?? Timestamp(milliseconds: 0)) }
}
