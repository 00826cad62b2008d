import RollbookCommandLine
import Testing

struct ArgumentsTests {
    @Test func optionsFlagsAndPositionals() throws {
        var a = Arguments(["FILE.csv", "--upn", "A1", "--format=json", "--all"])
        #expect(try a.option("--upn") == "A1")
        #expect(try a.option("--format") == "json")
        let first = a.flag("--all")
        let second = a.flag("--all")
        #expect(first && !second)
        let file = a.positional()
        #expect(file == "FILE.csv")
        try a.finish()
        #expect(a.isEmpty)
    }

    @Test func leftoversAndRepeatsAreUsageErrors() throws {
        #expect(throws: UsageError("option --upn is given more than once")) {
            var a = Arguments(["--upn", "A1", "--upn", "A2"]); _ = try a.option("--upn")
        }
        #expect(throws: UsageError("unknown option --bogus")) { try Arguments(["--bogus=1"]).finish() }
        #expect(throws: UsageError("option --date needs a value")) {
            var c = Arguments(["--date"]); _ = try c.option("--date")
        }
        #expect(throws: UsageError("missing required option --date")) {
            var d = Arguments([]); _ = try d.required("--date")
        }
    }

    struct Echo: Command {
        static let name = "echo twice"
        static let summary = "Echo."
        static let usage = "Usage: t echo twice --word W"
        var word: String
        init(_ arguments: inout Arguments) throws { word = try arguments.required("--word") }
        func run(_ output: inout Output) throws {
            if word == "fail" { throw CommandFailure("It failed.") }
            output.line(word + word)
        }
    }

    @Test func runnerExitCodes() {
        let runner = ToolRunner(program: "t", abstract: "A test tool.", commands: [Echo.self])
        var out = Output()
        #expect(runner.run(["echo", "twice", "--word", "ab"], output: &out) == 0)
        #expect(out.standard == "abab\n")
        out = Output()
        #expect(runner.run(["echo", "twice"], output: &out) == 64)
        #expect(out.errors.contains("missing required option --word"))
        #expect(out.errors.contains("Usage: t echo twice --word W"))
        out = Output()
        #expect(runner.run(["echo", "twice", "--word", "x", "--extra"], output: &out) == 64)
        out = Output()
        #expect(runner.run(["echo", "twice", "--word", "fail"], output: &out) == 1)
        #expect(out.errors.contains("It failed."))
        out = Output()
        #expect(runner.run(["nope"], output: &out) == 64)
        out = Output()
        #expect(runner.run(["echo", "twice", "--help"], output: &out) == 0)
        #expect(out.standard.contains("Usage: t echo twice"))
        out = Output()
        #expect(runner.run(["--help"], output: &out) == 0)
        #expect(out.standard.contains("echo twice"))
    }
}
