import RollbookCommandLine
import RollbookDomain
import RollbookLedger
import RollbookOptions

/// `rollbook init`: opens a new ledger for a school.
struct InitCommand: Command {
    static let name = "init"
    static let summary = "Open a new ledger for a school."
    static let usage = """
        Usage: rollbook init --urn N --name S --la NNN --estab NNNN [--policy P]
                             [--am-register HH:MM-HH:MM] [--pm-register HH:MM-HH:MM]
                             [--ledger DIR] --author NAME --position POSITION

          --urn N            the school's unique reference number (6 digits)
          --name S           the school's name
          --la NNN           the local-authority code (3 digits)
          --estab NNNN       the establishment number (4 digits)
          --policy P         the stage policy: dfe (default), burton-pru, wimborne, primary-bands,
                             danesgate, or a policy JSON file
          --am-register      when the morning register is open (default 08:40-09:00, at most 30 minutes)
          --pm-register      when the afternoon register is open (default 13:40-13:45)
        """

    var environment: CommandEnvironment
    var opened: LedgerOpened

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        let urn = try arguments.required("--urn")
        guard let name = try arguments.text("--name") else { throw UsageError("missing required option --name") }
        let la = try arguments.required("--la")
        let estab = try arguments.required("--estab")
        func digits(_ s: String, _ n: Int) -> Bool { s.count == n && s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digits(urn, 6) else { throw UsageError("--urn must be the school's 6-digit URN") }
        guard digits(la, 3) else { throw UsageError("--la must be the 3-digit local-authority code") }
        guard digits(estab, 4) else { throw UsageError("--estab must be the 4-digit establishment number") }
        let policy = try arguments.option("--policy") ?? "dfe"
        guard PolicyName.isKnown(policy) else {
            throw UsageError("--policy must be one of \(PolicyName.presets.joined(separator: ", ")) or an existing policy JSON file")
        }
        let am = try arguments.option("--am-register", as: RegisterWindow.self) ?? .defaultAM
        let pm = try arguments.option("--pm-register", as: RegisterWindow.self) ?? .defaultPM
        guard am.closes < pm.opens else { throw UsageError("the morning register must close before the afternoon register opens") }
        opened = LedgerOpened(urn: urn, name: name, la: la, estab: estab, policy: policy, amRegister: am, pmRegister: pm)
    }

    func run(_ output: inout Output) throws {
        let (session, appended) = try LedgerSession.create(environment.context, school: opened)
        output.warn(contentsOf: session.takeWarnings())
        output.line("Opened ledger rollbook/\(opened.urn) for \(opened.name) at \(environment.ledger) (seq \(appended.first), policy \(opened.policy)).")
    }
}
