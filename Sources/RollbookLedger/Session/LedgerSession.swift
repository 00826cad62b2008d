import RollbookDomain
import RollbookLog
import RollbookLogWriter
import RollbookProjections

/// One writer's hold on a ledger: the lock, the state read under it, the rules every write is checked
/// against, and the durable append.
///
/// Opening takes the writer's lock, reads and verifies the log under it (through the projection cache
/// when it fits the log), and moves an uncommitted tail to `DIR/recovered/`, reporting it in ``warnings``. A log that
/// fails verification is never written to. Each write operation (``record(_:)``, ``importMarks(bytes:path:)``,
/// ``amend(_:)`` …) validates its input against the state and throws ``LedgerError`` before anything is
/// written, so a refused write leaves the log byte-for-byte unchanged.
public final class LedgerSession {
    /// The surroundings: directory, author, clock, writer settings.
    public let context: LedgerContext
    /// The log writer, holding the lock.
    let writer: LogWriter
    /// The state of the ledger as read at opening, with this session's appends folded in.
    public private(set) var state: LedgerState
    /// Warnings for the user (a recovered tail, an unusable cache) not yet taken, in the order they arose.
    public private(set) var warnings: [String] = []
    /// The sequence number the cache read at opening covered (0 when none was used).
    private var snapshotSeq = 0
    /// Whether appends may refresh the cache (not while a disposal is rewriting lines).
    private let keepsSnapshot: Bool

    /// Opens the ledger for writing: locks it and reads it (see the type's summary).
    ///
    /// `visit` sees every event as the log is read; with it, no cache is read or written.
    public init(_ context: LedgerContext, visit: ((EventEnvelope, LedgerState) -> Void)? = nil) throws {
        self.context = context
        writer = try LogWriter(directory: context.directory, label: nil, create: false, lockTimeout: context.lockTimeout,
                               faults: context.faults, segmentLimit: context.segmentLimit)
        keepsSnapshot = visit == nil
        let meter = context.progress("reading the ledger")
        let replay: LedgerReplay
        if let visit {
            replay = try LedgerReplay.load(directory: context.directory, visit: visit, progress: meter.update)
        } else {
            var found: [String] = []
            (replay, snapshotSeq) = try LedgerReplay.loadUsingSnapshot(directory: context.directory, warn: { found.append($0) },
                                                                      progress: meter.update)
            warnings += found
        }
        meter.finish()
        state = replay.state
        writer.setLastAt(replay.scan.lastAt)
        if replay.scan.uncommittedTail != nil, let cut = try writer.cutUncommittedTail(at: context.clock()) {
            warnings.append(cut.report(ledger: context.directory))
        }
        guard state.school != nil else { throw LedgerError.notOpened(directory: context.directory) }
    }

    /// Creates a new ledger and opens it for its first write.
    init(creating context: LedgerContext, label: String) throws {
        self.context = context
        writer = try LogWriter(directory: context.directory, label: label, create: true, lockTimeout: context.lockTimeout,
                               faults: context.faults, segmentLimit: context.segmentLimit)
        keepsSnapshot = true
        state = LedgerState()
        // A first write that failed may have left bytes but no checkpoint: cut them like any tail.
        if let cut = try writer.cutUncommittedTail(at: context.clock()) { warnings.append(cut.report(ledger: context.directory)) }
    }

    /// Adds a warning for the user (e.g. legacy codes accepted from migrated history).
    func warn(_ text: String) { warnings.append(text) }

    /// Returns the warnings not yet taken, and forgets them.
    public func takeWarnings() -> [String] {
        defer { warnings.removeAll() }
        return warnings
    }

    /// The author of this session's writes: every write needs one, neither blank nor holding control
    /// characters.
    var author: Author {
        get throws(LedgerError) {
            guard let author = context.author else { throw LedgerError.rejected("every write needs an author and position", at: nil) }
            return try Rules.identity(name: author.name, position: author.position)
        }
    }

    /// The current time for stamping, never earlier than the last event.
    public var now: Timestamp { max(context.clock(), state.lastAt ?? Timestamp(milliseconds: 0)) }

    /// The school's date today (UTC date of ``now``).
    var today: SchoolDate { SchoolDate(day: now.dayNumber) }

    /// Appends events as one durable batch and folds them into ``state``.
    @discardableResult
    func append(_ events: [Event]) throws -> Appended {
        let author = try self.author
        return try append(records: events.map { $0.record(by: author) }, events: events)
    }

    /// Appends records already encoded (``Event/record(by:)`` or ``MarkRecordEncoder``) as one durable
    /// batch; `events` are the same events as values, folded into ``state`` without decoding the bytes.
    /// `steppingBack` only for an authored clock correction (stamped with the clock even if earlier).
    func append(records: [[UInt8]], events: [Event], steppingBack: Bool = false) throws -> Appended {
        precondition(records.count == events.count, "each record is one event")
        // Checks that read a damaged page of the snapshot saw empty sessions there: never write on them.
        if let page = state.markStore.damagedPage {
            throw LedgerError.indexDamaged(path: LedgerPaths(directory: context.directory).snapshot, page: page)
        }
        let result = try writer.append(records, at: context.clock(), steppingBack: steppingBack)
        let author = try self.author
        for (i, event) in events.enumerated() {
            state.apply(EventEnvelope(seq: result.first + i, at: result.at, version: event.currentVersion, author: author, event: event))
        }
        let appended = Appended(first: result.first, count: records.count, at: result.at)
        if state.markStore.isDamaged {
            // Folding the append reached a damaged page of the snapshot: the log is written and right, but
            // the state is not; read it again from the log (so the refresh below replaces the snapshot).
            do { try readWholeLog() } catch { warnings.append("warning: the ledger could not be read again after the append (\(error)); the append itself is durable.") }
        }
        refreshSnapshot(through: appended.last)
        return appended
    }

    /// Appends `count` records, each encoded by `encode` straight into the writer's batch
    /// (``LogWriter/append(count:bytes:at:startingNewSegment:steppingBack:record:)``), as one durable batch;
    /// `fold` then applies the same events to ``state``, given the first sequence number and the time stamped.
    /// A damaged state is refused and read again as by ``append(records:events:steppingBack:)``.
    func append(count: Int, bytes: Int, encode: (Int, inout [UInt8]) -> Void,
                fold: (inout LedgerState, _ first: Int, _ at: Timestamp) -> Void) throws -> Appended {
        if let page = state.markStore.damagedPage {
            throw LedgerError.indexDamaged(path: LedgerPaths(directory: context.directory).snapshot, page: page)
        }
        let result = try writer.append(count: count, bytes: bytes, at: context.clock(), record: encode)
        fold(&state, result.first, result.at)
        let appended = Appended(first: result.first, count: count, at: result.at)
        if state.markStore.isDamaged {
            do { try readWholeLog() } catch { warnings.append("warning: the ledger could not be read again after the append (\(error)); the append itself is durable.") }
        }
        refreshSnapshot(through: appended.last)
        return appended
    }

    /// Runs a write (its checks, then its append); when a page of the snapshot turns out damaged while
    /// the checks read it, nothing has been written (``append(records:events:steppingBack:)`` refuses a
    /// damaged state): the session warns, reads the whole log, and runs the write again.
    func retryingIfIndexDamaged<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            guard state.markStore.isDamaged else { throw error }
            try readWholeLog()
            return try body()
        }
    }

    /// Checks every page of the snapshot the state was read from (for writes that read every pupil's
    /// marks, such as an import), reading the whole log instead when one is damaged.
    func checkWholeIndex() throws {
        guard !state.markStore.checkAllPages() else { return }
        try readWholeLog()
    }

    /// Replaces the state read through a damaged snapshot with one read from the whole log, with a warning.
    private func readWholeLog() throws {
        let page = state.markStore.damagedPage ?? 0
        warnings.append("warning: ignored the snapshot \(LedgerPaths(directory: context.directory).snapshot) (its page \(page) does not match its checksum); read the whole log instead.")
        let meter = context.progress("reading the ledger")
        state = try LedgerReplay.load(directory: context.directory, progress: meter.update).state
        meter.finish()
        snapshotSeq = 0
    }

    /// After a durable append: refreshes the cache when the log has grown far past it. The append is
    /// already acknowledged, so a failure here is only a warning (the next writer tries again).
    private func refreshSnapshot(through last: Int) {
        guard keepsSnapshot, last - snapshotSeq >= context.snapshotInterval, !state.markStore.isDamaged else { return }
        do {
            guard let checkpoint = try LogReader(directory: context.directory).checkpoint(), checkpoint.count == last else { return }
            state.compactMarks()
            let position = LogPosition(seq: checkpoint.count, head: checkpoint.head, segment: checkpoint.segment,
                                       offset: checkpoint.offset, lastAt: state.lastAt)
            try writer.replaceSnapshot(LedgerSnapshot(label: checkpoint.label, position: position, state: state).encoded())
            snapshotSeq = checkpoint.count
        } catch {
            warnings.append("warning: the snapshot was not refreshed (\(error)); the append itself is durable.")
        }
    }
}

/// What an append wrote: the sequence numbers and the time stamped on them.
public struct Appended: Sendable, Hashable {
    /// The first sequence number written.
    public var first: Int
    /// How many events were written.
    public var count: Int
    /// The time stamped on them.
    public var at: Timestamp
    /// The last sequence number written.
    public var last: Int { first + count - 1 }
}
