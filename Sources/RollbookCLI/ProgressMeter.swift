#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress on standard error for work that takes more than about a second, only when standard
/// error is a terminal (never in pipes, files or tests).
///
/// Shows `label: done/total (percent)` on one line, rewritten in place at most ten times a second,
/// and clears it when the work is finished. It reads a monotonic clock for pacing only; no result
/// depends on it.
final class ProgressMeter {
    private let label: String
    private let enabled: Bool
    private let start: Double
    private var lastShown = 0.0
    private var shown = false

    init(_ label: String) {
        self.label = label
        enabled = isatty(2) == 1
        start = ProgressMeter.seconds()
    }

    /// Reports progress; cheap enough to call every few thousand items.
    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let now = ProgressMeter.seconds()
        guard now - start >= 1, now - lastShown >= 0.1 else { return }
        lastShown = now
        shown = true
        let line = "\r\(label): \(done)/\(total) (\(done * 100 / total)%)\u{1B}[K"
        _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    }

    /// Clears the progress line, if one was shown.
    func finish() {
        guard shown else { return }
        shown = false
        let clear = "\r\u{1B}[K"
        _ = clear.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    }

    private static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
