import Foundation
import Testing
import RollbookTestSupport

/// The independent verifier's own unit tests (tools/test_verify_ledger.py) run with the suite, so CI
/// checks the Python side of every verification rule too.
struct PythonVerifierTests {
    @Test func theIndependentVerifiersOwnTestsPass() throws {
        let r = try TestLedger.execute(URL(fileURLWithPath: "/usr/bin/env"),
                                       ["python3", "-B", "-m", "unittest", "-q", "tools/test_verify_ledger.py"],
                                       in: TestLedger.packageRoot)
        #expect(r.status == 0, "tools/test_verify_ledger.py failed:\n\(r.stderr.suffix(3000))")
        #expect(r.stderr.contains("OK"), "unittest did not report OK:\n\(r.stderr.suffix(500))")
    }
}
