/// Resuming a scan after a known line, for a reader that already holds the state up to it.
extension LogReader {
    /// The longest anchor line ``lineMatches(_:)`` reads back; a longer line simply does not match.
    static let anchorWindow = 4 << 20

    /// Whether the line ending at `position.offset` in `position.segment` is line `position.seq` and has
    /// the chain hash `position.head` (and, when it is not a stub, the time `position.lastAt`).
    ///
    /// Any error reading it counts as a mismatch: the caller then reads the whole log.
    public func lineMatches(_ position: LogPosition) -> Bool {
        guard position.seq >= 1, position.offset >= 1 else { return false }
        // Most lines are a few hundred bytes: read 64 KiB before the offset first, more only if needed.
        for window in [64 << 10, LogReader.anchorWindow] {
            let start = max(0, position.offset - window)
            guard let bytes = try? FileSystem.read(paths.segment(position.segment), from: start, limit: position.offset - start),
                  bytes.count == position.offset - start, bytes.last == 0x0A else { return false }
            var lineStart = bytes.count - 1
            while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
            if lineStart == 0 && start > 0 { continue }
            return bytes.withUnsafeBytes { all -> Bool in
                let line = UnsafeRawBufferPointer(rebasing: all[lineStart..<(bytes.count - 1)])
                guard let prefix = LinePrefix(line), prefix.seq == position.seq, !prefix.badAt else { return false }
                if let at = prefix.at, at != position.lastAt { return false }
                return (prefix.disposed ?? SHA256.hash(line)) == position.head
            }
        }
        return false
    }

    /// Scans the committed lines after `position`, verifying them exactly as ``scan(digest:_:)`` verifies
    /// the lines after that one: the sequence from `position.seq + 1`, the chain from `position.head`,
    /// the times from `position.lastAt`, the checkpoint, stubs and any uncommitted tail.
    ///
    /// The lines up to `position` are neither read nor hashed: call ``lineMatches(_:)`` first to check the
    /// log still holds that line. Line numbers in ``LogLine`` and in faults count from the line after
    /// `position` in its segment (a caller that needs to report a fault should read the whole log).
    public func scan(after position: LogPosition, _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        try scan(after: position, validateUpFront: true, exact: { _ in false }, body)
    }

    /// ``scan(after:_:)`` with an exact decoder, as ``scan(digest:exact:_:)`` takes one.
    package func scan(after position: LogPosition, exact: (borrowing LogLine) -> Bool,
                      _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        try scan(after: position, validateUpFront: false, exact: exact, body)
    }

    private func scan(after position: LogPosition, validateUpFront: Bool, exact: (borrowing LogLine) -> Bool,
                      _ body: (borrowing LogLine) throws -> Void) throws -> LogScan {
        var state = ScanState(digest: nil)
        let checkpoint: Checkpoint
        do {
            guard let found = try self.checkpoint() else {
                state.fault(LogFault(seq: 1, segment: nil, line: nil, problem: "the checkpoint file is missing"))
                return state.result(checkpoint: nil)
            }
            checkpoint = found
        } catch {
            if case .badCheckpoint(_, let reason) = error {
                state.fault(LogFault(seq: 1, segment: nil, line: nil, problem: "the checkpoint file is invalid (\(reason))"))
                return state.result(checkpoint: nil)
            }
            throw error
        }
        state.committedCount = checkpoint.count
        state.position = position.seq + 1
        state.previousHash = position.head
        state.previousAt = position.lastAt
        state.lastSegment = position.segment
        state.lastEndOffset = position.offset
        state.lastLineNumber = 0

        let segmentNumbers: [Int]
        switch try listSegments() {
        case .success(let numbers): segmentNumbers = numbers
        case .failure(let fault):
            state.fault(fault)
            return state.result(checkpoint: checkpoint)
        }
        guard segmentNumbers.contains(position.segment) else {
            state.fault(LogFault(seq: position.seq, segment: LedgerPaths.relativeSegment(position.segment), line: nil,
                                 problem: "the segment holding line \(position.seq) is missing"))
            return state.result(checkpoint: checkpoint)
        }
        for number in segmentNumbers where number >= position.segment {
            if state.finished { break }
            let from = number == position.segment ? position.offset : 0
            let bytes = try FileSystem.read(paths.segment(number), from: from)
            try bytes.withUnsafeBytes { buffer in
                try scanSegment(number: number, buffer: buffer, fileOffset: from, firstLine: 1, state: &state,
                                checkpoint: checkpoint, validateUpFront: validateUpFront, exact: exact, body: body)
            }
        }
        state.finish(checkpoint: checkpoint)
        return state.result(checkpoint: checkpoint)
    }
}
