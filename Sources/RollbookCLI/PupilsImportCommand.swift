import RollbookCommandLine
import RollbookLedger

/// `rollbook pupils import`: admits pupils from a CSV file, all or nothing.
struct PupilsImportCommand: Command {
    static let name = "pupils import"
    static let summary = "Admit pupils from a CSV file (all or nothing)."
    static let usage = """
        Usage: rollbook pupils import FILE.csv [--ledger DIR] --author NAME --position POSITION

          Columns: upn,forename,surname,dob,year_group,group,admitted and optionally sex (M or F) and
          sen,ehcp,pp,fsm (Y or N). Dates are YYYY-MM-DD; year groups N1, N2, R, 1-14; a UPN must have
          the right check letter (temporary UPNs, ending in a letter, are accepted). A file with any bad
          row admits nobody.

          Re-admission: a pupil deleted from roll (`rollbook pupils leave`) is admitted again by a row
          with the same UPN and an admission date on or after the date of deletion. Every spell on roll
          is kept: registers, figures, stages and exports count each one, and the returns report the
          deletion that ended the earlier spell.
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
        let columns = LedgerSession.pupilColumns
        let csv = try CSVInput(path: file, required: columns.required, optional: columns.optional)
        let appended = try session.admit(csv: csv)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Admitted \(appended.count) pupil(s) (seq \(appended.first)–\(appended.last)).")
    }
}
