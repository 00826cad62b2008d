@testable import RollbookCommandLine
import Testing

struct ToolRunnerTests {
    struct Echo: Command {
        static let name = "calendar term"
        static let summary = "Echo."
        static let usage = "Usage: t calendar term [--ledger DIR] [--name N]"
        var ledger: String?
        var name: String?
        init(_ arguments: inout Arguments) throws {
            ledger = try arguments.option("--ledger")
            name = try arguments.option("--name")
        }
        func run(_ output: inout Output) throws { output.line("\(ledger ?? "-") \(name ?? "-")") }
    }

    @Test(arguments: [
        (["--ledger", "L", "calendar", "term", "--name", "A"], "L A"),
        (["--ledger=L", "calendar", "term"], "L -"),
        (["calendar", "term", "--ledger", "L"], "L -"),
    ])
    func theLedgerMayComeBeforeTheCommand(words: [String], printed: String) {
        let runner = ToolRunner(program: "t", abstract: "T.", commands: [Echo.self])
        var output = Output()
        #expect(runner.run(words, output: &output) == 0)
        #expect(output.standard == printed + "\n")
    }

    @Test func aLeadingLedgerWithNoCommandShowsTheOverview() {
        let runner = ToolRunner(program: "t", abstract: "T.", commands: [Echo.self])
        var output = Output()
        #expect(runner.run(["--ledger", "L"], output: &output) == ToolRunner.usageExit)
        #expect(output.standard.contains("Commands:"))
    }
}
