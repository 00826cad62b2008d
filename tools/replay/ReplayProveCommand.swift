import RollbookCommandLine
import RollbookOptions
import RollbookDomain
import RollbookLog
import RollbookReports

/// `rollbook-replay prove`: one pupil's evidence pack, each line with its inclusion proof.
struct ReplayProveCommand: Command {
    static let name = "prove"
    static let summary = "Print a pupil's evidence pack: their lines, each proven to be in the log."
    static let usage = """
        Usage: rollbook-replay prove --upn U [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--digest FILE]
                                     [--ledger DIR]

          Prints JSON {"checkpoint", "entries": [{"seq", "line", "proof"}]}: every line about that pupil
          alone (admission, details, marks, amendments, interventions, leaving), each with its RFC 6962
          inclusion proof against the checkpoint of the log now. Nothing about any other pupil.
          --from, --to   only marks, amendments and interventions dated from/to these dates (inclusive)
          --digest FILE  also include the proof that the log extends this checkpoint ("consistency")
          Check a pack with tools/verify_ledger.py --evidence PACK [--digest FILE]. A pack proves each
          entry is in the log; it does not prove that no entry was left out.
        """

    var ledger: String
    var upn: String
    var from: SchoolDate?
    var to: SchoolDate?
    var digestPath: String?

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        upn = try arguments.requiredUPN()
        (from, to) = try CommonOptions.range(&arguments)
        digestPath = try arguments.option("--digest")
    }

    func run(_ output: inout Output) throws {
        let digest = try digestPath.map { path in
            try LedgerDigest(text: String(decoding: try FileSystemAccess.read(path), as: UTF8.self), path: path)
        }
        let pack = try EvidencePack.make(directory: ledger, upn: upn, from: from, to: to, digest: digest)
        if let tail = pack.uncommittedTail {
            output.warn("warning: \(tail); it is ignored here and the next write will cut it off.")
        }
        output.write(pack.render())
    }
}
