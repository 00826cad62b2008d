import Testing

@testable import RollbookLog
import RollbookTestSupport

/// The reader's fast JSON check agrees with the full parser on every input.
@Suite("JSON validation")
struct JSONValidationTests {
    static let examples: [String] = [
        #"{"seq":1,"at":"2025-09-03T08:00:00.000Z","prev":"00","type":"mark.recorded","code":"\\","note":"a/b \"q\" \n\t"}"#,
        #"{"a":[1,-0,0.5,-1.25e+10,2E-3,true,false,null,{"b":{}},[]],"ü":"Zoë Łukasz 😀","c":""}"#,
        #"{"a":1,"a":2}"#, #"{"a":1,"b":{"a":2}}"#, #"{"":1,"":2}"#, #"{"a\u0062":1,"ab":2}"#, #"{"x":"\ud83d\ude00"}"#,
        #"{"x":"\ud83d"}"#, #"[01]"#, #"[1.]"#, #"[.5]"#, #"[+1]"#, #"[1e]"#, #"[-]"#, #"{"a":1,}"#, #"[1,]"#, #"{"a"}"#,
        #" {"a":1} "#, #"{"a":1}x"#, #"{"a":tru}"#, #"{"a":nul}"#, #"{'a':1}"#, #"{"a":"\x"}"#, #"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
        #"{"k1":1,"k2":1,"k3":1,"k4":1,"k5":1,"k6":1,"k7":1,"k8":1,"k9":1,"k10":1,"k11":1,"k12":1,"k13":1,"k14":1,"k15":1,"k16":1,"k17":1,"k1":2}"#,
        "", " ", "{", "}", "\"", "\"abc", "nul", "-", "0", "-0", "1e5", "\"\u{7F}\"",
    ]

    @Test("agrees with JSONValue.parse on examples, bad UTF-8 and 20,000 mutations")
    func agreesWithTheParser() {
        func check(_ bytes: [UInt8]) -> Bool {
            let fast = bytes.withUnsafeBytes { JSONValidation.isValid($0) }
            let full = (try? JSONValue.parse(bytes)) != nil
            return fast == full
        }
        for example in Self.examples { #expect(check(Array(example.utf8)), "\(example)") }
        for bad: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
                             [0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22], [0x22, 0xE0, 0x9F, 0xBF, 0x22], [0x22, 0xFF, 0x22], [0x22, 0x00, 0x22],
                             [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22], [0x22, 0xEF, 0xBF, 0xBF, 0x22]] {
            #expect(check(bad), "\(bad)")
        }
        var rng = SeededGenerator(seed: 0x150)
        let alphabet = Array(#"{}[]":,0123456789.eE+-tfnul\ "abu"#.utf8) + [0x0A, 0x00, 0xC3, 0xA9, 0xED, 0xA0, 0xF0, 0x9F, 0xFF, 0x80]
        let seeds = Self.examples.prefix(2).map { Array($0.utf8) } + [LogFixture.record(3), LogFixture.record(4)]
        var disagreements = 0
        for n in 0..<20_000 {
            var bytes = seeds[n % seeds.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = alphabet.randomElement(using: &rng)!
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
                default: bytes.remove(at: at)
                }
            }
            if !check(bytes) {
                disagreements += 1
                if disagreements <= 5 { Issue.record("disagrees on \(String(decoding: bytes, as: UTF8.self))") }
            }
        }
        #expect(disagreements == 0)
    }
}
