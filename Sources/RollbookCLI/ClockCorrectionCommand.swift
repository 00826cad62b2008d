import RollbookCommandLine
import RollbookDomain
import RollbookLog

/// `rollbook clock-correction`: records that the system clock is behind the log, so writing can go on.
struct ClockCorrectionCommand: Command {
    static let name = "clock-correction"
    static let summary = "Record that the clock is behind the log, so that writes can go on."
    static let usage = """
        Usage: rollbook clock-correction --reason S [--ledger DIR] --author NAME --position POSITION

          Writers refuse to append while the system clock reads more than 5 minutes earlier than the
          last event (the clock went back, or an earlier write was stamped in the future). If the
          clock is right now, this records a clock.corrected event, stamped with the clock's time and
          naming the time the log steps back from, your reason, your name and position; later events
          follow the clock again. It is the only place the log's time may go back: both verifiers
          accept it, and `rollbook-replay anomalies` lists it. Correct the system clock first if it
          is the clock that is wrong.
        """

    var environment: CommandEnvironment
    var reason: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        guard let reason = try arguments.option("--reason"), !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw UsageError("a clock correction needs --reason (what was wrong with the clock)")
        }
        guard !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw UsageError("--reason must not hold control characters (newlines, tabs, escapes)")
        }
        self.reason = reason
    }

    func run(_ output: inout Output) throws {
        let session = try WriteSession(environment, output: &output)
        let now = environment.now()
        guard let last = session.state.lastAt, now < last else {
            throw CommandFailure("The system clock reads \(now), not earlier than the last event: there is nothing to correct, and nothing was recorded.")
        }
        let event = Event.clockCorrected(ClockCorrected(reason: reason, previousAt: last))
        let result = try session.writer.append([event.record(by: session.author)], at: now, steppingBack: true)
        output.line("Recorded the clock correction (seq \(result.first)): the log's time steps back from \(last) to \(result.at).")
    }
}
