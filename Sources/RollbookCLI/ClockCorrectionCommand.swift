import RollbookCommandLine
import RollbookLedger

/// `rollbook clock-correction`: records that the clock is behind the log, so writing can go on.
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
        reason = try arguments.required("--reason")
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let corrected = try session.correctClock(reason: reason)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Recorded the clock correction (seq \(corrected.appended.first)): the log's time steps back from \(corrected.from) to \(corrected.appended.at).")
    }
}
