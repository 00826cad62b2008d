#if canImport(Glibc)
import Glibc
#endif
import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook report`: the attendance report as one self-contained HTML file.
struct ReportCommand: Command {
    static let name = "report"
    static let summary = "An HTML report: calendar, weekly trend, stages, cohorts (prints on A4)."
    static let usage = """
        Usage: rollbook report [--on YYYY-MM-DD] [--as-of T] [--group G | --upn U]
                               --out FILE.html [--ledger DIR]

          --on D        the school's calendar: the academic year up to D (default: today)
          --as-of T     what the ledger knew: the log as it stood at T (ISO 8601 UTC, or
                        YYYY-MM-DD for the end of that day; default: everything recorded)
          --group G     one registration group;  --upn U  one pupil (default: the school)
          --out FILE    the page to write (replaced whole; readable by its owner only)

          One HTML file with its styles and SVG charts inside: no script, nothing loaded
          from anywhere, so it opens from a USB stick and prints on A4. It shows the
          calendar heat map (each school day's attendance, or one pupil's sessions by
          code), the weekly attendance against the school's average and 90%, the pupils
          at each stage of the ledger's policy (or one pupil's stage over time with the
          interventions), and the cohorts of `rollbook stats --by`. Its figures equal
          `rollbook stats` and `rollbook stages` for the same --on and --as-of, and every
          chart carries its numbers as text.
        """

    var environment: CommandEnvironment
    var on: SchoolDate?
    var asOf: Timestamp?
    var group: String?
    var upn: String?
    var out: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        on = try arguments.option("--on", as: SchoolDate.self)
        asOf = try CommonOptions.asOf(&arguments)
        group = try arguments.option("--group")
        upn = try arguments.upn()
        guard let out = try arguments.option("--out"), !out.isEmpty else { throw UsageError("--out FILE.html is required") }
        self.out = out
        if group != nil && upn != nil { throw UsageError("give --group or --upn, not both") }
    }

    func run(_ output: inout Output) throws {
        let knownAt = asOf ?? environment.now()
        let day = on ?? SchoolClock.date(knownAt)
        var warnings: [String] = []
        // One reading of the ledger as it stood at T: the same state `stats` and `stages` read.
        let run = try StageRun(ledger: environment.ledger, on: day, asOf: asOf, policyName: nil, warn: { warnings.append($0) })
        for warning in warnings { output.warn(warning) }
        ReadWarnings.report(run.replay.scan, into: &output)
        let state = run.replay.state
        let scope: ReportData.Scope
        if let group {
            guard state.pupils.contains(where: { $0.group == group }) else {
                throw CommandFailure("--group: no pupil has ever been in group \"\(group)\".")
            }
            scope = .group(group)
        } else if let upn {
            guard let index = state.pupilIndex[upn] else {
                throw CommandFailure("--upn: no pupil with UPN \(upn) is on the admission register.")
            }
            scope = .pupil(index)
        } else {
            scope = .school
        }
        let data = ReportData(state: state, on: day, asOf: asOf, knownAt: knownAt, scope: scope, policy: run.policy,
                              stages: run.stages, tracker: run.tracker)
        try ReportFile.write(HTMLReport(data: data).render(), to: out)
        output.write("Wrote the report for \(data.title.hasPrefix("Whole") ? "the whole school" : scopeText(scope)) on \(day) to \(out).\n")
    }

    func scopeText(_ scope: ReportData.Scope) -> String {
        switch scope {
        case .school: return "the whole school"
        case .group(let g): return "group \(g)"
        case .pupil: return "pupil \(upn ?? "")"
        }
    }
}

/// Writes a report file whole: a new file beside it (owner-only), then renamed over the old one.
enum ReportFile {
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandFailure("Could not write the report to \(path): \(String(cString: strerror(errno))).") }
        var failed = false
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; failed = true; return }
                offset += n
            }
        }
        if fsync(fd) != 0 { failed = true }
        close(fd)
        if failed || rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandFailure("Could not write the report to \(path): \(reason).")
        }
    }
}
