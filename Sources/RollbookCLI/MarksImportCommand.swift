import RollbookCommandLine
import RollbookLedger

/// `rollbook marks import`: records many marks in one durable batch, all or nothing.
struct MarksImportCommand: Command {
    static let name = "marks import"
    static let summary = "Record many marks from a CSV file in one durable batch (all or nothing)."
    static let usage = """
        Usage: rollbook marks import FILE.csv [--ledger DIR] --author NAME --position POSITION

          Columns: upn,date,session,code and optionally minutes_late, recorded_at, note.
          recorded_at is when the entry was originally made in the system the history is migrated
          from (ISO 8601 UTC); retention counts six years from it. A file with any bad row records nothing.
          Each group's register for each session in the file is recorded as taken.
        """

    var environment: CommandEnvironment
    var file: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        guard let file = arguments.positional() else { throw UsageError("give the CSV file to import") }
        self.file = file
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let imported = try session.importMarks(file: file)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Recorded \(imported.marks) mark(s) and \(imported.registers) register(s) taken in one batch (seq \(imported.appended.first)–\(imported.appended.last)).")
    }
}
