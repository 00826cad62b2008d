extension LogReader {
    /// The stored bytes of the committed line with sequence number `seq` (without its newline) and the
    /// time it was appended, or nil when the log holds no such line, or only its disposal stub.
    ///
    /// Reads only the segment that holds the line (found by each segment's first sequence number), so
    /// a writer can take a statutory fact from the log itself without reading the whole of it. The
    /// line is as stored; the chain over it is checked by `verify`, not here.
    public func line(seq: Int) throws(LogError) -> (bytes: [UInt8], at: Timestamp)? {
        guard seq >= 1, case .success(let numbers) = try listSegments() else { return nil }
        var chosen: Int?
        for number in numbers {
            let head = try FileSystem.read(paths.segment(number), from: 0, limit: 32)
            guard let first = LogReader.leadingSeq(head[...]) else { break }
            if first > seq { break }
            chosen = number
        }
        guard let chosen else { return nil }
        let bytes = try FileSystem.read(paths.segment(chosen))
        let prefix = Array("{\"seq\":\(seq),\"at\":\"".utf8)
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            if end - start > prefix.count + 24, bytes[start..<(start + prefix.count)].elementsEqual(prefix) {
                let stamp = bytes[(start + prefix.count)..<(start + prefix.count + 24)]
                guard let at = stamp.withUnsafeBytes({ Timestamp(logBytes: $0) }) else { return nil }
                return (Array(bytes[start..<end]), at)
            }
            if let lineSeq = LogReader.leadingSeq(bytes[start..<end]), lineSeq > seq { return nil }
            start = end + 1
        }
        return nil
    }

    /// The sequence number a line starts with (`{"seq":N,`), if it does.
    static func leadingSeq(_ bytes: ArraySlice<UInt8>) -> Int? {
        let opening = Array("{\"seq\":".utf8)
        guard bytes.count > opening.count, bytes.prefix(opening.count).elementsEqual(opening) else { return nil }
        var value = 0
        var digits = 0
        for b in bytes.dropFirst(opening.count) {
            guard b >= 0x30 && b <= 0x39 else { break }
            value = value * 10 + Int(b - 0x30)
            digits += 1
            if digits > 15 { return nil }
        }
        return digits > 0 ? value : nil
    }
}
