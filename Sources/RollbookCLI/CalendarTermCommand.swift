import RollbookCommandLine
import RollbookDomain
import RollbookLedger
import RollbookOptions

/// `rollbook calendar term`: adds a term; its weekdays are school days.
struct CalendarTermCommand: Command {
    static let name = "calendar term"
    static let summary = "Add a term to the school calendar (its weekdays are school days)."
    static let usage = """
        Usage: rollbook calendar term --name S --from YYYY-MM-DD --to YYYY-MM-DD [--ledger DIR] --author NAME --position POSITION
        """

    var environment: CommandEnvironment
    var term: TermAdded

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        guard let name = try arguments.text("--name") else { throw UsageError("missing required option --name") }
        let range = try CommonOptions.range(&arguments, requireTo: true)
        guard let from = range.from, let to = range.to else { throw UsageError("missing required option --from") }
        term = TermAdded(name: name, from: from, to: to)
    }

    func run(_ output: inout Output) throws {
        let session = try environment.openSession(&output)
        let (appended, days) = try session.addTerm(term)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Added term \"\(term.name)\" from \(term.from) to \(term.to): \(days) school days (seq \(appended.first)).")
    }
}
