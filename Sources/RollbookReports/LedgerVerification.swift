import RollbookDomain
import RollbookLog
import RollbookProjections

/// The result of verifying a ledger, shared by `rollbook verify` and `rollbook-replay verify`.
///
/// Verification reads the whole log (the chain, the sequence, the times, the stubs, the checkpoint and
/// an optional digest), replays every event into the projection state, checks the events themselves
/// (``LedgerAudit``: the label against the `ledger.opened` URN, no session marked twice, disposals no
/// sooner than six years), and checks the cache `DIR/snapshot`, when readers would use it, against the
/// replayed state at the line it covers.
public struct LedgerVerification: Sendable {
    /// The ledger's label, if its checkpoint could be read.
    public var label: String?
    /// The committed event count the checkpoint records.
    public var count: Int
    /// The head hash.
    public var head: SHA256Digest?
    /// The first fault of the log, or nil when the log verifies.
    public var fault: LogFault?
    /// Whether a digest was checked.
    public var checkedDigest: Bool
    /// A cache file that disagrees with a full replay of the log, and how.
    public var cacheProblem: String?
    /// Disposals flagged for lines appended on or after their `before` date (not failures).
    public var warnings: [LedgerAudit.Warning] = []
    /// Bytes after the committed lines while the writer holds its lock: a write in progress, not checked.
    public var writeInProgress: UncommittedTail?

    /// Whether the ledger verifies: the log and every cache readers use.
    public var ok: Bool { fault == nil && cacheProblem == nil }

    /// The failure as one sentence, or nil when the ledger verifies.
    public var failureDescription: String? {
        if let fault { return fault.description }
        return cacheProblem
    }

    /// Verifies the ledger in `directory`, and that it extends the digest at `digestPath` if one is given
    /// (with a tree root, by a consistency proof from the digest's count to now).
    ///
    /// A reader can meet a writer mid-append (bytes after the checkpoint, or a disposal's stubs whose
    /// event it has not read): when a problem is found while the writer's lock is held, or the checkpoint
    /// changed during the read, the log is read again (for up to `patience` attempts, 0.1 s apart) rather
    /// than reported as tampering; bytes after the checkpoint while the lock is still held are reported
    /// as a write in progress.
    public static func run(directory: String, digestPath: String?, patience: Int = 600) throws -> LedgerVerification {
        try run(directory: directory, digestPath: digestPath, patience: patience, fused: true)
    }

    /// ``run(directory:digestPath:patience:)`` through the fused reader (`fused`, what the commands use:
    /// ``LogReader/fusedVerify(digest:exact:_:)`` with the marks folded from their bytes by ``MarkFold``)
    /// or through the reader it replaces (kept as the reference the tests compare it with).
    package static func run(directory: String, digestPath: String?, patience: Int = 600, fused: Bool) throws -> LedgerVerification {
        let reader = LogReader(directory: directory)
        guard reader.exists else { throw LogError.notALedger(path: reader.paths.directory) }
        var digest: LedgerDigest?
        if let digestPath {
            let bytes = try FileSystemAccess.read(digestPath)
            digest = try LedgerDigest(text: String(decoding: bytes, as: UTF8.self), path: digestPath)
        }
        var attempt = 0
        while true {
            let checkpointBefore = reader.checkpointBytes()
            let activeBefore = reader.writerIsActive
            let result = try once(reader, digest: digest, fused: fused)
            if result.ok { return result }
            let activeAfter = reader.writerIsActive
            guard activeBefore || activeAfter || reader.checkpointBytes() != checkpointBefore else { return result }
            attempt += 1
            if attempt >= patience { return result }
            LogReader.pause(milliseconds: 100)
        }
    }

    static func once(_ reader: LogReader, digest: LedgerDigest?, fused: Bool) throws -> LedgerVerification {
        // The snapshot first, so that a writer replacing it meanwhile can only make it newer than the log read.
        var snapshot: LedgerSnapshot?
        // One that cannot be read is ignored by every reader, so it changes nothing and is not reported.
        // So is one with a damaged page (readers find it when they read the page, and read the log instead).
        if FileSystem.exists(reader.paths.snapshot) {
            snapshot = try? LedgerSnapshot(file: try MappedFile(path: reader.paths.snapshot, limit: reader.snapshotLimit()))
            if let whole = snapshot, !whole.checkAllPages() { snapshot = nil }
        }
        var state = LedgerState()
        var auditing: LedgerAudit? = LedgerAudit()
        var decoder = EventLineDecoder()
        var marks = MarkFold()
        var decodeFault: LogFault?
        let capturedSeq = snapshot?.position.seq ?? -1
        var captured: LedgerState?
        var exact: EventEnvelope?
        var folded = false
        let body: (borrowing LogLine) throws -> Void = { line in
            if captured == nil && line.seq > capturedSeq && capturedSeq >= 0 { captured = state }
            if folded {
                folded = false
                return
            }
            let decoded = exact.take()
            guard decodeFault == nil else { return }
            if line.isStub {
                auditing!.stub(seq: line.seq)
                return
            }
            let envelope: EventEnvelope
            do {
                if let decoded, decoded.seq == line.seq { envelope = decoded } else { envelope = try decoder.decode(line) }
            } catch let error as EventDecodingError {
                decodeFault = LogFault(seq: line.seq, segment: LedgerPaths.relativeSegment(line.segment), line: line.lineNumber,
                                       problem: "the event cannot be read as a Rollbook event (\(error.problem))")
                return
            }
            auditing!.apply(envelope, state: state)
            state.apply(envelope)
        }
        let scan: LogScan
        if fused {
            scan = try reader.fusedVerify(digest: digest, exact: { line in
                // Not the line whose state the snapshot is compared with, nor any after a decoding fault.
                guard decodeFault == nil, captured != nil || capturedSeq < 0 || line.seq <= capturedSeq else { return false }
                if marks.fold(line, into: &state, audit: &auditing) {
                    folded = true
                    return true
                }
                exact = decoder.decodeExact(line)
                return exact != nil
            }, body)
        } else {
            scan = try reader.verify(digest: digest, body)
        }
        let audit = auditing!
        var result = LedgerVerification(label: scan.checkpoint?.label, count: scan.checkpoint?.count ?? 0,
                                        head: scan.checkpoint?.head, fault: scan.fault, checkedDigest: digest != nil)
        // Bytes after the checkpoint while the writer holds its lock are its write in progress.
        if let fault = scan.fault, let tail = scan.uncommittedTail, fault.seq == tail.firstSeq, reader.writerIsActive {
            result.fault = nil
            result.writeInProgress = tail
        }
        guard result.fault == nil else { return result }
        if let decodeFault {
            result.fault = decodeFault
            return result
        }
        result.fault = audit.fault(label: scan.checkpoint?.label)
        result.warnings = audit.warnings()
        if let snapshot, let checkpoint = scan.checkpoint {
            if captured == nil && scan.linesRead == capturedSeq { captured = state }
            // Readers use a snapshot only when its label matches and the log still holds its last line.
            // (A stale one is ignored by every reader, so it changes nothing and is not reported.)
            if snapshot.label == checkpoint.label, snapshot.position.seq <= checkpoint.count, reader.lineMatches(snapshot.position),
               let captured, snapshot.state != captured {
                var parts = snapshot.state.differences(from: captured)
                if parts.contains("the marks"), let session = snapshot.state.firstMarkDifference(from: captured) {
                    parts[parts.firstIndex(of: "the marks") ?? 0] = "the marks (first: \(session))"
                }
                result.cacheProblem = "The cache \(reader.paths.snapshot) disagrees with a full replay of the log up to seq "
                    + "\(snapshot.position.seq): \(parts.joined(separator: ", ")) differ. Commands that read it would report "
                    + "what the log does not say. Delete it (it is only a cache; a writer rebuilds it) and verify again."
            }
        }
        return result
    }

    /// Renders the result: one line of text, a CSV header and row, or a JSON object.
    public func render(_ format: OutputFormat) -> String {
        let message = failureDescription ?? "The ledger verifies."
        let firstBad: Int? = fault?.seq
        switch format {
        case .json:
            return JSONWriter.pretty(.object([
                JSONMember(key: "ok", value: .bool(ok)),
                JSONMember(key: "label", value: label.map { .string($0) } ?? .null),
                JSONMember(key: "count", value: .number(String(count))),
                JSONMember(key: "head", value: head.map { .string($0.hex) } ?? .null),
                JSONMember(key: "digest_checked", value: .bool(checkedDigest)),
                JSONMember(key: "first_bad_seq", value: firstBad.map { .number(String($0)) } ?? .null),
                JSONMember(key: "segment", value: fault?.segment.map { .string($0) } ?? .null),
                JSONMember(key: "line", value: fault?.line.map { .number(String($0)) } ?? .null),
                JSONMember(key: "message", value: .string(message)),
                JSONMember(key: "cache", value: cacheProblem.map { .string($0) } ?? .null),
                JSONMember(key: "write_in_progress", value: writeInProgress.map { .number(String($0.firstSeq)) } ?? .null),
                JSONMember(key: "warnings", value: .array(warnings.map { w in
                    .object([JSONMember(key: "seq", value: .number(String(w.seq))),
                             JSONMember(key: "disposal_seq", value: .number(String(w.disposalSeq))),
                             JSONMember(key: "count", value: .number(String(w.count))),
                             JSONMember(key: "message", value: .string(w.description))])
                })),
            ])) + "\n"
        case .csv:
            return TextTable.csv(["ok", "label", "count", "head", "digest_checked", "first_bad_seq", "segment", "line", "message", "warnings"], [[
                ok ? "true" : "false", label ?? "", String(count), head?.hex ?? "", checkedDigest ? "true" : "false",
                firstBad.map(String.init) ?? "", fault?.segment ?? "", fault?.line.map(String.init) ?? "",
                message, warnings.map(\.description).joined(separator: "; "),
            ]]) + "\n"
        case .text:
            var out = ""
            if let fault {
                var place = "seq \(fault.seq)"
                if let segment = fault.segment, let line = fault.line { place += " (\(segment) line \(line))" }
                out += "FAIL \(place): \(fault.problem)\n"
            }
            if let cacheProblem { out += "FAIL cache: \(cacheProblem)\n" }
            if ok {
                let digestNote = checkedDigest ? " (extends the digest)" : ""
                out += "ok: \(label ?? "empty ledger"), \(count) events, head \(head?.hex ?? SHA256Digest.zero.hex)\(digestNote)\n"
                if let writeInProgress {
                    out += "note: a write is in progress (the writer holds the lock): the \(writeInProgress.bytes) bytes after seq "
                        + "\(writeInProgress.firstSeq - 1) are not committed yet and were not checked.\n"
                }
            }
            for w in warnings { out += "warning: \(w)\n" }
            return TextEscaping.text(out, keepNewlines: true)
        }
    }
}

/// Read access to files for reports (the log layer's reader, re-exported for digests and inputs).
public enum FileSystemAccess {
    /// Reads a whole file.
    public static func read(_ path: String) throws -> [UInt8] { try FileSystem.readInput(path) }
}
