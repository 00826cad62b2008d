import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookProjections
import RollbookReports

/// `rollbook export census`: the census attendance return for one termly period.
struct ExportCensusCommand: Command {
    static let name = "export census"
    static let summary = "Census attendance for a period: XML in the CBDS shape, or CSV."
    static let usage = """
        Usage: rollbook export census --period autumn-YYYY|spring-YYYY|summer1-YYYY|summer2-YYYY [--as-of T]
                                      [--format xml|csv|text] [--ledger DIR]

          --as-of T  what the ledger knew at T (ISO 8601 UTC, or a date for the end of that day, UK time)

          Periods: autumn 1 Aug-31 Dec; spring 1 Jan-Easter Sunday; summer1 Easter Monday-the Sunday
          before the spring bank holiday (last Monday in May); summer2 that bank holiday-31 Jul.
          Pupils of compulsory school age on roll in the period (from the 31 Dec, 31 Mar or 31 Aug
          after their fifth birthday to the last Friday in June of the school year they turn 16);
          only the sessions of those days count. XML is the default; CSV columns are
          upn,sessions_possible,sessions_authorised,sessions_unauthorised and one per absence code.
        """

    var environment: CommandEnvironment
    var period: CensusPeriod
    var format: CensusFormat
    var asOf: Timestamp?

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: false)
        let text = try arguments.required("--period")
        guard let period = CensusPeriod(text) else {
            throw UsageError("--period must be autumn-YYYY, spring-YYYY, summer1-YYYY or summer2-YYYY (e.g. spring-2026)")
        }
        self.period = period
        format = try arguments.option("--format", as: CensusFormat.self) ?? .xml
        asOf = try arguments.option("--as-of", as: Timestamp.self)
    }

    func run(_ output: inout Output) throws {
        let replay = try LedgerReplay.load(directory: environment.ledger, asOf: asOf)
        ReadWarnings.report(replay.scan, into: &output)
        try ReadWarnings.requireSchool(replay.state.school, ledger: environment.ledger, asOf: asOf)
        guard let school = replay.state.school else { throw CommandFailure("The ledger at \(environment.ledger) has not been opened for a school yet.") }
        let report = CensusReport(census: CensusReturn(state: replay.state, period: period), school: school)
        switch format {
        case .csv: output.write(report.csv())
        case .text: output.write(report.text())
        case .xml: output.write(report.xml())
        }
    }
}

/// The formats of the census return: XML in the CBDS shape (default), CSV, or text.
enum CensusFormat: String, ExpressibleByArgument {
    case xml, csv, text
    init?(argument: String) { self.init(rawValue: argument) }
    static var expectation: String { "one of xml, csv, text" }
}
