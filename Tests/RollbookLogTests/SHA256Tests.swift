import Foundation
import Testing

@testable import RollbookLog
import RollbookTestSupport

/// Known-answer vectors from FIPS 180-4 / the NIST CAVP examples.
private let sha256NISTVectors: [(message: String, digest: String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
]


/// A collection without contiguous storage, to exercise the generic (slow) code paths.
private struct SHA256NoncontiguousBytes: Collection {
    var base: [UInt8]
    var startIndex: Int { base.startIndex }
    var endIndex: Int { base.endIndex }
    func index(after i: Int) -> Int { i + 1 }
    subscript(position: Int) -> UInt8 { base[position] }
}

/// Hashes `message` by feeding `update` chunks whose sizes cycle through `chunkSizes`.
private func sha256Streamed(_ message: [UInt8], chunkSizes: [Int]) -> SHA256Digest {
    var hasher = SHA256()
    var offset = 0
    var turn = 0
    message.withUnsafeBytes { raw in
        while offset < raw.count {
            let size = min(chunkSizes[turn % chunkSizes.count], raw.count - offset)
            hasher.update(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)]))
            offset += size
            turn += 1
        }
    }
    return hasher.finalize()
}

/// Bytes 0, 1, 2, … (mod 251) of the given length: distinct content at every offset.
private func sha256Pattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8($0 % 251) }
}

/// Runs the system `sha256sum` on each input (one process for all of them) and returns the hex digests.
private func sha256OfSystemTool(_ inputs: [[UInt8]]) throws -> [String] {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let candidates = path.split(separator: ":").map { "\($0)/sha256sum" } + ["/usr/bin/sha256sum", "/bin/sha256sum"]
    let executable = try #require(
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
        "sha256sum was not found on PATH (\(path)); the cross-check against the system tool cannot run. Install coreutils."
    )
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("rollbook-sha256-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var files: [String] = []
    for (index, input) in inputs.enumerated() {
        let file = directory.appendingPathComponent("input-\(index).bin")
        try Data(input).write(to: file)
        files.append(file.path)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["--"] + files
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "sha256sum exited with status \(process.terminationStatus)")
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    try #require(lines.count == inputs.count, "sha256sum printed \(lines.count) lines for \(inputs.count) files")
    return zip(lines, files).map { line, file in
        // "<64 hex>  <path>" in input order.
        #expect(line.hasSuffix(file), "sha256sum output out of order: \(line)")
        return String(line.prefix(64))
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("NIST FIPS 180-4 vectors", arguments: sha256NISTVectors.indices)
    func nistVector(index: Int) {
        let (message, expected) = sha256NISTVectors[index]
        let bytes = Array(message.utf8)
        #expect(SHA256.hash(bytes).hex == expected)
        #expect(SHA256.hash(message.utf8).hex == expected)
        #expect(bytes.withUnsafeBytes { SHA256.hash($0) }.hex == expected)
        #expect(SHA256.hash(SHA256NoncontiguousBytes(base: bytes)).hex == expected)
        var hasher = SHA256()
        for byte in bytes { hasher.update(CollectionOfOne(byte)) }
        #expect(hasher.finalize().hex == expected)
    }

    @Test("one million \"a\"")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(SHA256.hash(message).hex == expected)
        #expect(sha256Streamed(message, chunkSizes: [1, 63, 64, 65, 127, 4093, 10_000]).hex == expected)
        var hasher = SHA256()
        hasher.update(repeatElement(UInt8(0x61), count: 1_000_000))  // non-contiguous sequence path
        #expect(hasher.finalize().hex == expected)
    }

    @Test("every length 0...130: streaming in odd chunks equals one-shot")
    func boundaryLengths() {
        for length in 0...130 {
            let message = sha256Pattern(length)
            let oneShot = SHA256.hash(message)
            for chunks in [[1], [3], [7, 1], [55], [56], [63], [64], [65], [13, 64, 2]] {
                #expect(sha256Streamed(message, chunkSizes: chunks) == oneShot, "length \(length), chunks \(chunks)")
            }
            #expect(SHA256.hash(SHA256NoncontiguousBytes(base: message)) == oneShot, "length \(length), generic sequence")
            var split = SHA256()
            split.update(message[..<(length / 2)])
            split.update(message[(length / 2)...])
            #expect(split.finalize() == oneShot, "length \(length), two slices")
        }
    }

    @Test("copying a hasher forks the computation")
    func copyForks() {
        var first = SHA256()
        first.update(Array("ab".utf8))
        var second = first
        first.update(Array("c".utf8))
        second.update(Array("d".utf8))
        #expect(first.finalize() == SHA256.hash(Array("abc".utf8)))
        #expect(second.finalize() == SHA256.hash(Array("abd".utf8)))
    }

    @Test("matches the system sha256sum on boundary and random inputs")
    func matchesSystemTool() throws {
        var generator = SeededGenerator(seed: 0x526F_6C6C_626F_6F6B)  // "Rollbook"
        var inputs = (0...130).map { sha256Pattern($0) }
        for length in [191, 192, 200, 255, 256, 257, 1000, 4096, 65_537] {
            inputs.append(generator.bytes(length))
        }
        for _ in 0..<60 {
            inputs.append(generator.bytes(Int(generator.next() % 3000)))
        }
        let expected = try sha256OfSystemTool(inputs)
        for (input, reference) in zip(inputs, expected) {
            #expect(SHA256.hash(input).hex == reference, "length \(input.count)")
            #expect(sha256Streamed(input, chunkSizes: [17, 64, 5, 129]).hex == reference, "streamed, length \(input.count)")
        }
    }

    @Test("hex round trip, bytes and zero")
    func hexRoundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let raw = generator.bytes(32)
            let text = raw.map { String(format: "%02x", $0) }.joined()
            let digest = try #require(SHA256Digest(hex: text))
            #expect(digest.hex == text)
            #expect(digest.description == text)
            #expect(digest.bytes == raw)
            #expect(SHA256Digest(hex: Array(text.utf8)) == digest)
            #expect(SHA256Digest(hex: SHA256NoncontiguousBytes(base: Array(text.utf8))) == digest)
            var appended: [UInt8] = [0x7B]
            digest.appendHex(to: &appended)
            #expect(appended == [0x7B] + Array(text.utf8))
        }
        #expect(MemoryLayout<SHA256Digest>.size == 32)  // four inline words, no storage reference
        #expect(SHA256Digest.zero.hex == String(repeating: "0", count: 64))
        #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) == .zero)
        let abc = SHA256.hash(Array("abc".utf8))
        #expect(abc.bytes.first == 0xBA && abc.bytes.last == 0xAD)
        #expect(abc != .zero)
        #expect(Set([abc, .zero, abc]).count == 2)
    }

    @Test("writeHex writes exactly 64 bytes at the start of the buffer")
    func writeHexBounds() {
        let digest = SHA256.hash(Array("abc".utf8))
        var buffer = [UInt8](repeating: 0xEE, count: 70)
        buffer.withUnsafeMutableBytes { digest.writeHex(to: $0) }
        #expect(Array(buffer[..<64]) == Array(digest.hex.utf8))
        #expect(buffer[64...].allSatisfy { $0 == 0xEE })
    }

    @Test("init?(hex:) refuses wrong lengths, uppercase and non-hex bytes")
    func hexRefusals() {
        let good = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(SHA256Digest(hex: good) != nil)
        #expect(SHA256Digest(hex: String(good.dropLast())) == nil)  // 63
        #expect(SHA256Digest(hex: good + "0") == nil)  // 65
        #expect(SHA256Digest(hex: "") == nil)
        #expect(SHA256Digest(hex: good.uppercased()) == nil)
        #expect(SHA256Digest(hex: SHA256NoncontiguousBytes(base: Array(good.utf8.dropLast()))) == nil)
        #expect(SHA256Digest(hex: SHA256NoncontiguousBytes(base: Array(good.utf8) + [0x30])) == nil)
        // Every byte value at several positions (each 8-byte lane boundary and the ends), via both the
        // contiguous fast path and the generic path.
        let valid = Set(Array("0123456789abcdef".utf8))
        for position in [0, 1, 7, 8, 15, 16, 31, 32, 47, 48, 62, 63] {
            for value in 0...255 {
                var text = Array(good.utf8)
                text[position] = UInt8(value)
                let accepted = valid.contains(UInt8(value))
                let fast = SHA256Digest(hex: text)
                let raw = text.withUnsafeBytes { SHA256Digest(hex: $0) }
                let slow = SHA256Digest(hex: SHA256NoncontiguousBytes(base: text))
                #expect((fast != nil) == accepted, "byte \(value) at \(position)")
                #expect(fast == slow && fast == raw, "byte \(value) at \(position)")
                if let fast { #expect(fast.hex == String(decoding: text, as: UTF8.self)) }
            }
        }
    }
}
