import Foundation
import RollbookTestSupport
import Testing

/// A ledger in its own temporary directory, driven through the built executables the way a user would.
final class TestLedger: @unchecked Sendable {
    let root: URL
    var ledger: String { root.appendingPathComponent("ledger").path }
    var now = "2025-09-01T08:00:00.000Z"
    var author = ("Sam Patel", "Attendance Officer")

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rollbook-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    typealias Result = ProcessRunner.Result

    static var binaries: URL { PackageRoot.binaries }

    static var packageRoot: URL { PackageRoot.url }

    /// Runs a tool with arguments, the ledger and identity in the environment.
    @discardableResult
    func run(_ tool: String = "rollbook", _ arguments: [String], environment extra: [String: String] = [:],
             identity: Bool = true) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["ROLLBOOK_LEDGER"] = ledger
        env["ROLLBOOK_NOW"] = now
        // rollbook-replay's own cache goes beside the ledger, in this test's directory, never in $HOME.
        env["XDG_CACHE_HOME"] = root.appendingPathComponent("cache").path
        env.removeValue(forKey: "ROLLBOOK_AUTHOR")
        env.removeValue(forKey: "ROLLBOOK_POSITION")
        if identity {
            env["ROLLBOOK_AUTHOR"] = author.0
            env["ROLLBOOK_POSITION"] = author.1
        }
        for (k, v) in extra { env[k] = v }
        return try TestLedger.execute(TestLedger.binaries.appendingPathComponent(tool), arguments, environment: env, in: root)
    }

    /// Runs a program to completion and captures its exit status and output.
    static func execute(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, in directory: URL) throws -> Result {
        try ProcessRunner.run(executable, arguments, environment: environment, in: directory)
    }

    /// Runs and requires success.
    @discardableResult
    func ok(_ arguments: [String], tool: String = "rollbook", sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try run(tool, arguments)
        #expect(r.status == 0, "rollbook \(arguments.joined(separator: " ")) failed: \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    /// Writes a file in the test directory and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Every file under the ledger with its bytes, for byte-for-byte comparisons.
    func snapshot() throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = URL(fileURLWithPath: ledger)
        guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return out }
        for case let url as URL in e {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
            let rel = String(url.path.dropFirst(base.path.count))
            out[rel] = isDir.boolValue ? Data() : try Data(contentsOf: url)
        }
        return out
    }

    /// The standard small school: init, one autumn term, six pupils in two groups.
    func standardSchool() throws {
        try ok(["init", "--urn", "123456", "--name", "Test School", "--la", "938", "--estab", "2001"])
        try ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-03", "--to", "2025-10-24"])
        let pupils = try file("pupils.csv", """
            upn,forename,surname,dob,year_group,group,admitted,sen,ehcp,pp,fsm
            Y123456789001,Amelia,Khan,2014-03-02,7,7A,2025-09-03,N,N,Y,Y
            M123456789002,Noah,Smith,2014-05-11,7,7A,2025-09-03,Y,N,N,N
            B123456789003,Olivia,Jones,2014-01-20,7,7A,2025-09-03,N,Y,N,N
            Q123456789004,Leo,Taylor,2013-11-30,7,7B,2025-09-03,N,N,N,N
            E123456789005,Isla,Brown,2014-07-07,7,7B,2025-09-03,N,N,N,N
            U123456789006,Oscar,Wilson,2014-02-14,7,7B,2025-09-10,N,N,N,N

            """)
        try ok(["pupils", "import", pupils])
        // Marks can only be entered once their register has opened: unless a test says otherwise, it
        // works after the end of the term, when every session of it is past.
        now = "2025-10-24T16:00:00.000Z"
    }
}
