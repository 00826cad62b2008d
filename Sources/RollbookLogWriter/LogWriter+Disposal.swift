import RollbookLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LogWriter {
    /// Replaces committed lines by disposal stubs, rewriting each affected segment atomically.
    ///
    /// `lines` are the sequence numbers to replace, each with the chain hash the line must have (the
    /// SHA-256 of its bytes, read under this writer's lock); they must be in ascending order. A line
    /// that is already a stub is left alone, so an interrupted disposal can be finished by calling this
    /// again. Each segment is rewritten as `segments/NNNNNN.jsonl.tmp`, fsynced, renamed over the
    /// segment and the directory fsynced, one segment at a time.
    ///
    /// The caller must already have appended the `retention.disposed` event that covers the lines, as
    /// the first line of a new segment (``append(_:at:startingNewSegment:)``): then no rewritten segment
    /// holds the checkpoint's line, the checkpoint's segment and offset stay true, and after a crash at
    /// any point the log still verifies (the stubs written so far are covered; the lines not yet
    /// replaced still hash to what the chain records). See `events/FORMAT.md`.
    ///
    /// - Returns: how many lines were replaced by stubs.
    @discardableResult
    public func replaceWithStubs(_ lines: [(seq: Int, hash: SHA256Digest)]) throws(LogError) -> Int {
        guard !stopped else { throw .writerStopped }
        guard let checkpoint, !lines.isEmpty else { return 0 }
        guard let lastSeq = lines.last?.seq, lastSeq <= checkpoint.count else {
            throw .badRecord(index: 0, reason: "a line to dispose of is beyond the end of the log")
        }
        var next = 0  // index into `lines`
        var seq = 1   // the seq of the next line read
        var replaced = 0
        do throws(LogError) {
            for segment in 1...checkpoint.segment {
                if next == lines.count { break }
                let path = paths.segment(segment)
                let bytes = try FileSystem.read(path)
                // Count this segment's lines, and see whether any line to dispose of is in it.
                var newlineCount = 0
                for b in bytes where b == 0x0A { newlineCount += 1 }
                let segmentLast = seq + newlineCount - 1
                if lines[next].seq > segmentLast { seq = segmentLast + 1; continue }
                guard segment < checkpoint.segment else {
                    throw .verificationFailed(LogFault(seq: lines[next].seq, segment: LedgerPaths.relativeSegment(segment), line: nil,
                        problem: "the line to dispose of is in the segment that holds the checkpoint's line; a disposal must first append its retention.disposed event in a new segment"))
                }
                var out: [UInt8] = []
                out.reserveCapacity(bytes.count)
                var start = 0
                var lineNumber = 0
                while start < bytes.count {
                    var end = start
                    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                    lineNumber += 1
                    let line = bytes[start..<end]
                    if next < lines.count && lines[next].seq == seq {
                        if let stub = try LogWriter.stub(for: line, seq: seq, expected: lines[next].hash, segment: segment, lineNumber: lineNumber) {
                            out.append(contentsOf: stub)
                            replaced += 1
                        } else {
                            out.append(contentsOf: line)
                        }
                        next += 1
                    } else {
                        out.append(contentsOf: line)
                    }
                    out.append(0x0A)
                    seq += 1
                    start = end + 1
                }
                try rewriteSegment(segment, bytes: out)
            }
        } catch {
            stopped = true
            throw .stubsUnfinished(error)
        }
        guard next == lines.count else {
            stopped = true
            throw .verificationFailed(LogFault(seq: lines[next].seq, segment: nil, line: nil,
                                               problem: "the line to dispose of was not found in the segments"))
        }
        return replaced
    }

    /// The stub replacing a line, or nil if the line is already the stub of that hash.
    static func stub(for line: ArraySlice<UInt8>, seq: Int, expected: SHA256Digest, segment: Int, lineNumber: Int) throws(LogError) -> [UInt8]? {
        let place = LedgerPaths.relativeSegment(segment)
        let head = Array(#"{"seq":\#(seq),"#.utf8)
        guard line.count > head.count, Array(line.prefix(head.count)) == head else {
            throw .verificationFailed(LogFault(seq: seq, segment: place, line: lineNumber, problem: "expected the line of seq \(seq) here while disposing of it"))
        }
        let rest = Array(line.dropFirst(head.count))
        let stubPrevKey = Array(#""prev":""#.utf8)
        if Array(rest.prefix(stubPrevKey.count)) == stubPrevKey {
            // Already a stub: it must record the expected hash.
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasSuffix("\"disposed\":\"\(expected.hex)\"}") else {
                throw .verificationFailed(LogFault(seq: seq, segment: place, line: lineNumber, problem: "the line is already a stub of a different line"))
            }
            return nil
        }
        let hash = line.withUnsafeBytes { SHA256.hash($0) }
        guard hash == expected else {
            throw .verificationFailed(LogFault(seq: seq, segment: place, line: lineNumber,
                                               problem: "the line does not hash to the value read before the disposal (the log changed while it was being disposed of)"))
        }
        // {"seq":N,"at":"<24>","prev":"<64>", …
        let prevStart = 6 + 24 + 10  // "at":" + the time + ","prev":"
        guard rest.count >= prevStart + 64 else {
            throw .verificationFailed(LogFault(seq: seq, segment: place, line: lineNumber, problem: "the line has no \"prev\" member where the format puts it"))
        }
        let prev = rest[prevStart..<(prevStart + 64)]
        var stub = head
        stub.append(contentsOf: #""prev":""#.utf8)
        stub.append(contentsOf: prev)
        stub.append(contentsOf: #"","disposed":""#.utf8)
        expected.appendHex(to: &stub)
        stub.append(contentsOf: #""}"#.utf8)
        return stub
    }

    /// Replaces a segment's bytes atomically: temp file, fsync, rename, fsync of the directory. On any
    /// failure before the rename the temporary file is removed (a full disk is not left fuller) and the
    /// segment is as it was.
    func rewriteSegment(_ segment: Int, bytes: [UInt8]) throws(LogError) {
        let path = paths.segment(segment)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        func fail(_ error: LogError) -> LogError {
            close(fd)
            unlink(temporary)
            return error
        }
        if let code = faults.fail(.writeRewrittenSegment) {
            if faults.partialBytes > 0 {
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, min(faults.partialBytes, bytes.count)) }
            }
            throw fail(.io(operation: StorageOperation.writeRewrittenSegment.rawValue, path: temporary, errno: code))
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(.io(operation: "write", path: temporary, errno: errno))
            }
            if n == 0 { throw fail(.io(operation: "write", path: temporary, errno: ENOSPC)) }
            written += n
        }
        guard fsync(fd) == 0 else { throw fail(.io(operation: "fsync", path: temporary, errno: errno)) }
        close(fd)
        if let code = faults.fail(.renameRewrittenSegment) {
            unlink(temporary)
            throw .io(operation: StorageOperation.renameRewrittenSegment.rawValue, path: path, errno: code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .io(operation: "rename the rewritten segment to", path: path, errno: code)
        }
        try syncDirectory(paths.segments)
    }
}
