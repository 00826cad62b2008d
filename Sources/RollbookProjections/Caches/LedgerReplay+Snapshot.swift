import RollbookDomain
import RollbookLog

/// Loading a ledger from its snapshot (`DIR/snapshot`) and the lines after it.
extension LedgerReplay {
    /// Why a snapshot could not be used; only ``damaged`` is worth a warning.
    enum SnapshotRefusal: Error { case absent, damaged(String), stale }

    /// Reads the ledger in `directory` like ``load(directory:asOf:visit:before:progress:)``, starting from
    /// the snapshot in `DIR/snapshot` when it can be used, and from the first line otherwise.
    ///
    /// The snapshot is used when its format version and label match, `asOf` is nil or not earlier than
    /// the time of the last line it covers, and the log still holds that line at the recorded place with
    /// the recorded hash; the lines after it are then verified (sequence, chain from that line's hash,
    /// times, checkpoint) and folded. The lines up to it are **not** re-read or re-hashed (`rollbook
    /// verify` does that). On any mismatch or error the whole log is read as by ``load(directory:asOf:visit:before:progress:)``
    /// and a damaged snapshot is reported through `warn`; the snapshot never makes a load fail.
    /// Returns the replay and the sequence number the snapshot covered (0 when none was used).
    ///
    /// With `checkingAllPages`, every page of the snapshot is checked before it is used (for commands
    /// that read every pupil's marks); otherwise pages are checked as they are read, and the caller
    /// checks ``MarkStore/isDamaged`` afterwards (``computeUsingSnapshot(directory:asOf:warn:progress:_:)``).
    public static func loadUsingSnapshot(directory: String, asOf: Timestamp? = nil, checkingAllPages: Bool = false,
                                         warn: (String) -> Void = { _ in },
                                         progress: ((Int, Int) -> Void)? = nil) throws -> (replay: LedgerReplay, snapshotSeq: Int) {
        try LogReader(directory: directory).refuseMissingCheckpoint()
        do {
            let (replay, seq) = try resume(directory: directory, asOf: asOf)
            if checkingAllPages && !replay.state.markStore.checkAllPages() {
                throw SnapshotRefusal.damaged(damagedPageReason(replay.state.markStore.damagedPage ?? 0))
            }
            return (replay, seq)
        } catch SnapshotRefusal.damaged(let reason) {
            warn("warning: ignored the snapshot \(LedgerPaths(directory: directory).snapshot) (\(reason)); reading the whole log.")
        } catch SnapshotRefusal.absent {
            let replay = try load(directory: directory, asOf: asOf, progress: progress)
            if replay.state.eventCount >= indexExpectedAfter {
                warn("warning: there is no snapshot \(LedgerPaths(directory: directory).snapshot) (it was deleted or never written); read the whole log of \(replay.state.eventCount) events. The next write rebuilds it.")
            }
            return (replay, 0)
        } catch {}
        return (try load(directory: directory, asOf: asOf, progress: progress), 0)
    }

    /// How many events a ledger holds before its writer keeps a snapshot (a missing one is then worth a warning).
    public static let indexExpectedAfter = 10_000

    /// Why a damaged page makes the snapshot unusable, as a warning says it.
    static func damagedPageReason(_ page: Int) -> String {
        "its page \(page) does not match its checksum (the file is damaged)"
    }

    /// Loads the ledger as ``loadUsingSnapshot(directory:asOf:warn:progress:)`` does and computes `body`
    /// from it; when a page of the snapshot turns out damaged while `body` reads it, warns, reads the
    /// whole log and computes `body` again, so that nothing read from a damaged page is ever returned.
    public static func computeUsingSnapshot<T>(directory: String, asOf: Timestamp? = nil, warn: (String) -> Void = { _ in },
                                               progress: ((Int, Int) -> Void)? = nil,
                                               _ body: (LedgerReplay) throws -> T) throws -> T {
        let replay = try loadUsingSnapshot(directory: directory, asOf: asOf, warn: warn, progress: progress).replay
        let result = try body(replay)
        guard let page = replay.state.markStore.base?.damagedPage else { return result }
        warn("warning: ignored the snapshot \(LedgerPaths(directory: directory).snapshot) (\(damagedPageReason(page))); reading the whole log.")
        return try body(try load(directory: directory, asOf: asOf, progress: progress))
    }

    private static func resume(directory: String, asOf: Timestamp?) throws -> (LedgerReplay, Int) {
        let reader = LogReader(directory: directory)
        guard reader.exists, FileSystem.existsOrLink(reader.paths.snapshot) else { throw SnapshotRefusal.absent }
        let snapshot: LedgerSnapshot
        do {
            snapshot = try LedgerSnapshot(file: try MappedFile(path: reader.paths.snapshot, limit: reader.snapshotLimit()))
        } catch let error as SnapshotDecodingError {
            throw SnapshotRefusal.damaged(error.reason)
        } catch {
            throw SnapshotRefusal.damaged("\(error)")
        }
        guard let checkpoint = try reader.checkpoint(), checkpoint.label == snapshot.label,
              snapshot.position.seq <= checkpoint.count else { throw SnapshotRefusal.stale }
        if let asOf, let at = snapshot.position.lastAt, asOf < at { throw SnapshotRefusal.stale }
        guard reader.lineMatches(snapshot.position) else { throw SnapshotRefusal.stale }
        var state = snapshot.state
        var decoder = EventLineDecoder()
        var filter = asOf.map { KnowledgeFilter(asOf: $0) }
        var exact: EventEnvelope?
        let scan = try reader.scan(after: snapshot.position, exact: { line in
            exact = decoder.decodeExact(line)
            return exact != nil
        }) { line in
            let decoded = exact.take()
            if line.isStub { throw SnapshotRefusal.stale }
            let envelope: EventEnvelope
            if let decoded, decoded.seq == line.seq { envelope = decoded } else { envelope = try decoder.decode(line) }
            // A disposal changes what the lines before it hold: read everything.
            if case .retentionDisposed = envelope.event { throw SnapshotRefusal.stale }
            fold(envelope, into: &state, filter: &filter, visit: nil, before: nil)
        }
        if let fault = scan.fault, scan.uncommittedTail == nil || fault.seq != scan.uncommittedTail!.firstSeq {
            throw SnapshotRefusal.stale
        }
        if let page = state.markStore.base?.damagedPage { throw SnapshotRefusal.damaged(damagedPageReason(page)) }
        return (LedgerReplay(state: state, scan: scan), snapshot.position.seq)
    }
}
