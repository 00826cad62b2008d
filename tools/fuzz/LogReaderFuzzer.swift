// A libFuzzer harness for the log reader: each input becomes the one segment of a ledger whose
// checkpoint claims a few lines, and is scanned. libFuzzer reports a crash, a hang or a leak.
// Build and run: see tools/fuzz/README.md. Compiled together with Sources/RollbookLog (same module).

#if canImport(Glibc)
import Glibc
#endif

private let directory: String = {
    var template = Array("/tmp/rollbook-fuzz-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let path = String(cString: made!)
    mkdir(path + "/segments", 0o700)
    return path
}()

private func write(_ path: String, _ bytes: UnsafeRawBufferPointer) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    if bytes.count > 0 { _ = write(fd, bytes.baseAddress!, bytes.count) }
    close(fd)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let paths = LedgerPaths(directory: directory)
    let input = UnsafeRawBufferPointer(start: data, count: size)
    // The first byte picks how many lines the checkpoint claims (0 = no checkpoint).
    let claimed = size > 0 ? Int(input[0] % 8) : 0
    write(paths.segment(1), size > 0 ? UnsafeRawBufferPointer(rebasing: input[1...]) : input)
    if claimed == 0 {
        unlink(paths.checkpoint)
    } else {
        let checkpoint = Checkpoint(label: "rollbook/123456", count: claimed, head: .zero, segment: 1, offset: max(0, size - 1))
        checkpoint.fileBytes.withUnsafeBytes { write(paths.checkpoint, $0) }
    }
    var seen = 0
    _ = try? LogReader(directory: directory).scan { line in
        precondition(line.seq == seen + 1, "the fold saw seq \(line.seq) after \(seen)")
        seen = line.seq
    }
    return 0
}
