import RollbookCommandLine

/// The auditor's read-only replay tool, `rollbook-replay`.
enum ReplayTool {
    static var runner: ToolRunner { ToolRunner(
        program: "rollbook-replay",
        abstract: """
            rollbook-replay — the auditor's read-only view of a Rollbook ledger.

            It opens nothing in the ledger for writing, takes no lock and creates no file there, so it can be run
            on a copy of a ledger on read-only media. The ledger is --ledger DIR, else $ROLLBOOK_LEDGER, else
            ./ledger. `history` keeps this tool's own cache of the verified log outside the ledger (in
            $XDG_CACHE_HOME/rollbook-replay, else ~/.cache/rollbook-replay; see `history --help`): it is never
            evidence, and the officer's caches are never read.
            """,
        commands: [ReplayVerifyCommand.self, ReplayRegisterCommand.self, ReplayAmendmentsCommand.self, ReplayHistoryCommand.self,
                   ReplayDiffCommand.self, ReplayAnomaliesCommand.self, ReplayProveCommand.self, ReplayConsistencyCommand.self]) }
}
