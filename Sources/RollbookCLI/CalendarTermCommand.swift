import RollbookCommandLine
import RollbookDomain
import RollbookReports

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
        let name = try arguments.required("--name")
        let from = try Parse.date(try arguments.required("--from"), option: "--from")
        let to = try Parse.date(try arguments.required("--to"), option: "--to")
        guard from <= to else { throw UsageError("--from must not be after --to") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError("--name must not be empty") }
        if let problem = PlainText.problem(name) { throw UsageError("--name (the term's name) \(problem)") }
        term = TermAdded(name: name, from: from, to: to)
    }

    func run(_ output: inout Output) throws {
        let session = try WriteSession(environment, output: &output)
        if let clash = session.state.calendar.terms.first(where: { $0.from <= term.to && term.from <= $0.to }) {
            throw InputError("the term overlaps \"\(clash.name)\" (\(clash.from) to \(clash.to))", place: "--from/--to")
        }
        let weekdays = (0...Int(term.to.day - term.from.day)).filter { !term.from.adding(days: $0).isWeekend }.count
        guard weekdays > 0 else { throw InputError("the term has no weekdays", place: "--from/--to") }
        let result = try session.append([.termAdded(term)])
        output.line("Added term \"\(TextEscaping.text(term.name))\" from \(term.from) to \(term.to): \(weekdays) school days (seq \(result.first)).")
    }
}
