import RollbookLog

extension UncommittedTail {
    /// The warning a writer prints after moving an interrupted write out of the log: what was moved,
    /// from which seq, where it is kept, and what it means.
    public func report(ledger: String) -> String {
        var what: [String] = []
        if completeLines > 0 {
            what.append(completeLines == 1 ? "1 complete event (seq \(firstSeq))"
                        : "\(completeLines) complete events (seq \(firstSeq)–\(firstSeq + completeLines - 1)) from one write")
        }
        if tornBytes > 0 { what.append("a torn line of \(tornBytes) bytes") }
        let files = recoveredFiles.map { LedgerPaths(directory: ledger).directory + "/" + $0 }.joined(separator: ", ")
        var text = "warning: recovered from an interrupted write: cut off \(bytes) bytes after seq \(firstSeq - 1) in "
            + "\(LedgerPaths.relativeSegment(segment)) (\(what.joined(separator: " and "))) and moved them to \(files); "
            + "nothing was deleted, and every committed event is intact."
        if completeLines > 0 {
            text += " The checkpoint never committed them, so they were never acknowledged, unless \(ledger)/checkpoint had been "
                + "restored from an older backup: then their exact bytes are in that file; to put them back, restore the checkpoint "
                + "and segments together from one backup that holds them, or enter those events again."
        } else {
            text += " A torn line is not an event: its bytes are kept for inspection only."
        }
        return text
    }
}
