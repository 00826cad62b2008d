import RollbookCommandLine
import RollbookOptions
import RollbookLog
import RollbookReports

/// `rollbook-replay consistency`: the proof that the log only grew since a digest.
struct ReplayConsistencyCommand: Command {
    static let name = "consistency"
    static let summary = "Prove the log only grew since a digest (RFC 6962 consistency proof)."
    static let usage = """
        Usage: rollbook-replay consistency --from DIGEST [--format text|json] [--ledger DIR]

          DIGEST is a file printed earlier by `rollbook digest` (or an earlier three-line digest).
          Prints {"old_size", "new_size", "old_root", "new_root", "proof"} (hex) with --format json.
          Exits 1 naming the digest's count when the log does not extend it (it was rewritten).
        """

    var ledger: String
    var digestPath: String
    var format: OutputFormat

    init(_ arguments: inout Arguments) throws {
        ledger = try CommonOptions.ledger(&arguments, .current)
        guard let path = try arguments.option("--from") else { throw UsageError("--from DIGEST is required") }
        digestPath = path
        format = try CommonOptions.format(&arguments, allowed: [.text, .json])
    }

    func run(_ output: inout Output) throws {
        let digest = try LedgerDigest(text: String(decoding: try FileSystemAccess.read(digestPath), as: UTF8.self), path: digestPath)
        let logTree = try LogReader(directory: ledger).tree(allowingUncommittedTail: true)
        ReadWarnings.report(logTree.scan, into: &output)
        switch logTree.consistency(from: digest) {
        case .success(let proof): output.write(ConsistencyReport(proof, label: logTree.checkpoint.label).render(format))
        case .failure(let fault): throw ProofError.notExtended(fault)
        }
    }
}
