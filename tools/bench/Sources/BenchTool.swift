import RollbookDomain
import RollbookLog
import RollbookProjections
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rollbook-bench`: the in-process measurements tools/bench/run.sh adds to its whole-command timings.
///
/// - `replay DIR [--previous|--reference]`: verify and replay the whole log into the projections (through
///   the fused reader, as every command reads); prints events/s and the mark store's bytes per mark. With
///   `--previous`, through the reader the fused one replaced (lines decoded into envelopes); with
///   `--reference`, every line through the general JSON decoder (the before/after comparisons).
/// - `sha DIR [--backend portable|hardware]`: SHA-256 of every line of the log on one core, the bound on
///   verification; by default with the backend every command uses (the CPU's SHA instructions when present).
/// - `figures DIR --from D --to D`: each pupil's figures over the range (a cold command like
///   `rollbook stats`), printed as totals for comparison with sqlite3.
enum BenchTool {
    static func main(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 2 else {
            print("usage: rollbook-bench replay|sha|figures DIR [--from D --to D]")
            return 64
        }
        do {
            switch arguments[0] {
            case "replay":
                let option = arguments.dropFirst(2).first
                guard arguments.count <= 3, option == nil || option == "--previous" || option == "--reference" else {
                    print("usage: rollbook-bench replay DIR [--previous|--reference]")
                    return 64
                }
                try replay(arguments[1], reference: option == "--reference", fused: option == nil)
            case "sha":
                let named = arguments.count == 4 && arguments[2] == "--backend" ? arguments[3] : nil
                guard arguments.count == 2 || named != nil else {
                    print("usage: rollbook-bench sha DIR [--backend portable|hardware]")
                    return 64
                }
                guard let backend = SHA256Backend.available.first(where: { named == nil ? $0 == .preferred : "\($0)" == named }) else {
                    print("the \(named ?? "") SHA-256 backend is not available here (available: \(SHA256Backend.available))")
                    return 64
                }
                try sha(arguments[1], backend: backend)
            case "figures":
                guard arguments.count == 6, let from = SchoolDate(arguments[3]), let to = SchoolDate(arguments[5]) else {
                    print("usage: rollbook-bench figures DIR --from D --to D")
                    return 64
                }
                try figures(arguments[1], from: from, to: to)
            default:
                print("unknown command \(arguments[0])")
                return 64
            }
        } catch {
            print("error: \(error)")
            return 1
        }
        return 0
    }

    static func seconds(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func format(_ value: Double, _ digits: Int = 2) -> String {
        let scale = pow(10.0, Double(digits))
        let rounded = (value * scale).rounded() / scale
        return "\(rounded)"
    }

    static func replay(_ directory: String, reference: Bool, fused: Bool) throws {
        let start = seconds(), startCPU = seconds(CLOCK_PROCESS_CPUTIME_ID)
        let replay = try LedgerReplay.load(directory: directory, reference: reference, fused: fused)
        let elapsed = seconds() - start, cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - startCPU
        let events = replay.scan.linesRead
        let marks = replay.state.markCount
        let store = replay.state.markStore.footprint
        print("replay_events=\(events) replay_seconds=\(format(elapsed, 3)) events_per_second=\(Int(Double(events) / elapsed)) "
              + "cpu_seconds=\(format(cpu, 3)) events_per_cpu_second=\(Int(Double(events) / cpu)) "
              + "marks=\(marks) mark_store_bytes=\(store) bytes_per_mark=\(format(Double(store) / Double(max(marks, 1)), 1))")
    }

    static func sha(_ directory: String, backend: SHA256Backend) throws {
        let reader = LogReader(directory: directory)
        var lines = 0
        var bytes = 0
        var buffers: [[UInt8]] = []
        var n = 1
        while FileSystem.exists(reader.paths.segment(n)) {
            buffers.append(try FileSystem.read(reader.paths.segment(n)))
            n += 1
        }
        let start = seconds(CLOCK_THREAD_CPUTIME_ID)
        var check: UInt8 = 0
        for buffer in buffers {
            buffer.withUnsafeBytes { raw in
                var lineStart = 0
                // Line ends found with memchr, as the reader finds them (a byte-by-byte loop here cost a third of the time).
                while lineStart < raw.count, let found = memchr(raw.baseAddress! + lineStart, 0x0A, raw.count - lineStart) {
                    let i = raw.baseAddress!.distance(to: UnsafeRawPointer(found))
                    let digest = SHA256.hash(UnsafeRawBufferPointer(rebasing: raw[lineStart..<i]), backend: backend)
                    // The first hex digit, written without allocating a string.
                    withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { hex in
                        digest.writeHex(to: hex)
                        check ^= hex[0]
                    }
                    lines += 1
                    bytes += i - lineStart
                    lineStart = i + 1
                }
            }
        }
        let elapsed = seconds(CLOCK_THREAD_CPUTIME_ID) - start
        print("sha_backend=\(backend) sha_lines=\(lines) sha_bytes=\(bytes) sha_cpu_seconds=\(format(elapsed, 3)) one_core_MB_per_s=\(format(Double(bytes) / elapsed / 1e6, 1)) "
              + "one_core_lines_per_s=\(Int(Double(lines) / elapsed)) mean_line_bytes=\(bytes / max(lines, 1)) (check \(check))")
    }

    static func figures(_ directory: String, from: SchoolDate, to: SchoolDate) throws {
        // As `rollbook stats` reads: from the snapshot (the import wrote one) and the lines after it.
        let state = try LedgerReplay.loadUsingSnapshot(directory: directory, checkingAllPages: true).replay.state
        var total = AttendanceFigures()
        var pupils = 0
        for pupil in state.pupils {
            let f = state.figures(for: pupil, from: from, to: to)
            if f.possibleSessions == 0 && f.byCode.isEmpty { continue }
            pupils += 1
            total = total + f
        }
        print("pupils,possible_sessions,overall_attendance,authorised_absence,unauthorised_absence,late_sessions")
        print("\(pupils),\(total.possibleSessions),\(total.overallAttendance),\(total.authorisedAbsence),\(total.unauthorisedAbsence),\(total.lateSessions)")
    }
}
