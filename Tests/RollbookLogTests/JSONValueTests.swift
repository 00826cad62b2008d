import Testing
import RollbookLog
import RollbookTestSupport

/// Inputs shared by the JSON tests.
enum JSONTestData {
    /// A typical ledger line, as the writer produces it.
    static let ledgerLine = #"{"seq":12,"at":"2025-09-03T08:41:07.123Z","prev":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","type":"mark.recorded","v":1,"author":"Jane Smith","position":"Attendance Officer","upn":"A123456789012","date":"2025-09-03","session":"AM","code":"/"}"#
}

@Suite struct JSONValueParsingTests {
    @Test func parsesALedgerLine() throws {
        let value = try JSONValue.parse(JSONTestData.ledgerLine)
        let members = try #require(value.members)
        #expect(members.map(\.key) == ["seq", "at", "prev", "type", "v", "author", "position", "upn", "date",
                                       "session", "code"])
        #expect(value["seq"]?.intValue == 12)
        #expect(value["seq"] == .number("12"))
        #expect(value["at"]?.stringValue == "2025-09-03T08:41:07.123Z")
        #expect(value["prev"]?.stringValue?.utf8.count == 64)
        #expect(value["code"]?.stringValue == "/")
        #expect(value["v"]?.intValue == 1)
        #expect(value["missing"] == nil)
        #expect(value["seq"]?["seq"] == nil, "subscripting a non-object gives nil")
    }

    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .number("0")),
        ("-0", .number("-0")),
        ("-1.5e3", .number("-1.5e3")),
        ("1E+2", .number("1E+2")),
        ("0.25e-07", .number("0.25e-07")),
        ("123456789012345678901234567890", .number("123456789012345678901234567890")),
        (#""""#, .string("")),
        (#""a/b""#, .string("a/b")),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{c}\n\r\t")),
        (#""\u00e9\u00C9""#, .string("éÉ")),
        (#""\ud83d\ude00 and \uD83D\uDE00""#, .string("😀 and 😀")),
        (#""\u0000""#, .string("\u{0}")),
        (#""ab\u0063de""#, .string("abcde")),
        (#""héllo wörld ✓ 😀""#, .string("héllo wörld ✓ 😀")),
        (" \t\r\n[ 1 , 2 ]\n ", .array([.number("1"), .number("2")])),
        ("[]", .array([])),
        ("{}", .object([])),
        (#"{"b":1,"a":[true,null,{}]}"#, .object([
            JSONMember(key: "b", value: .number("1")),
            JSONMember(key: "a", value: .array([.bool(true), .null, .object([])])),
        ])),
        (#"{"a":{"a":1}}"#, .object([JSONMember(key: "a", value: .object([JSONMember(key: "a", value: .number("1"))]))])),
    ])
    func parsesValidDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
        #expect(try JSONValue.parse(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("", JSONError.unexpectedEnd(offset: 0)),
        ("   ", .unexpectedEnd(offset: 3)),
        ("[1,2", .unexpectedEnd(offset: 4)),
        (#"{"a""#, .unexpectedEnd(offset: 4)),
        ("+1", .expectedValue(offset: 0)),
        (".5", .expectedValue(offset: 0)),
        ("NaN", .expectedValue(offset: 0)),
        ("Infinity", .expectedValue(offset: 0)),
        ("[1,,2]", .expectedValue(offset: 3)),
        ("[,]", .expectedValue(offset: 1)),
        ("'a'", .expectedValue(offset: 0)),
        ("tru", .invalidLiteral(offset: 0)),
        ("nul", .invalidLiteral(offset: 0)),
        ("[True]", .expectedValue(offset: 1)),
        ("fals e", .invalidLiteral(offset: 0)),
        ("truex", .trailingData(offset: 4)),
        ("01", .leadingZero(offset: 0)),
        ("-012", .leadingZero(offset: 0)),
        ("00.5", .leadingZero(offset: 0)),
        ("1.", .invalidNumber(offset: 0)),
        ("1.e5", .invalidNumber(offset: 0)),
        ("-", .invalidNumber(offset: 0)),
        ("-a", .invalidNumber(offset: 0)),
        ("[-.5]", .invalidNumber(offset: 1)),
        ("1e", .invalidNumber(offset: 0)),
        ("1e+", .invalidNumber(offset: 0)),
        ("0x10", .trailingData(offset: 1)),
        ("1 2", .trailingData(offset: 2)),
        ("{} {}", .trailingData(offset: 3)),
        ("[1] x", .trailingData(offset: 4)),
        ("[1,]", .trailingComma(offset: 2)),
        (#"{"a":1,}"#, .trailingComma(offset: 6)),
        (#"{"a":1 , }"#, .trailingComma(offset: 7)),
        ("{,}", .expectedKey(offset: 1)),
        ("{a:1}", .expectedKey(offset: 1)),
        (#"{"a" 1}"#, .expectedColon(offset: 5)),
        (#"{"a":1 "b":2}"#, .expectedCommaOrObjectEnd(offset: 7)),
        ("[1 2]", .expectedCommaOrArrayEnd(offset: 3)),
        (#"{"a":1]"#, .expectedCommaOrObjectEnd(offset: 6)),
        (#""abc"#, .unterminatedString(offset: 0)),
        (#"["abc\"]"#, .unterminatedString(offset: 1)),
        (#""\u12"#, .unterminatedString(offset: 0)),
        ("\"a\tb\"", .controlCharacter(offset: 2)),
        ("\"a\nb\"", .controlCharacter(offset: 2)),
        ("\"\u{1F}\"", .controlCharacter(offset: 1)),
        (#""\x41""#, .invalidEscape(offset: 1)),
        (#""\U0041""#, .invalidEscape(offset: 1)),
        (#""\'""#, .invalidEscape(offset: 1)),
        (#""\u12G4""#, .invalidUnicodeEscape(offset: 1)),
        (#""\ud800""#, .loneSurrogate(offset: 1)),
        (#""\udc00""#, .loneSurrogate(offset: 1)),
        (#""\ud800\u0041""#, .loneSurrogate(offset: 1)),
        (#""\ud800\ud800""#, .loneSurrogate(offset: 1)),
        (#""x\ud83d""#, .loneSurrogate(offset: 2)),
        (#"{"a":1,"a":2}"#, .duplicateKey(offset: 7, key: "a")),
        (#"{"a":1,"\u0061":2}"#, .duplicateKey(offset: 7, key: "a")),
        (#"[{"k":1},{"k":2,"x":{"k":3},"k":4}]"#, .duplicateKey(offset: 28, key: "k")),
    ])
    func rejectsInvalidDocuments(text: String, expected: JSONError) {
        #expect(throws: expected) { try JSONValue.parse(text) }
    }

    @Test(arguments: [
        [0x22, 0x80, 0x22], // lone continuation byte
        [0x22, 0xC0, 0xAF, 0x22], // overlong "/"
        [0x22, 0xC1, 0xBF, 0x22], // overlong
        [0x22, 0xE0, 0x80, 0xAF, 0x22], // overlong three-byte
        [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], // overlong four-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22], // U+D800 encoded in UTF-8
        [0x22, 0xED, 0xBF, 0xBF, 0x22], // U+DFFF encoded in UTF-8
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // above U+10FFFF
        [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], // byte above F4
        [0x22, 0xFF, 0x22], // byte above F4
        [0x22, 0xC3, 0x28, 0x22], // missing continuation
        [0x22, 0xE2, 0x82, 0x22], // truncated sequence
    ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONError.invalidUTF8(offset: 1)) { try JSONValue.parse(bytes) }
    }

    @Test func rejectsNonASCIIOutsideStrings() {
        #expect(throws: JSONError.expectedValue(offset: 0)) { try JSONValue.parse([0xC3, 0xA9]) }
        #expect(throws: JSONError.trailingData(offset: 2)) { try JSONValue.parse([0x5B, 0x5D, 0xEF, 0xBB, 0xBF]) }
        // A byte-order mark is not whitespace.
        #expect(throws: JSONError.expectedValue(offset: 0)) { try JSONValue.parse([0xEF, 0xBB, 0xBF, 0x31]) }
    }

    @Test func acceptsEveryWellFormedUTF8Boundary() throws {
        // The first and last scalars of each UTF-8 length, written raw, around the 8-byte scan stride.
        let scalars: [Unicode.Scalar] = ["\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}",
                                         "\u{FFFF}", "\u{10000}", "\u{10FFFF}"]
        for scalar in scalars {
            for padding in 0..<10 {
                let text = String(repeating: "x", count: padding) + String(scalar) + String(repeating: "y", count: padding)
                #expect(try JSONValue.parse("\"" + text + "\"") == .string(text))
            }
        }
    }

    @Test func findsSpecialBytesAtEveryPositionOfTheScanStride() throws {
        for padding in 0..<20 {
            let prefix = String(repeating: "a", count: padding)
            #expect(try JSONValue.parse("\"\(prefix)\\n\(prefix)\"") == .string(prefix + "\n" + prefix))
            #expect(throws: JSONError.controlCharacter(offset: 1 + padding)) {
                try JSONValue.parse("\"\(prefix)\u{1}\(prefix)\"")
            }
            #expect(throws: JSONError.trailingData(offset: padding + 2)) {
                try JSONValue.parse("\"\(prefix)\"\(prefix)\"")
            }
        }
    }

    @Test func limitsNestingDepth() throws {
        let limit = JSONValue.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        _ = try JSONValue.parse(deepest)
        let objects = String(repeating: #"{"a":"#, count: limit) + "1" + String(repeating: "}", count: limit)
        _ = try JSONValue.parse(objects)

        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONError.tooDeep(offset: limit)) { try JSONValue.parse(tooDeep) }
        let mixed = String(repeating: #"[{"a":"#, count: 40) + "1" + String(repeating: "}]", count: 40)
        // `[{"a":` is 6 bytes and opens two containers, so the 65th container is the `[` at 6 × 32.
        #expect(throws: JSONError.tooDeep(offset: 6 * 32)) { try JSONValue.parse(mixed) }
        // Hostile nesting far beyond the limit fails quickly instead of exhausting the stack.
        let hostile = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(throws: JSONError.tooDeep(offset: limit)) { try JSONValue.parse(hostile) }
    }

    @Test func detectsDuplicateKeysInLargeObjects() throws {
        let keys = (0..<200).map { "key\($0)" }
        var text = "{" + keys.map { "\"\($0)\":0" }.joined(separator: ",") + "}"
        let value = try JSONValue.parse(text)
        #expect(value.members?.map(\.key) == keys)
        #expect(value["key150"] == .number("0"))

        text.removeLast()
        text += #","key173":1}"#
        #expect(throws: JSONError.duplicateKey(offset: text.utf8.count - 11, key: "key173")) {
            try JSONValue.parse(text)
        }
        // Keys that differ only in Unicode normalization are different keys (compared by scalars).
        let distinct = try JSONValue.parse(#"{"\u00e9":1,"e\u0301":2}"#)
        #expect(distinct.members?.count == 2)
    }

    @Test func errorDescriptionsAreSentencesWithTheOffset() {
        #expect(JSONError.expectedColon(offset: 17).description
            == "Invalid JSON at byte 17: expected ':' after an object key.")
        #expect(JSONError.duplicateKey(offset: 3, key: "seq").description
            == #"Invalid JSON at byte 3: the key "seq" appears more than once in the same object."#)
        #expect(JSONError.duplicateKey(offset: 3, key: "a\"\n").description.contains(#""a\"\n""#))
        #expect(JSONError.tooDeep(offset: 64).description.contains("64"))
        let all: [JSONError] = [
            .unexpectedEnd(offset: 1), .expectedValue(offset: 1), .invalidLiteral(offset: 1),
            .invalidNumber(offset: 1), .leadingZero(offset: 1), .expectedKey(offset: 1),
            .expectedColon(offset: 1), .expectedCommaOrObjectEnd(offset: 1), .expectedCommaOrArrayEnd(offset: 1),
            .trailingComma(offset: 1), .unterminatedString(offset: 1), .controlCharacter(offset: 1),
            .invalidEscape(offset: 1), .invalidUnicodeEscape(offset: 1), .loneSurrogate(offset: 1),
            .invalidUTF8(offset: 1), .duplicateKey(offset: 1, key: "k"), .tooDeep(offset: 1),
            .trailingData(offset: 1),
        ]
        for error in all {
            #expect(error.offset == 1)
            #expect(error.description.hasPrefix("Invalid JSON at byte 1: "))
            #expect(error.description.hasSuffix("."))
        }
        #expect(Set(all.map(\.description)).count == all.count)
    }

    @Test func parsesFromARawBufferWithoutCopying() throws {
        let bytes = Array("  [1, \"two\"]  ".utf8)
        let value = try bytes.withUnsafeBytes { raw in try JSONValue.parse(raw) }
        #expect(value == .array([.number("1"), .string("two")]))
        #expect(throws: JSONError.unexpectedEnd(offset: 0)) { try JSONValue.parse(UnsafeRawBufferPointer(start: nil, count: 0)) }
        // A slice of a larger buffer: offsets are relative to the slice and nothing beyond it is read.
        let line = Array(#"{"a":1}{"b":2}"#.utf8)
        let first = try line.withUnsafeBytes { raw in try JSONValue.parse(UnsafeRawBufferPointer(rebasing: raw[0..<7])) }
        #expect(first["a"]?.intValue == 1)
    }
}

@Suite struct JSONValueAccessorTests {
    @Test(arguments: [
        ("0", 0), ("-0", 0), ("12", 12), ("-7", -7),
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
    ])
    func intValueOfIntegers(literal: String, expected: Int) {
        #expect(JSONValue.number(literal).intValue == expected)
    }

    @Test(arguments: ["1.0", "1e3", "1E3", "-1.5", "9223372036854775808", "-9223372036854775809", "", "-", "+1", " 1"])
    func intValueIsNilForNonIntegers(literal: String) {
        #expect(JSONValue.number(literal).intValue == nil)
    }

    @Test func accessorsOnlyAnswerForTheirOwnKind() {
        let values: [JSONValue] = [.null, .bool(true), .number("1"), .string("s"), .array([]), .object([])]
        #expect(values.map { $0.boolValue != nil } == [false, true, false, false, false, false])
        #expect(values.map { $0.intValue != nil } == [false, false, true, false, false, false])
        #expect(values.map { $0.stringValue != nil } == [false, false, false, true, false, false])
        #expect(values.map { $0.arrayValue != nil } == [false, false, false, false, true, false])
        #expect(values.map { $0.members != nil } == [false, false, false, false, false, true])
        #expect(JSONValue.string("12").intValue == nil)
    }

    @Test func subscriptReturnsTheFirstMemberWithTheKey() {
        let value = JSONValue.object([
            JSONMember(key: "a", value: .number("1")),
            JSONMember(key: "a", value: .number("2")),
        ])
        #expect(value["a"] == .number("1"))
        #expect(JSONValue.array([.null])["a"] == nil)
    }
}

@Suite struct JSONFuzzTests {
    typealias SplitMix64 = SeededGenerator

    static let seeds: [String] = [
        JSONTestData.ledgerLine,
        #"{"seq":5,"prev":"00","disposed":"ff"}"#,
        #"[1,-2.5e+10,0.0,true,false,null,"x\u00e9\n\"",{"a":[{}],"b":{"c":[]}}]"#,
        #"{"k":"h\u00e9llo w\u00f6rld \ud83d\ude00","n":[0,1,2,3e-7],"é":"✓ 😀","esc":"\\\/\b\f\r\t"}"#,
        #"  [ { "a" : 1 } , [ ] , "" ]  "#,
    ]

    /// Mutates `bytes` in one of several ways biased towards JSON's interesting bytes.
    static func mutate(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        let interesting: [UInt8] = Array(#"{}[],:"\/-+.eE0123456789tfnu "#.utf8)
            + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF, 0x0A, 0x0D]
        let edits = Int.random(in: 1...4, using: &rng)
        for _ in 0..<edits {
            let index = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[index] = interesting.randomElement(using: &rng)!
            case 1 where !bytes.isEmpty: bytes[index] = UInt8.random(in: 0...255, using: &rng)
            case 2: bytes.insert(interesting.randomElement(using: &rng)!, at: index)
            case 3 where !bytes.isEmpty: bytes.remove(at: index)
            case 4 where !bytes.isEmpty: bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...8, using: &rng)))
            case 5 where !bytes.isEmpty:
                let end = min(bytes.count, index + Int.random(in: 1...12, using: &rng))
                bytes.insert(contentsOf: bytes[index..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            default: bytes = Array(bytes.prefix(index))
            }
        }
    }

    @Test func mutatedDocumentsParseOrThrow() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var parsed = 0
        var failed = 0
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            if iteration % 10 == 9 {
                bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = Array(Self.seeds.randomElement(using: &rng)!.utf8)
                Self.mutate(&bytes, using: &rng)
            }
            switch Result(catching: { () throws(JSONError) in try JSONValue.parse(bytes) }) {
            case .success(let value):
                parsed += 1
                // Whatever parses must survive a round trip through the writer unchanged.
                let encoded = JSONWriter.encode(value)
                #expect(try JSONValue.parse(encoded) == value)
            case .failure(let error):
                failed += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        #expect(parsed + failed == 20_000)
        #expect(parsed > 100, "the mutations should leave some documents valid")
        #expect(failed > 10_000, "most mutations should break the document")
    }

    static func randomString(using rng: inout SplitMix64) -> String {
        let pool: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}",
                                      "\u{7F}", "é", "ß", "✓", "\u{FFFF}", "😀", "\u{10FFFF}", "\u{301}"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...20, using: &rng) {
            if Bool.random(using: &rng) {
                scalars.append(pool.randomElement(using: &rng)!)
            } else {
                var value = UInt32.random(in: 0...0x10FFFF, using: &rng)
                if (0xD800...0xDFFF).contains(value) { value = 0xFFFD }
                scalars.append(Unicode.Scalar(value)!)
            }
        }
        return String(scalars)
    }

    static func randomNumber(using rng: inout SplitMix64) -> String {
        var text = Bool.random(using: &rng) ? "-" : ""
        text += Bool.random(using: &rng) ? "0" : String(UInt64.random(in: 1...UInt64.max, using: &rng))
        if Bool.random(using: &rng) { text += "." + String(UInt16.random(in: 0...999, using: &rng)) }
        if Bool.random(using: &rng) {
            text += ["e", "E"].randomElement(using: &rng)! + ["", "+", "-"].randomElement(using: &rng)!
                + String(Int.random(in: 0...400, using: &rng))
        }
        return text
    }

    static func randomValue(depth: Int, using rng: inout SplitMix64) -> JSONValue {
        // Containers shrink with depth so that trees stay small; the top level may exceed the
        // parser's linear duplicate-key check limit.
        let width = depth == 0 ? 20 : 4
        switch Int.random(in: 0..<(depth >= 4 ? 4 : 6), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(randomNumber(using: &rng))
        case 3: return .string(randomString(using: &rng))
        case 4: return .array((0..<Int.random(in: 0...width, using: &rng)).map { _ in randomValue(depth: depth + 1, using: &rng) })
        default:
            var members: [JSONMember] = []
            var seen = Set<[UInt8]>()
            for _ in 0..<Int.random(in: 0...width, using: &rng) {
                let key = randomString(using: &rng)
                guard seen.insert(Array(key.utf8)).inserted else { continue }
                members.append(JSONMember(key: key, value: randomValue(depth: depth + 1, using: &rng)))
            }
            return .object(members)
        }
    }

    @Test func writerOutputRoundTripsThroughTheParser() throws {
        var rng = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<1_000 {
            let value = Self.randomValue(depth: 0, using: &rng)
            let encoded = JSONWriter.encode(value)
            let parsed = try JSONValue.parse(encoded)
            #expect(parsed == value)
            // Byte-exact: equality of Swift strings would hide a change of normalization.
            #expect(JSONWriter.encode(parsed) == encoded)
            #expect(try JSONValue.parse(JSONWriter.pretty(value)) == value)
        }
    }
}
