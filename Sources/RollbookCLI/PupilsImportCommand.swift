import RollbookCommandLine
import RollbookDomain

/// `rollbook pupils import`: admits pupils from a CSV file, all or nothing.
struct PupilsImportCommand: Command {
    static let name = "pupils import"
    static let summary = "Admit pupils from a CSV file (all or nothing)."
    static let usage = """
        Usage: rollbook pupils import FILE.csv [--ledger DIR] --author NAME --position POSITION

          Columns: upn,forename,surname,dob,year_group,group,admitted and optionally sen,ehcp,pp,fsm (Y or N).
          Dates are YYYY-MM-DD. A file with any bad row admits nobody.
        """

    var environment: CommandEnvironment
    var file: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        guard let file = arguments.positional() else { throw UsageError("give the CSV file to import") }
        self.file = file
    }

    func run(_ output: inout Output) throws {
        let session = try WriteSession(environment, output: &output)
        let csv = try CSVInput(path: file, required: ["upn", "forename", "surname", "dob", "year_group", "group", "admitted"],
                               optional: ["sen", "ehcp", "pp", "fsm"])
        var events: [Event] = []
        var seen: [String: Int] = [:]
        for row in csv.table.rows {
            func place(_ c: String) -> String { CSVInput.place(row, c) }
            let upn = csv.value(row, "upn")
            guard UPN.isWellFormed(upn) else {
                // The value is not repeated: in a file of names, a shifted column would put a name here.
                throw InputError("the value is not a UPN (13 characters: a capital letter, 11 digits, then a digit or capital letter)", place: place("upn"))
            }
            if let earlier = seen[upn] { throw InputError("UPN \(upn) appears again (first on line \(earlier))", place: place("upn")) }
            seen[upn] = row.line
            if let existing = session.state.pupil(upn), existing.left == nil {
                throw InputError("UPN \(upn) is already on the admission register", place: place("upn"))
            }
            for column in ["forename", "surname", "year_group", "group"] where csv.value(row, column).isEmpty {
                throw InputError("the value is empty", place: place(column))
            }
            for column in ["forename", "surname", "group"] {
                if let problem = PlainText.problem(csv.value(row, column)) { throw InputError("the value \(problem)", place: place(column)) }
            }
            guard let dob = InputDates.date(csv.value(row, "dob")) else { throw InputError("the date of birth is not a real date YYYY-MM-DD \(InputDates.rangeText)", place: place("dob")) }
            guard let admitted = InputDates.date(csv.value(row, "admitted")) else { throw InputError("the admission date is not a real date YYYY-MM-DD \(InputDates.rangeText)", place: place("admitted")) }
            guard dob < admitted else { throw InputError("the date of birth is not before the admission date", place: place("dob")) }
            if let existing = session.state.pupil(upn), let left = existing.left, admitted < left {
                throw InputError("UPN \(upn) was on roll until \(left); a re-admission must be on or after that date", place: place("admitted"))
            }
            var flags = PupilFlags()
            for column in ["sen", "ehcp", "pp", "fsm"] where csv.has(column) {
                let v = csv.value(row, column)
                guard v == "Y" || v == "N" || v.isEmpty else { throw InputError("the value must be Y or N", place: place(column)) }
                let on = v == "Y"
                switch column {
                case "sen": flags.sen = on
                case "ehcp": flags.ehcp = on
                case "pp": flags.pp = on
                default: flags.fsm = on
                }
            }
            events.append(.pupilAdmitted(PupilAdmitted(
                upn: upn, forename: csv.value(row, "forename"), surname: csv.value(row, "surname"), dob: dob,
                yearGroup: csv.value(row, "year_group"), group: csv.value(row, "group"), admitted: admitted, flags: flags)))
        }
        let result = try session.append(events)
        output.line("Admitted \(events.count) pupil(s) (seq \(result.first)–\(result.first + events.count - 1)).")
    }
}
