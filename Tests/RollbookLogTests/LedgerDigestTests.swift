import Foundation
import Testing

@testable import RollbookLog
import RollbookTestSupport

/// The checkpoint form of the digest (C2SP tlog-checkpoint), the earlier three-line form, and what
/// `LogReader.verify(digest:)` and `LogTree.consistency(from:)` make of them.
struct LedgerDigestTests {
    @Test func base64MatchesFoundationAndRefusesNonCanonicalText() {
        var rng = SeededGenerator(seed: 6962)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(Base64.decode(encoded) == bytes)
        }
        for bad in ["A", "AB=C", "ABC", "AB==AB==", "QR==", "QUI=x", "Q U I=", "QUJD\n"] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }

    @Test func theCheckpointFormRoundTripsAndTheThreeLineFormIsStillRead() throws {
        let head = SHA256.hash(Array("head".utf8))
        let root = SHA256.hash(Array("root".utf8))
        let digest = LedgerDigest(label: "rollbook/123456", count: 1234, head: head, root: root)
        let text = digest.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5 && lines[4] == "", "four lines, each ending in a newline")
        #expect(lines[0] == "rollbook/123456" && lines[1] == "1234")
        #expect(Data(base64Encoded: String(lines[2])) == Data(root.bytes))
        #expect(lines[3] == "chain \(head.hex)")
        #expect(try LedgerDigest(text: text, path: "d") == digest)
        // Other extension lines are ignored; a blank line ends the note.
        #expect(try LedgerDigest(text: text.replacingOccurrences(of: "chain", with: "x-note hello\nchain") + "\n— signature\n", path: "d") == digest)
        let legacy = "rollbook/123456\n1234\n\(head.hex)\n"
        #expect(try LedgerDigest(text: legacy, path: "d") == LedgerDigest(label: "rollbook/123456", count: 1234, head: head))
        let b64 = Base64.encode(root.bytes)
        for bad in ["rollbook/123456\n1234\n\(b64)\n",                          // no chain line
                    "rollbook/123456\n1234\n\(b64)\nchain abc\n",
                    "rollbook/123456\n1234\n\(b64)\nchain \(head.hex)\nchain \(head.hex)\n",
                    "rollbook/123456\n1234\n\(b64.dropLast(4))\nchain \(head.hex)\n",
                    "rollbook/123456\n0\n\(b64)\nchain \(head.hex)\n",
                    "rollbook/123456\n+5\n\(b64)\nchain \(head.hex)\n",
                    "school\n1234\n\(b64)\nchain \(head.hex)\n",
                    legacy + "chain \(head.hex)\n"] {
            #expect(throws: LogError.self, "\(bad)") { try LedgerDigest(text: bad, path: "d") }
        }
    }

    @Test func verifyChecksTheRootAndConsistencyNamesTheDigestsCount() throws {
        let dir = try TemporaryDirectory()
        try LogFixture.make(in: dir.path, count: 37)
        let reader = LogReader(directory: dir.path)
        let now = try reader.tree(allowingUncommittedTail: false)
        #expect(now.tree.size == 37)
        // A digest of the first 20 lines, as `rollbook digest` would have printed it then.
        var leaves: [SHA256Digest] = []
        _ = try reader.scan { line in leaves.append(line.hash) }
        let old = LedgerDigest(label: LogFixture.label, count: 20, head: leaves[19], root: MerkleTree(leafDigests: Array(leaves[..<20])).root)
        #expect(try reader.verify(digest: old).fault == nil)
        let proof = try now.consistency(from: old).get()
        #expect(proof.oldSize == 20 && proof.newSize == 37 && proof.newRoot == now.tree.root)
        #expect(MerkleTree.verifyConsistency(oldSize: 20, newSize: 37, oldRoot: old.root!, newRoot: now.tree.root, proof: proof.proof))

        var wrongRoot = old
        wrongRoot.root = MerkleTree(leafDigests: Array(leaves[..<19])).root
        #expect(try reader.verify(digest: wrongRoot).fault?.seq == 20)
        var wrongHead = old
        wrongHead.head = leaves[18]
        #expect(try reader.verify(digest: wrongHead).fault?.seq == 20)
        var wrongLabel = old
        wrongLabel.label = "rollbook/654321"
        #expect(try reader.verify(digest: wrongLabel).fault != nil)
        var tooLong = old
        tooLong.count = 38
        #expect(try reader.verify(digest: tooLong).fault?.seq == 38)
        guard case .failure(let fault) = now.consistency(from: wrongRoot) else { Issue.record("a wrong root was accepted"); return }
        #expect(fault.seq == 20)
        // The digest the tree gives is the current checkpoint with its root.
        #expect(now.digest.count == 37 && now.digest.head == leaves[36] && now.digest.root == MerkleTree(leafDigests: leaves).root)
    }
}
