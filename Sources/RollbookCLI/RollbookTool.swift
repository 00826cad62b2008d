import RollbookCommandLine

/// The officer's command-line tool, `rollbook`.
public enum RollbookTool {
    /// Every command, in the order `rollbook --help` lists them.
    static var commands: [any Command.Type] { [
        InitCommand.self, CalendarTermCommand.self, CalendarClosureCommand.self,
        PupilsImportCommand.self, PupilsLeaveCommand.self,
        MarkCommand.self, MarksImportCommand.self, AmendCommand.self, InterveneCommand.self,
        RegisterCommand.self, VerifyCommand.self, DigestCommand.self,
        ExportCensusCommand.self, ExportReturnsCommand.self, ExportCTFCommand.self,
        RetentionCommand.self, RetentionDisposeCommand.self, ClockCorrectionCommand.self, RebuildCheckpointCommand.self,
        StatsCommand.self, StagesCommand.self, WorklistCommand.self, ReportCommand.self,
    ] }

    /// The runner for `rollbook`.
    public static var runner: ToolRunner { ToolRunner(
        program: "rollbook",
        abstract: """
            rollbook — an event-sourced attendance register for schools in England.

            Every mark and every amendment is an append-only event in a tamper-evident log. Writes need
            --author NAME --position POSITION (or ROLLBOOK_AUTHOR / ROLLBOOK_POSITION). The ledger is
            --ledger DIR, else $ROLLBOOK_LEDGER, else ./ledger.
            """,
        commands: commands) }

    /// Runs `rollbook` with the given arguments (without the program name) and returns the exit code.
    public static func main(_ arguments: [String]) -> Int32 { runner.run(arguments) }
}
