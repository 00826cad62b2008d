#if canImport(Glibc)
import Glibc
#endif
import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections

/// The replay tool's own cache for `history`, kept outside the ledger (the tool never writes there and
/// never reads the officer's caches): where each verified line is, its hash, and which lines touch each
/// pupil-session, keyed to the count and head it was verified up to.
///
/// A query checks the cache still describes the log (the line at its count still has its hash), verifies
/// only the lines appended since (extending the cache), reads just the lines the session's history
/// needs, re-hashes each against the hash recorded when it was verified, and folds them
/// (``SessionReplay``). A cache that is missing, damaged, for another ledger, or describes a log since
/// rewritten (or disposed of under retention) is rebuilt by verifying the whole log, with a warning.
struct HistoryCache {
    /// The cache file.
    let path: String
    /// The ledger directory as given, and its absolute path.
    let ledger: String
    let ledgerPath: String
    /// How many appended lines the tail may hold before it is merged into the base (at least this, and
    /// an eighth of the base).
    var tailLines = 65_536

    /// The cache file for the ledger in `ledger`, in `directory` (`--cache`), else in
    /// `$XDG_CACHE_HOME/rollbook-replay`, else `$HOME/.cache/rollbook-replay`; nil when there is no such
    /// place or the ledger cannot be resolved. Refuses a cache directory inside the ledger.
    static func locate(ledger: String, label: String, directory: String?, environment: ProcessEnvironment) throws -> HistoryCache? {
        guard let ledgerPath = HistoryCache.resolve(ledger) else { return nil }
        let base: String
        if let directory {
            base = directory
        } else if let xdg = environment.cacheHome, xdg.hasPrefix("/") {
            base = xdg + "/rollbook-replay"
        } else if let home = environment.home, home.hasPrefix("/") {
            base = home + "/.cache/rollbook-replay"
        } else {
            return nil
        }
        guard let resolved = HistoryCache.resolve(base) else { return nil }
        if resolved == ledgerPath || resolved.hasPrefix(ledgerPath + "/") {
            throw UsageError("the replay cache must be outside the ledger directory (\(base) is inside \(ledger)); give another --cache")
        }
        let name = label.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }
        let hash = SHA256.hash(Array(ledgerPath.utf8)).hex.prefix(16)
        var cache = HistoryCache(path: resolved + "/" + String(name) + "-" + hash + ".history", ledger: ledger, ledgerPath: ledgerPath)
        if let lines = environment.replayTail.flatMap({ Int($0) }), lines >= 0 { cache.tailLines = lines }
        return cache
    }

    /// The absolute path of `path` with its existing part's links resolved (the rest need not exist yet).
    static func resolve(_ path: String) -> String? {
        var absolute = path
        if !path.hasPrefix("/") {
            guard let cwd = realpath(".", nil) else { return nil }
            defer { free(cwd) }
            absolute = String(cString: cwd) + "/" + path
        }
        var rest: [String] = []
        var head = absolute
        while true {
            if let real = realpath(head, nil) {
                defer { free(real) }
                var result = String(cString: real)
                for part in rest.reversed() where part != "." && !part.isEmpty {
                    if part == ".." { return nil }
                    result += (result.hasSuffix("/") ? "" : "/") + part
                }
                return result
            }
            guard let slash = head.lastIndex(of: "/"), head != "/" else { return nil }
            rest.append(String(head[head.index(after: slash)...]))
            head = slash == head.startIndex ? "/" : String(head[..<slash])
        }
    }

    // MARK: the query

    /// The session's history from the cache (building or extending it first), or nil when only a full
    /// replay can answer (a relevant event held back at `asOf`; see ``SessionReplay``).
    func history(focus: AmendmentHistory.Focus, asOf: Timestamp?, output: inout Output) throws -> SessionReplay? {
        let reader = LogReader(directory: ledger)
        var file = try current(reader, output: &output)
        let disposals = file.disposals
        do {
            defer { file.close() }
            return try history(focus: focus, asOf: asOf, file: &file, reader: reader)
        } catch let error as HistoryCacheError {
            switch error {
            case .damaged:
                // A page the query needed does not match its checksum: rebuild, then answer from the new file.
                output.warn("warning: \(error) It is rebuilt from the log (it is only a cache).")
            case .lineChanged where disposals > 0:
                // A disposal interrupted before the cache was built and finished since rewrites lines in
                // place, and moves the lines after them: only the whole log can tell that from tampering.
                output.warn("note: a line the answer needs moved or changed since the replay cache \(path) was built, after a "
                    + "retention disposal; the whole log is verified again and the cache rebuilt.")
            default:
                throw error
            }
            var rebuilt = try rebuild(reader, output: &output)
            defer { rebuilt.close() }
            return try history(focus: focus, asOf: asOf, file: &rebuilt, reader: reader)
        }
    }

    func history(focus: AmendmentHistory.Focus, asOf: Timestamp?, file: inout HistoryCacheFiles, reader: LogReader) throws -> SessionReplay? {
        var decoder = EventLineDecoder()
        var descriptors: [Int: Int32] = [:]
        defer { for fd in descriptors.values { Glibc.close(fd) } }
        func read(_ seqs: [Int]) throws -> [EventEnvelope] {
            var envelopes: [EventEnvelope] = []
            for seq in seqs {
                let (segment, lineNumber, line) = try file.line(seq: seq)
                let segmentName = LedgerPaths.relativeSegment(segment)
                func changed(_ problem: String) -> HistoryCacheError {
                    .lineChanged(seq: seq, segment: segmentName, line: lineNumber, problem: problem)
                }
                if descriptors[segment] == nil {
                    do { descriptors[segment] = try FileSystem.openRegular(reader.paths.segment(segment)) } catch { throw changed("cannot be read (\(error))") }
                }
                var bytes = [UInt8](repeating: 0, count: Int(line.length))
                let length = Int(line.length)
                var done = 0
                while done < length {
                    let n = bytes.withUnsafeMutableBytes { pread(descriptors[segment]!, $0.baseAddress! + done, length - done, off_t(Int(line.offset) + done)) }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw changed("is shorter than when it was verified") }
                    done += n
                }
                let envelope = try bytes.withUnsafeBytes { raw -> EventEnvelope in
                    let hash = SHA256.hash(raw)
                    guard hash == line.hash else { throw changed("no longer has the hash it had when it was verified") }
                    guard let at = HistoryCache.time(raw, seq: seq) else { throw changed("does not start as a line of that seq") }
                    do {
                        return try decoder.decode(LogLine(seq: seq, at: at, bytes: raw, hash: hash, segment: segment, lineNumber: lineNumber))
                    } catch {
                        throw changed("cannot be read as an event (\(error))")
                    }
                }
                envelopes.append(envelope)
            }
            return envelopes
        }
        let touching = try file.lines(touching: (focus.upn, focus.date, focus.session))
        var envelopes = try read(touching)
        if SessionReplay.needsMigratedMarks(focus: focus, envelopes: envelopes, asOf: asOf) {
            let migrated = Set(try file.lines(key: HistoryIndex.key(migratedMarksOf: focus.upn))).subtracting(touching)
            envelopes = (envelopes + (try read(migrated.sorted()))).sorted { $0.seq < $1.seq }
        }
        return SessionReplay(focus: focus, envelopes: envelopes, asOf: asOf)
    }

    /// The `at` of a line that begins `{"seq":N,"at":"…"`.
    static func time(_ line: UnsafeRawBufferPointer, seq: Int) -> Timestamp? {
        let prefix = Array("{\"seq\":\(seq),\"at\":\"".utf8)
        guard line.count >= prefix.count + 24, line.prefix(prefix.count).elementsEqual(prefix) else { return nil }
        return Timestamp(logBytes: UnsafeRawBufferPointer(rebasing: line[prefix.count..<(prefix.count + 24)]))
    }

    // MARK: keeping the cache current

    /// The tail file beside the base.
    var tailPath: String { path + "-tail" }

    /// The cache, checked against the log and extended to its checkpoint: opened from its files, else
    /// rebuilt from the whole log (with a warning when a file was there but could not be used).
    func current(_ reader: LogReader, output: inout Output) throws -> HistoryCacheFiles {
        guard reader.exists else { throw LogError.notALedger(path: reader.paths.directory) }
        try reader.refuseMissingCheckpoint()
        var files: HistoryCacheFiles
        do {
            files = HistoryCacheFiles(base: try HistoryCacheFile(path: path))
        } catch HistoryCacheError.unreadable(_, let code) where code == ENOENT {
            return try rebuild(reader, output: &output)
        } catch {
            output.warn("warning: \(error) It is rebuilt from the log (it is only a cache).")
            return try rebuild(reader, output: &output)
        }
        do {
            let tail = try HistoryCacheFile(path: tailPath)
            // A tail left from an earlier base (a crash between writing a base and removing it) is ignored.
            if tail.baseSum == files.base.headerSum, tail.firstSeq == files.base.position.seq + 1, tail.label == files.base.label,
               tail.ledgerPath == files.base.ledgerPath {
                files.tail = tail
            } else {
                tail.close()
            }
        } catch HistoryCacheError.unreadable(_, let code) where code == ENOENT {
        } catch {
            output.warn("warning: \(error) The lines it held are verified again (it is only a cache).")
        }
        let checkpoint = try reader.checkpoint()
        let position = files.position
        guard let checkpoint, files.label == checkpoint.label, files.base.ledgerPath == ledgerPath, position.seq <= checkpoint.count,
              reader.lineMatches(position) else {
            output.warn("warning: the replay cache \(path) no longer matches this ledger (its line \(position.seq) is not in the log "
                + "as it was verified: the log was rewritten, disposed of under retention, or replaced). The cache is discarded and "
                + "rebuilt from the whole log.")
            files.close()
            return try rebuild(reader, output: &output)
        }
        // Verify what was appended since, from the cached head on.
        var tail: HistoryIndex
        do {
            tail = try files.tail?.index() ?? HistoryIndex(base: files.base.position.seq)
        } catch {
            output.warn("warning: \(error) It is rebuilt from the log (it is only a cache).")
            files.close()
            return try rebuild(reader, output: &output)
        }
        tail.position = position
        let fresh = tail.lines.isEmpty
        let scan: LogScan
        do {
            scan = try tail.addLines(from: position.segment, offset: position.offset) { try reader.scan(after: position, exact: $0, $1) }
        } catch {
            // Read the whole log instead: it names the exact line at fault.
            files.close()
            return try rebuild(reader, output: &output)
        }
        if scan.fault != nil && !(scan.uncommittedTail.map { $0.firstSeq == scan.fault!.seq } ?? false) {
            files.close()
            return try rebuild(reader, output: &output)
        }
        ReadWarnings.report(scan, directory: ledger, into: &output)
        guard tail.position != position else { return files }
        if tail.sawDisposal {
            output.warn("note: a retention disposal was recorded since the replay cache \(path) was built, so it is rebuilt from the whole log.")
            files.close()
            return try rebuild(reader, output: &output)
        }
        if fresh, tail.segments.first?.number == position.segment {
            // Line numbers count from the segment's first line, which the base holds.
            do {
                if let first = try files.base.firstSeq(ofSegment: position.segment) { tail.segments[0].firstSeq = first }
            } catch {
                output.warn("warning: \(error) It is rebuilt from the log (it is only a cache).")
                files.close()
                return try rebuild(reader, output: &output)
            }
        }
        // A small tail is rewritten on its own; a large one is merged into a new base.
        if tail.lines.count <= max(tailLines, files.base.position.seq / 8) {
            tail.sort()
            let base = files.base
            files.tail?.close()
            return HistoryCacheFiles(base: base, tail: try store(tail, at: tailPath, label: checkpoint.label, baseSum: base.headerSum, output: &output))
        }
        var index: HistoryIndex
        do {
            index = try files.base.index()
        } catch {
            output.warn("warning: \(error) It is rebuilt from the log (it is only a cache).")
            files.close()
            return try rebuild(reader, output: &output)
        }
        files.close()
        index.append(tail)
        index.sort()
        let merged = HistoryCacheFiles(base: try store(index, at: path, label: checkpoint.label, output: &output))
        unlink(tailPath)
        return merged
    }

    /// Verifies the whole log, builds the index and stores it as a new base (with no tail).
    func rebuild(_ reader: LogReader, output: inout Output) throws -> HistoryCacheFiles {
        let (index, scan) = try HistoryCache.build(reader)
        ReadWarnings.report(scan, directory: ledger, into: &output)
        guard let label = scan.checkpoint?.label else { throw HistoryCacheError.damaged(path: path, problem: "the ledger has no checkpoint") }
        let files = HistoryCacheFiles(base: try store(index, at: path, label: label, output: &output))
        unlink(tailPath)
        return files
    }

    /// Writes an index to `file` (atomically: a new file renamed over the old) and opens it; when it
    /// cannot be written, warns and reads it from memory.
    func store(_ index: HistoryIndex, at file: String, label: String, baseSum: [UInt8] = [UInt8](repeating: 0, count: 32),
               output: inout Output) throws -> HistoryCacheFile {
        do {
            try HistoryCache.write(to: file) { fd in
                _ = try HistoryCacheFile.write(index, label: label, ledgerPath: ledgerPath, baseSum: baseSum) { offset, bytes in
                    var done = 0
                    while done < bytes.count {
                        let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { throw HistoryCacheError.unwritable(path: file, errno: n < 0 ? errno : EIO) }
                        done += n
                    }
                }
            }
            return try HistoryCacheFile(path: file)
        } catch {
            output.warn("warning: the replay cache cannot be written: \(error); this answer is unaffected, the next query verifies the log again.")
            return try HistoryCacheFile(bytes: HistoryCacheFile.bytes(of: index, label: label, ledgerPath: ledgerPath, baseSum: baseSum), path: file)
        }
    }

    /// Verifies and reads the whole log once (as ``LedgerReplay/load(directory:asOf:visit:before:progress:)``
    /// does, reading again if a writer committed meanwhile) into an index.
    static func build(_ reader: LogReader) throws -> (HistoryIndex, LogScan) {
        for attempt in 0..<20 {
            let checkpointBefore = reader.checkpointBytes()
            do {
                return try buildOnce(reader)
            } catch LogError.verificationFailed(let fault) {
                guard reader.checkpointBytes() != checkpointBefore else { throw LogError.verificationFailed(fault) }
                if attempt == 19 { break }
                LogReader.pause(milliseconds: 50)
            }
        }
        throw LogError.changedWhileReading(path: reader.paths.directory)
    }

    static func buildOnce(_ reader: LogReader) throws -> (HistoryIndex, LogScan) {
        var index = HistoryIndex()
        if let count = (try? reader.checkpoint())??.count, count > 0, count < 1 << 32 {
            // Room for every line at once (a mark line's key too), rather than doubling as they come.
            index.lines.reserveCapacity(count)
            index.keys.reserveCapacity(count + count / 16)
        }
        let scan = try index.addLines(from: 0, offset: 0) { try reader.scan(exact: $0, $1) }
        if let fault = scan.fault, scan.uncommittedTail == nil || fault.seq != scan.uncommittedTail!.firstSeq {
            throw LogError.verificationFailed(fault)
        }
        guard index.position != nil else { throw LogError.notALedger(path: reader.paths.directory) }
        index.sort()
        return (index, scan)
    }

    /// Writes a new file beside `path` (0600, in a 0700 directory made if needed) with `body`, and
    /// renames it over `path`.
    static func write(to path: String, _ body: (Int32) throws -> Void) throws {
        let directory = String(path[..<path.lastIndex(of: "/")!])
        try makeDirectories(directory)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw HistoryCacheError.unwritable(path: temporary, errno: errno) }
        do {
            try body(fd)
        } catch {
            Glibc.close(fd)
            unlink(temporary)
            throw error
        }
        var failure: Int32 = 0
        if Glibc.close(fd) != 0 { failure = errno }
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw HistoryCacheError.unwritable(path: path, errno: failure)
        }
    }

    static func makeDirectories(_ directory: String) throws {
        var isDirectory = stat()
        if stat(directory, &isDirectory) == 0 { return }
        if let slash = directory.lastIndex(of: "/"), slash != directory.startIndex {
            try makeDirectories(String(directory[..<slash]))
        }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST { throw HistoryCacheError.unwritable(path: directory, errno: errno) }
    }
}
