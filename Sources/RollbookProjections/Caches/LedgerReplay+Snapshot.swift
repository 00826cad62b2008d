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
    public static func loadUsingSnapshot(directory: String, asOf: Timestamp? = nil, warn: (String) -> Void = { _ in },
                                         progress: ((Int, Int) -> Void)? = nil) throws -> (replay: LedgerReplay, snapshotSeq: Int) {
        do {
            let (replay, seq) = try resume(directory: directory, asOf: asOf)
            return (replay, seq)
        } catch SnapshotRefusal.damaged(let reason) {
            warn("warning: ignored the snapshot \(LedgerPaths(directory: directory).snapshot) (\(reason)); reading the whole log.")
        } catch {}
        return (try load(directory: directory, asOf: asOf, progress: progress), 0)
    }

    private static func resume(directory: String, asOf: Timestamp?) throws -> (LedgerReplay, Int) {
        let reader = LogReader(directory: directory)
        guard reader.exists, FileSystem.exists(reader.paths.snapshot) else { throw SnapshotRefusal.absent }
        let snapshot: LedgerSnapshot
        do {
            snapshot = try LedgerSnapshot(bytes: try FileSystem.read(reader.paths.snapshot))
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
            if filter == nil { state.apply(envelope) } else { filter!.admit(envelope) { state.apply($0) } }
        }
        if let fault = scan.fault, scan.uncommittedTail == nil || fault.seq != scan.uncommittedTail!.firstSeq {
            throw SnapshotRefusal.stale
        }
        return (LedgerReplay(state: state, scan: scan), snapshot.position.seq)
    }
}
