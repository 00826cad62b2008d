import RollbookDomain
import RollbookLog

/// One pass over a ledger's log that verifies it and folds every event (up to an as-of moment) into
/// projection state. This is the only place projections meet I/O.
public struct LedgerReplay {
    /// The state after the pass.
    public var state: LedgerState
    /// What the reader found: the checkpoint, the head, and any uncommitted tail.
    public var scan: LogScan

    /// Reads the ledger in `directory`, applying the events known at `asOf` (all when nil): those appended at
    /// or before it, and history migrated with a `recorded_at` at or before it (see ``KnowledgeFilter``).
    ///
    /// Retention disposals are recorded in ``LedgerState/disposals`` whatever the as-of moment, since
    /// what they removed is gone from every view of the past.
    ///
    /// `visit` sees each applied envelope after it is applied; `before` sees each envelope that will be
    /// applied, with the state just before it (`before` comes last so that a trailing closure is `visit`).
    /// Both serve folds beyond ``LedgerState`` (the stage tracker uses `before` to evaluate the end of
    /// each day before the next day's first event).
    /// Throws ``LogError/verificationFailed(_:)`` if the log fails verification; an uncommitted tail
    /// alone is not a failure for a reader (it is reported in ``LogScan/uncommittedTail``).
    ///
    /// `progress`, when given, is called every 65,536 lines with the number of lines read and the
    /// checkpoint's count (for a progress display; it sees nothing else).
    public static func load(directory: String, asOf: Timestamp? = nil,
                            visit: ((EventEnvelope, LedgerState) -> Void)? = nil,
                            before: ((EventEnvelope, LedgerState) -> Void)? = nil,
                            progress: ((Int, Int) -> Void)? = nil) throws -> LedgerReplay {
        try load(directory: directory, asOf: asOf, reference: false, fused: true, visit: visit, before: before, progress: progress)
    }

    /// ``load(directory:asOf:visit:before:progress:)`` with a choice of reader and decoder: with `fused`
    /// (what every command uses) the fused reader (``LogReader/fusedScan(digest:exact:_:)``) and, when
    /// there is no `visit` or `before` hook, the marks folded from their bytes (``MarkFold``); without it
    /// the reader and decoders it replaces, kept as the reference the tests compare it with. With
    /// `reference`, every line goes through the general JSON decoder ``EventEnvelope/init(line:)``
    /// instead of ``EventLineDecoder`` (and `fused` is ignored).
    package static func load(directory: String, asOf: Timestamp? = nil, reference: Bool, fused: Bool = false,
                             visit: ((EventEnvelope, LedgerState) -> Void)? = nil,
                             before: ((EventEnvelope, LedgerState) -> Void)? = nil,
                             progress: ((Int, Int) -> Void)? = nil) throws -> LedgerReplay {
        let reader = LogReader(directory: directory)
        guard reader.exists else { throw LogError.notALedger(path: reader.paths.directory) }
        try reader.refuseMissingCheckpoint()
        // A writer that commits while the log is read (a disposal rewriting lines as stubs) can make what
        // was read inconsistent: read again (a fold with hooks cannot be restarted: say so instead).
        for attempt in 0..<20 {
            let checkpointBefore = reader.checkpointBytes()
            do {
                if fused && !reference {
                    return try loadFused(reader, asOf: asOf, visit: visit, before: before, progress: progress)
                }
                return try loadOnce(reader, asOf: asOf, reference: reference, visit: visit, before: before, progress: progress)
            } catch LogError.verificationFailed(let fault) {
                guard reader.checkpointBytes() != checkpointBefore else { throw LogError.verificationFailed(fault) }
                if visit != nil || before != nil || attempt == 19 { throw LogError.changedWhileReading(path: reader.paths.directory) }
                LogReader.pause(milliseconds: 50)
            }
        }
        throw LogError.changedWhileReading(path: reader.paths.directory)
    }

    static func loadOnce(_ reader: LogReader, asOf: Timestamp?, reference: Bool,
                         visit: ((EventEnvelope, LedgerState) -> Void)?,
                         before: ((EventEnvelope, LedgerState) -> Void)?,
                         progress: ((Int, Int) -> Void)?) throws -> LedgerReplay {
        var state = LedgerState()
        var decoder = EventLineDecoder()
        var filter = asOf.map { KnowledgeFilter(asOf: $0) }
        let total = progress == nil ? 0 : ((try? reader.checkpoint())??.count ?? 0)
        // Lines in the writer's exact layout are decoded as they are read, and the reader then skips
        // their (redundant) strict JSON check; the reference reader checks and decodes every line fully.
        var exact: EventEnvelope?
        let scan = try reader.scan(exact: { line in
            exact = reference ? nil : decoder.decodeExact(line)
            return exact != nil
        }) { line in
            if let progress, line.seq & 0xFFFF == 0 { progress(line.seq, total) }
            let decoded = exact.take()
            if line.isStub { return }
            let envelope: EventEnvelope
            if let decoded, decoded.seq == line.seq { envelope = decoded }
            else { envelope = reference ? try EventEnvelope(line: line) : try decoder.decode(line) }
            fold(envelope, into: &state, filter: &filter, visit: visit, before: before)
        }
        return try finish(&state, scan)
    }

    /// Folds one event as a replay does: through the knowledge filter when there is one (an event not
    /// yet known waits for its moment), with the hooks around it. Content disposed of is gone at every
    /// as-of moment, so a disposal the filter holds back still leaves its record.
    static func fold(_ envelope: EventEnvelope, into state: inout LedgerState, filter: inout KnowledgeFilter?,
                     visit: ((EventEnvelope, LedgerState) -> Void)?, before: ((EventEnvelope, LedgerState) -> Void)?) {
        guard filter != nil else {
            before?(envelope, state)
            state.apply(envelope)
            visit?(envelope, state)
            return
        }
        let applied = filter!.admit(envelope) { known in
            before?(known, state)
            state.apply(known)
            visit?(known, state)
        }
        if !applied, case .retentionDisposed(let e) = envelope.event { state.disposals.append((envelope.seq, e)) }
    }

    /// The replay after a whole read: a fault other than an uncommitted tail fails it; the mark store is
    /// trimmed to its marks.
    static func finish(_ state: inout LedgerState, _ scan: LogScan) throws -> LedgerReplay {
        if let fault = scan.fault, scan.uncommittedTail == nil || fault.seq != scan.uncommittedTail!.firstSeq {
            throw LogError.verificationFailed(fault)
        }
        state.markStore.compact()
        return LedgerReplay(state: state, scan: scan)
    }
}
