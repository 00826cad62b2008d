import Foundation
import Testing

@testable import RollbookLog
import RollbookTestSupport

// The NIST CAVP SHA-256 test files (SHAVS, byte-oriented: SHA256ShortMsg.rsp, SHA256LongMsg.rsp and
// SHA256Monte.rsp), shipped unchanged under Resources/NIST from PyPI's `cryptography-vectors` 50.0.2
// (cryptography_vectors/hashes/SHA2/).

/// One known answer: a message and the digest NIST gives for it.
private struct KnownAnswer: Sendable {
    var line: Int
    var message: [UInt8]
    var digest: String
}

/// The text of a file under Resources/NIST.
private func nistFile(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "NIST", withExtension: nil), "the NIST resources are missing from the test bundle")
    return try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
}

/// `key = value` lines of an .rsp file (CRLF or LF), with their line numbers; comments and `[L = 32]` skipped.
private func rspFields(_ text: String) -> [(line: Int, key: String, value: String)] {
    var fields: [(line: Int, key: String, value: String)] = []
    for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { continue }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        fields.append((index + 1, key, value))
    }
    return fields
}

/// Bytes from hex digits; nil for an odd count or a non-hex character.
private func bytes(hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
        guard let high = SHA256Digest.nibble(digits[i]), let low = SHA256Digest.nibble(digits[i + 1]) else { return nil }
        out.append(high << 4 | low)
        i += 2
    }
    return out
}

/// The `Len`/`Msg`/`MD` triples of a ShortMsg or LongMsg file (`Len` in bits; `Msg = 00` when it is 0).
private func knownAnswers(_ name: String) throws -> [KnownAnswer] {
    var answers: [KnownAnswer] = []
    var length: Int?
    var message: [UInt8]?
    for field in rspFields(try nistFile(name)) {
        switch field.key {
        case "Len":
            length = Int(field.value)
            message = nil
        case "Msg":
            message = bytes(hex: field.value)
        case "MD":
            let bits = try #require(length, "\(name) line \(field.line): MD without Len")
            let bytes = try #require(message, "\(name) line \(field.line): MD without a readable Msg")
            try #require(bits % 8 == 0 && bits / 8 <= bytes.count, "\(name) line \(field.line): Len \(bits) does not fit the message")
            answers.append(KnownAnswer(line: field.line, message: Array(bytes.prefix(bits / 8)), digest: field.value))
            length = nil
            message = nil
        default:
            continue
        }
    }
    return answers
}

/// Hashes `message` with `backend` through the streaming API, in chunks whose sizes cycle through `sizes`.
private func streamed(_ message: [UInt8], backend: SHA256Backend, sizes: [Int]) -> SHA256Digest {
    var hasher = SHA256(backend: backend)
    var offset = 0
    var turn = 0
    message.withUnsafeBytes { raw in
        while offset < raw.count {
            let size = min(sizes[turn % sizes.count], raw.count - offset)
            hasher.update(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)]))
            offset += size
            turn += 1
        }
    }
    return hasher.finalize()
}

private func oneShot(_ message: [UInt8], backend: SHA256Backend) -> SHA256Digest {
    message.withUnsafeBytes { SHA256.hash($0, backend: backend) }
}

@Suite("SHA-256 backends")
struct SHA256BackendTests {
    @Test("the hardware backend is found exactly when the CPU reports the SHA extensions")
    func detection() throws {
        #expect(SHA256Backend.preferred == (SHA256Backend.hardwareAvailable ? .hardware : .portable))
        #expect(SHA256Backend.available.contains(.portable))
        #expect(SHA256Backend.available.contains(.hardware) == SHA256Backend.hardwareAvailable)
        #if os(Linux) && arch(x86_64)
        // The kernel's own reading of cpuid: hardware hashing must be used wherever it can be.
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flagsLine = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }, "/proc/cpuinfo has no flags line")
        let flags = Set(flagsLine.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
        let expected = flags.contains("sha_ni") && flags.contains("ssse3") && flags.contains("sse4_1")
        #expect(SHA256Backend.hardwareAvailable == expected, "cpuinfo flags sha_ni/ssse3/sse4_1: \(expected)")
        #endif
    }

    @Test("NIST CAVP SHA256ShortMsg: every vector, one-shot and streamed", arguments: SHA256Backend.available)
    func shortMessages(backend: SHA256Backend) throws {
        let answers = try knownAnswers("SHA256ShortMsg.rsp")
        #expect(answers.count == 65)
        #expect(answers.first?.message.isEmpty == true)
        for answer in answers {
            #expect(oneShot(answer.message, backend: backend).hex == answer.digest, "line \(answer.line)")
            #expect(streamed(answer.message, backend: backend, sizes: [1]).hex == answer.digest, "line \(answer.line), byte by byte")
            #expect(streamed(answer.message, backend: backend, sizes: [7, 64, 3]).hex == answer.digest, "line \(answer.line), 7/64/3")
        }
    }

    @Test("NIST CAVP SHA256LongMsg: every vector, one-shot and streamed", arguments: SHA256Backend.available)
    func longMessages(backend: SHA256Backend) throws {
        let answers = try knownAnswers("SHA256LongMsg.rsp")
        #expect(answers.count == 64)
        for answer in answers {
            #expect(oneShot(answer.message, backend: backend).hex == answer.digest, "line \(answer.line)")
            #expect(streamed(answer.message, backend: backend, sizes: [63, 129, 1, 4093]).hex == answer.digest, "line \(answer.line), streamed")
        }
    }

    @Test("NIST CAVP SHA256Monte: the Monte Carlo test, all 100 checkpoints", arguments: SHA256Backend.available)
    func monteCarlo(backend: SHA256Backend) throws {
        let fields = rspFields(try nistFile("SHA256Monte.rsp"))
        let seedText = try #require(fields.first { $0.key == "Seed" }?.value, "SHA256Monte.rsp has no Seed")
        var seed = try #require(bytes(hex: seedText))
        let expected = fields.filter { $0.key == "MD" }
        #expect(expected.count == 100)
        // SHAVS: MD0 = MD1 = MD2 = Seed; MDi = SHA(MDi-3 || MDi-2 || MDi-1) for i = 3…1002; the
        // checkpoint and the next seed are MD1002.
        var message = [UInt8](repeating: 0, count: 96)
        for (j, checkpoint) in expected.enumerated() {
            var window = (seed, seed, seed)
            for _ in 3...1002 {
                message.replaceSubrange(0..<32, with: window.0)
                message.replaceSubrange(32..<64, with: window.1)
                message.replaceSubrange(64..<96, with: window.2)
                window = (window.1, window.2, oneShot(message, backend: backend).bytes)
            }
            seed = window.2
            #expect(SHA256Digest(hex: checkpoint.value)?.bytes == seed, "COUNT = \(j) (line \(checkpoint.line))")
        }
    }

    @Test("random lines of 0 to 2,000 bytes: every backend gives the portable digest, one-shot and streamed")
    func backendsAgree() {
        var random = SeededGenerator(seed: 0x5EED_5A25)
        for round in 0..<1500 {
            let length = round < 130 ? round : Int.random(in: 0...2000, using: &random)
            let line = random.bytes(length)
            let reference = oneShot(line, backend: .portable)
            // Split at odd places: chunk sizes that cross block boundaries every which way.
            let sizes = (0..<4).map { _ in Int.random(in: 1...131, using: &random) }
            for backend in SHA256Backend.available {
                #expect(oneShot(line, backend: backend) == reference, "\(backend), length \(length)")
                #expect(streamed(line, backend: backend, sizes: sizes) == reference, "\(backend), length \(length), chunks \(sizes)")
            }
            // The public API uses the preferred backend.
            #expect(SHA256.hash(line) == reference, "SHA256.hash, length \(length)")
        }
    }

    @Test("a hasher keeps the backend it was made with when copied")
    func copiesKeepTheBackend() {
        for backend in SHA256Backend.available {
            var first = SHA256(backend: backend)
            first.update(Array("ab".utf8))
            #expect(first.backend == backend)
            var second = first
            first.update(Array("c".utf8))
            second.update(Array("d".utf8))
            #expect(first.finalize().hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(second.backend == backend)
            #expect(second.finalize() == oneShot(Array("abd".utf8), backend: .portable))
        }
    }
}
