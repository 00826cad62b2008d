import RollbookLog
import Testing

/// The RFC 6962 tree against Certificate Transparency's published test data (transparency-dev/merkle,
/// testonly/constants.go and proof/verify_test.go), and every proof of every tree up to 70 leaves.
struct MerkleTreeTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(hex.utf8)[...]
        while chars.count >= 2 {
            out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
            chars = chars.dropFirst(2)
        }
        return out
    }

    static func digest(_ hex: String) -> SHA256Digest { SHA256Digest(hex: hex)! }

    static let ctLeaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                           "606162636465666768696a6b6c6d6e6f"].map(bytes)
    static let ctRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(digest)

    /// MTH written straight from RFC 6962 §2.1, as an independent reference for larger trees.
    static func referenceRoot(_ leaves: ArraySlice<[UInt8]>) -> SHA256Digest {
        if leaves.count == 1 { return MerkleTree.leafHash(leaves.first!) }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let mid = leaves.startIndex + k
        return MerkleTree.nodeHash(referenceRoot(leaves[..<mid]), referenceRoot(leaves[mid...]))
    }

    static let many: [[UInt8]] = (0..<70).map { i in [UInt8(i), UInt8((i * 7) & 0xFF), 0x5A] }

    @Test func rootsForSizesOneToEightAreTheOnesCertificateTransparencyPublishes() {
        for n in 1...8 {
            let tree = MerkleTree(leaves: Array(Self.ctLeaves[..<n]))
            #expect(tree.root == Self.ctRoots[n - 1], "size \(n)")
            #expect(MerkleTree(leaves: Self.ctLeaves).root(size: n) == Self.ctRoots[n - 1], "prefix of size \(n)")
        }
        #expect(MerkleTree(leaves: []).root.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree(leaves: Self.ctLeaves).root(size: 0) == nil)
        #expect(MerkleTree(leaves: Self.ctLeaves).root(size: 9) == nil)
    }

    @Test func proofsEqualThePublishedOnes() throws {
        let tree = MerkleTree(leaves: Self.ctLeaves)
        // (leaf index, tree size, path) from proof/verify_test.go (which numbers leaves from 1).
        let inclusion: [(Int, Int, [String])] = [
            (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
            (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
            (0, 1, []),
        ]
        for (index, size, path) in inclusion {
            #expect(tree.inclusionProof(index: index, treeSize: size) == path.map(Self.digest), "leaf \(index) of \(size)")
            let leaf = MerkleTree.leafHash(Self.ctLeaves[index])
            #expect(MerkleTree.verifyInclusion(leafHash: leaf, index: index, treeSize: size, proof: path.map(Self.digest),
                                               root: Self.ctRoots[size - 1]))
        }
        let consistency: [(Int, Int, [String])] = [
            (1, 1, []),
            (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
            (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        ]
        for (old, new, path) in consistency {
            #expect(tree.consistencyProof(oldSize: old, newSize: new) == path.map(Self.digest), "\(old) to \(new)")
            #expect(MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: Self.ctRoots[old - 1],
                                                 newRoot: Self.ctRoots[new - 1], proof: path.map(Self.digest)))
        }
    }

    @Test func rootsOfLargerTreesMatchTheRFCsDefinition() {
        let tree = MerkleTree(leaves: Self.many)
        for n in 1...Self.many.count {
            let reference = Self.referenceRoot(Self.many[..<n])
            #expect(tree.root(size: n) == reference, "size \(n)")
            #expect(MerkleTree(leaves: Array(Self.many[..<n])).root == reference, "a tree of exactly \(n) leaves")
        }
    }

    /// The ways an inclusion proof can be altered; each must fail.
    static func alteredInclusions(index: Int, size: Int, proof: [SHA256Digest], leaf: SHA256Digest, root: SHA256Digest)
        -> [(String, Int, Int, [SHA256Digest], SHA256Digest, SHA256Digest)] {
        let other = SHA256.hash(Array("another leaf".utf8))
        var out: [(String, Int, Int, [SHA256Digest], SHA256Digest, SHA256Digest)] = [
            ("index - 1", index - 1, size, proof, leaf, root),
            ("index + 1", index + 1, size, proof, leaf, root),
            ("index ^ 2", index ^ 2, size, proof, leaf, root),
            ("size * 2", index, size * 2, proof, leaf, root),
            ("size / 2", index, size / 2, proof, leaf, root),
            ("wrong leaf", index, size, proof, other, root),
            ("wrong root", index, size, proof, leaf, other),
            ("extra node at the end", index, size, proof + [root], leaf, root),
            ("extra node at the front", index, size, [root] + proof, leaf, root),
        ]
        for i in proof.indices {
            var flipped = proof
            var bytes = flipped[i].bytes
            bytes[i % 32] ^= 0x08
            flipped[i] = SHA256Digest(hex: bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())!
            out.append(("flipped byte in node \(i)", index, size, flipped, leaf, root))
            var removed = proof
            removed.remove(at: i)
            out.append(("removed node \(i)", index, size, removed, leaf, root))
        }
        return out
    }

    @Test func everyInclusionProofUpToSeventyLeavesVerifiesAndEveryAlteredOneFails() throws {
        let tree = MerkleTree(leaves: Self.many)
        var checked = 0
        for size in 1...Self.many.count {
            let root = try #require(tree.root(size: size))
            for index in 0..<size {
                let proof = try #require(tree.inclusionProof(index: index, treeSize: size))
                let leaf = MerkleTree.leafHash(Self.many[index])
                #expect(MerkleTree.verifyInclusion(leafHash: leaf, index: index, treeSize: size, proof: proof, root: root),
                        "leaf \(index) of \(size)")
                for (what, i, s, p, l, r) in Self.alteredInclusions(index: index, size: size, proof: proof, leaf: leaf, root: root)
                where !(i == index && s == size && p == proof && l == leaf && r == root) {
                    // These are the alterations transparency-dev/merkle's verify_test.go makes. (A size one
                    // larger can fit the same path when the tree's right edge has the same shape, so the
                    // claimed size is only as good as the root it comes with.)
                    #expect(!MerkleTree.verifyInclusion(leafHash: l, index: i, treeSize: s, proof: p, root: r),
                            "leaf \(index) of \(size): \(what) was accepted")
                    checked += 1
                }
            }
        }
        #expect(checked > 20_000)
        #expect(tree.inclusionProof(index: 70, treeSize: 70) == nil)
        #expect(tree.inclusionProof(index: 0, treeSize: 71) == nil)
        #expect(tree.inclusionProof(index: -1, treeSize: 5) == nil)
    }

    @Test func everyConsistencyProofUpToSeventyLeavesVerifiesAndEveryAlteredOneFails() throws {
        let tree = MerkleTree(leaves: Self.many)
        let other = SHA256.hash(Array("another root".utf8))
        var checked = 0
        for new in 1...Self.many.count {
            let newRoot = try #require(tree.root(size: new))
            for old in 1...new {
                let oldRoot = try #require(tree.root(size: old))
                let proof = try #require(tree.consistencyProof(oldSize: old, newSize: new))
                #expect(MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof),
                        "\(old) to \(new)")
                var altered: [(String, Int, Int, SHA256Digest, SHA256Digest, [SHA256Digest])] = [
                    ("wrong old root", old, new, other, newRoot, proof),
                    ("wrong new root", old, new, oldRoot, other, proof),
                    ("extra node at the end", old, new, oldRoot, newRoot, proof + [newRoot]),
                    ("extra node at the front", old, new, oldRoot, newRoot, [oldRoot] + proof),
                ]
                if old != new {
                    altered += [
                        ("swapped roots", old, new, newRoot, oldRoot, proof),
                        ("old size + 1", old + 1, new, oldRoot, newRoot, proof),
                        ("old size - 1", old - 1, new, oldRoot, newRoot, proof),
                        ("old size ^ 2", old ^ 2, new, oldRoot, newRoot, proof),
                        ("new size * 2", old, new * 2, oldRoot, newRoot, proof),
                        ("empty proof", old, new, oldRoot, newRoot, []),
                    ]
                } else {
                    altered.append(("new size * 2", old, new * 2, oldRoot, newRoot, proof))
                }
                for i in proof.indices {
                    var flipped = proof
                    var bytes = flipped[i].bytes
                    bytes[31 - i % 32] ^= 0x10
                    flipped[i] = SHA256Digest(hex: bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())!
                    altered.append(("flipped byte in node \(i)", old, new, oldRoot, newRoot, flipped))
                    var removed = proof
                    removed.remove(at: i)
                    altered.append(("removed node \(i)", old, new, oldRoot, newRoot, removed))
                }
                for (what, o, n, oRoot, nRoot, p) in altered {
                    // The only honest "alteration" that may pass is a tree that really is the same one.
                    if o == old && n == new && oRoot == oldRoot && nRoot == newRoot && p == proof { continue }
                    if let realOld = tree.root(size: o), let realNew = tree.root(size: n), realOld == oRoot, realNew == nRoot,
                       tree.consistencyProof(oldSize: o, newSize: n) == p { continue }
                    #expect(!MerkleTree.verifyConsistency(oldSize: o, newSize: n, oldRoot: oRoot, newRoot: nRoot, proof: p),
                            "\(old) to \(new): \(what) was accepted")
                    checked += 1
                }
            }
        }
        #expect(checked > 20_000)
        #expect(tree.consistencyProof(oldSize: 0, newSize: 5) == nil)
        #expect(tree.consistencyProof(oldSize: 6, newSize: 5) == nil)
        #expect(tree.consistencyProof(oldSize: 5, newSize: 71) == nil)
    }

    @Test func aChainHashLeafIsHashedAsThirtyTwoBytesWithTheLeafPrefix() {
        let chain = SHA256.hash(Array("{\"seq\":1}".utf8))
        #expect(MerkleTree.leafHash(chain) == MerkleTree.leafHash(chain.bytes))
        #expect(MerkleTree(leafDigests: [chain]).root == SHA256.hash([0] + chain.bytes))
        #expect(MerkleTree.nodeHash(chain, .zero) == SHA256.hash([1] + chain.bytes + SHA256Digest.zero.bytes))
    }
}

extension MerkleTreeTests {
    @Test func aLargeTreeBuiltOnBothCoresEqualsTheRFCsDefinition() throws {
        let chains = (0..<40_003).map { i in SHA256.hash([UInt8(i & 0xFF), UInt8((i >> 8) & 0xFF), UInt8(i >> 16)]) }
        let tree = MerkleTree(leafDigests: chains)
        let leaves = chains.map { $0.bytes }
        #expect(tree.root == Self.referenceRoot(leaves[...]))
        #expect(tree.root(size: 32_768) == Self.referenceRoot(leaves[..<32_768]))
        for index in [0, 16_383, 16_384, 32_767, 40_002] {
            let proof = try #require(tree.inclusionProof(index: index, treeSize: tree.size))
            #expect(MerkleTree.verifyInclusion(leafHash: MerkleTree.leafHash(chains[index]), index: index, treeSize: tree.size,
                                               proof: proof, root: tree.root))
        }
    }
}
