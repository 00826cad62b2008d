import RollbookReports
import RollbookTestSupport
import Testing

/// The worklist's text rendering: its byte-level indentation of tables against the character-level one it replaced.
struct WorklistReportTests {
    /// The reference: split into characters' lines, indent each, join.
    static func reference(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    @Test(arguments: ["", "\n", "a", "a\n", "\n\nb", "Group  UPN\n7A     A123\n", "é\u{301}\nx", "a\r\nb\nc", "\r\n", "\u{1F1EC}\u{1F1E7}\n\u{301}"])
    func indentationEqualsTheReference(text: String) {
        #expect(WorklistReport.indented(text) == WorklistReportTests.reference(text))
    }

    @Test func indentationEqualsTheReferenceOnRandomText() {
        var rng = SeededGenerator(seed: 7)
        let pieces = ["\n", "\r", "\r\n", "a", "Zoë", "\u{301}", " ", "7A", "\t", "—"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            #expect(WorklistReport.indented(text) == WorklistReportTests.reference(text), "\(Array(text.utf8))")
        }
    }
}
