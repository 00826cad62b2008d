import RollbookDomain
import RollbookLog

/// The replay cache as a query reads it: a base file and, when the log has grown since the base was
/// written, the tail file that extends it (see ``HistoryCacheFile``).
struct HistoryCacheFiles {
    var base: HistoryCacheFile
    var tail: HistoryCacheFile?

    /// The last verified line.
    var position: LogPosition { tail?.position ?? base.position }
    /// The ledger's label when the base was built.
    var label: String { base.label }
    /// How many retention disposals the index holds.
    var disposals: Int { base.disposals + (tail?.disposals ?? 0) }

    /// Unmaps both files.
    func close() {
        base.close()
        tail?.close()
    }

    /// Line `seq`: its segment, the line number in it, and the line's hash, offset and length.
    mutating func line(seq: Int) throws -> (segment: Int, lineNumber: Int, line: HistoryIndex.Line) {
        if tail != nil, seq >= tail!.firstSeq { return try tail!.line(seq: seq) }
        return try base.line(seq: seq)
    }

    /// The seqs of every line that touches the session (see ``HistoryCacheFile/lines(touching:)``).
    mutating func lines(touching focus: (upn: String, date: SchoolDate, session: Session)) throws -> [Int] {
        try base.lines(touching: focus) + (tail?.lines(touching: focus) ?? [])
    }

    /// The seqs of the lines indexed under `key`.
    mutating func lines(key: UInt64) throws -> [Int] {
        try base.lines(key: key) + (tail?.lines(key: key) ?? [])
    }
}
