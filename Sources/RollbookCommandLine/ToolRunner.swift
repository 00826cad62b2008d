#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a tool's commands: finds the command named by the first words, handles `--help`, runs it and
/// turns errors into exit codes (64 for usage errors, 1 for other failures).
public struct ToolRunner {
    /// The program name, e.g. `rollbook`.
    public let program: String
    /// One paragraph about the tool, shown by `--help`.
    public let abstract: String
    /// The commands, in the order `--help` lists them.
    let commands: [Entry]

    /// A command's names and how to run it, captured from its type.
    struct Entry {
        let name: String
        let summary: String
        let usage: String
        let words: [String]
        let parseAndRun: (inout Arguments, inout Output) throws -> Void

        init<C: Command>(_ type: C.Type) {
            name = C.name
            summary = C.summary
            usage = C.usage
            words = C.name.split(separator: " ").map(String.init)
            parseAndRun = { arguments, output in try C.parseAndRun(&arguments, output: &output) }
        }
    }

    /// Creates a runner.
    public init(program: String, abstract: String, commands: [any Command.Type]) {
        self.program = program
        self.abstract = abstract
        self.commands = commands.map { Entry($0) }
    }

    /// The exit code for a usage error.
    public static let usageExit: Int32 = 64

    /// Runs the command line (without the program name) and returns the exit code.
    public func run(_ words: [String]) -> Int32 {
        var output = Output()
        let code = run(words, output: &output)
        ToolRunner.emit(output)
        return code
    }

    /// Runs the command line, writing into `output`, and returns the exit code.
    public func run(_ words: [String], output: inout Output) -> Int32 {
        let words = ToolRunner.movingLeadingOptions(words)
        if words.isEmpty || words == ["--help"] || words == ["-h"] || words == ["help"] {
            output.line(overview)
            return words.isEmpty ? ToolRunner.usageExit : 0
        }
        // The longest command name that the leading words spell.
        let candidates = commands.sorted { $0.words.count > $1.words.count }
        guard let command = candidates.first(where: { entry in
            words.count >= entry.words.count && Array(words.prefix(entry.words.count)) == entry.words
        }) else {
            let group = commands.filter { $0.name.hasPrefix(words[0] + " ") }
            if !group.isEmpty {
                if words.count == 1 || words[1] == "--help" {
                    output.line(group.map { "  \(program) \($0.name)\n      \($0.summary)" }.joined(separator: "\n"))
                    return words.count == 1 ? ToolRunner.usageExit : 0
                }
                output.warn("\(program): unknown command '\(words[0]) \(words[1])'")
                output.warn("Commands: " + group.map(\.name).joined(separator: ", "))
                return ToolRunner.usageExit
            }
            output.warn("\(program): unknown command '\(words[0])'")
            output.warn("Run '\(program) --help' for the commands.")
            return ToolRunner.usageExit
        }
        let consumed = command.words.count
        var arguments = Arguments(Array(words.dropFirst(consumed)))
        if arguments.words.contains("--help") || arguments.words.contains("-h") {
            output.line("\(program) \(command.name) — \(command.summary)\n\n" + command.usage)
            return 0
        }
        do {
            try command.parseAndRun(&arguments, &output)
            return 0
        } catch let error as UsageError {
            output.warn("\(program) \(command.name): \(error.message)")
            output.warn(command.usage)
            return ToolRunner.usageExit
        } catch {
            output.warn("\(program) \(command.name): \(error)")
            return 1
        }
    }

    /// Options that may come before the command name (`rollbook-replay --ledger DIR verify`).
    public static let leadingOptions = ["--ledger"]

    /// Moves leading options (``leadingOptions`` with their values) to after the command's words, where the
    /// command parses them: `--ledger DIR verify` becomes `verify --ledger DIR`.
    static func movingLeadingOptions(_ words: [String]) -> [String] {
        var rest = words[...]
        var moved: [String] = []
        while let first = rest.first {
            if leadingOptions.contains(first), rest.count >= 2 {
                moved += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if leadingOptions.contains(where: { first.hasPrefix($0 + "=") }) {
                moved.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !moved.isEmpty else { return words }
        if rest.isEmpty { return [] }
        // The command's name is the run of words up to the first option.
        let nameCount = rest.prefix { !$0.hasPrefix("-") }.count
        return Array(rest.prefix(nameCount)) + moved + Array(rest.dropFirst(nameCount))
    }

    /// The `--help` text: the abstract and every command's summary.
    public var overview: String {
        var text = abstract + "\n\nCommands:\n"
        for command in commands { text += "  \(program) \(command.name)\n      \(command.summary)\n" }
        text += "\nRun '\(program) COMMAND --help' for a command's options."
        return text
    }

    /// Writes captured output to the process's standard output and error.
    public static func emit(_ output: Output) {
        writeAll(1, output.standard)
        writeAll(2, output.errors)
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var done = 0
            while done < buffer.count {
                let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n <= 0 { if errno == EINTR { continue }; return }
                done += n
            }
        }
    }
}
