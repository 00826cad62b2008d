import RollbookDomain
import RollbookLog

/// The fused read: the log hashed, checked and folded in one pass (``LogReader/fusedScan(digest:exact:_:)``),
/// the mark events folded straight from their bytes (``MarkFold``), every other event decoded as before.
extension LedgerReplay {
    /// ``loadOnce(_:asOf:reference:visit:before:progress:)`` through the fused reader: the same state, the
    /// same scan and the same errors (the tests compare the two on generated and damaged ledgers).
    static func loadFused(_ reader: LogReader, asOf: Timestamp?,
                          visit: ((EventEnvelope, LedgerState) -> Void)?,
                          before: ((EventEnvelope, LedgerState) -> Void)?,
                          progress: ((Int, Int) -> Void)?) throws -> LedgerReplay {
        var state = LedgerState()
        var decoder = EventLineDecoder()
        var marks = MarkFold()
        var noAudit: LedgerAudit?
        // The hooks see envelopes, so with a hook every line is decoded.
        let foldsMarks = visit == nil && before == nil
        var filter = asOf.map { KnowledgeFilter(asOf: $0) }
        let total = progress == nil ? 0 : ((try? reader.checkpoint())??.count ?? 0)
        var exact: EventEnvelope?
        var folded = false
        let scan = try reader.fusedScan(exact: { line in
            // A line known at the as-of moment is applied at once (KnowledgeFilter.admit), so it may be folded.
            if foldsMarks, asOf == nil || line.at.map({ $0 <= asOf! }) == true, marks.fold(line, into: &state, audit: &noAudit) {
                folded = true
                return true
            }
            exact = decoder.decodeExact(line)
            return exact != nil
        }) { line in
            if let progress, line.seq & 0xFFFF == 0 { progress(line.seq, total) }
            if folded {
                folded = false
                return
            }
            let decoded = exact.take()
            if line.isStub { return }
            let envelope: EventEnvelope
            if let decoded, decoded.seq == line.seq { envelope = decoded } else { envelope = try decoder.decode(line) }
            fold(envelope, into: &state, filter: &filter, visit: visit, before: before)
        }
        return try finish(&state, scan)
    }
}
