import Foundation

/// Runs tools/verify_ledger.py's `verify(dir, digest)` in one Python process over many ledgers.
package enum PythonVerifier {
    /// A verdict: whether the ledger verified, and the first bad sequence number when it did not.
    package struct Outcome: Equatable, Sendable {
        /// Whether it verified.
        package var ok: Bool
        /// The first bad sequence number, when one is named.
        package var firstBadSeq: Int?
        /// Creates an outcome.
        package init(ok: Bool, firstBadSeq: Int?) { self.ok = ok; self.firstBadSeq = firstBadSeq }
    }

    /// Verifies each (directory, digest file or nil) and returns the outcomes in order.
    package static func verify(_ ledgers: [(String, String?)]) throws -> [Outcome] {
        let cases = ledgers.map { ["dir": $0.0, "digest": $0.1 as Any] }
        return try run(script: """
            for case in cases:
                r = vl.verify(case["dir"], case["digest"])
                out.append({"ok": r.ok, "first_bad_seq": r.first_bad_seq})
            """, cases: cases)
    }

    /// For each (segment path, offset, byte), writes the base segment with that one byte changed,
    /// verifies `directory`, and restores the segment. Returns the outcomes in order.
    package static func verifyByteChanges(directory: String, changes: [(segment: String, offset: Int, byte: UInt8)]) throws -> [Outcome] {
        let cases = changes.map { ["segment": $0.segment, "offset": $0.offset, "byte": Int($0.byte)] as [String: Any] }
        return try run(script: """
            bases = {}
            for case in cases:
                path = case["segment"]
                if path not in bases:
                    with open(path, "rb") as f: bases[path] = f.read()
                data = bytearray(bases[path]); data[case["offset"]] = case["byte"]
                with open(path, "wb") as f: f.write(data)
                r = vl.verify(directory, None)
                out.append({"ok": r.ok, "first_bad_seq": r.first_bad_seq})
                with open(path, "wb") as f: f.write(bases[path])
            """, cases: cases, directory: directory)
    }

    private static func run(script body: String, cases: [Any], directory: String = "") throws -> [Outcome] {
        let scratch = try TemporaryDirectory("rollbook-py")
        let casesPath = scratch.sub("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: URL(fileURLWithPath: casesPath))
        let script = """
            import importlib.util, json, sys
            spec = importlib.util.spec_from_file_location("verify_ledger", sys.argv[1])
            vl = importlib.util.module_from_spec(spec); spec.loader.exec_module(vl)
            cases = json.load(open(sys.argv[2])); directory = sys.argv[3]; out = []
            \(body)
            json.dump(out, sys.stdout)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, PackageRoot.path + "/tools/verify_ledger.py", casesPath, directory]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw PythonFailure(status: process.terminationStatus)
        }
        return list.map { Outcome(ok: $0["ok"] as? Bool ?? false, firstBadSeq: $0["first_bad_seq"] as? Int) }
    }

    /// Python failed to run the verifier.
    package struct PythonFailure: Error { var status: Int32 }
}
