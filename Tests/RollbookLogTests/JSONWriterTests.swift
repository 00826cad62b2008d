import Testing
import RollbookLog

private func text(_ writer: JSONWriter) -> String { String(decoding: writer.bytes, as: UTF8.self) }

@Suite struct JSONWriterTests {
    @Test func writesALedgerLineByteForByte() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("seq", 12)
        writer.member("at", "2025-09-03T08:41:07.123Z")
        writer.member("prev", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        writer.member("type", "mark.recorded")
        writer.member("v", 1)
        writer.member("author", "Jane Smith")
        writer.member("position", "Attendance Officer")
        writer.member("upn", "A123456789012")
        writer.member("date", "2025-09-03")
        writer.member("session", "AM")
        writer.member("code", "/")
        writer.endObject()
        #expect(text(writer) == JSONTestData.ledgerLine)
        #expect(JSONWriter.encode(try JSONValue.parse(JSONTestData.ledgerLine)) == Array(JSONTestData.ledgerLine.utf8))
    }

    @Test func placesCommasAutomaticallyAtEveryLevel() {
        var writer = JSONWriter(capacity: 0)
        writer.beginArray()
        writer.int(1)
        writer.beginObject()
        writer.key("a")
        writer.beginArray()
        writer.endArray()
        writer.key("b")
        writer.beginObject()
        writer.endObject()
        writer.member("c", true)
        writer.key("d")
        writer.beginArray()
        writer.null()
        writer.bool(false)
        writer.beginArray()
        writer.string("x")
        writer.endArray()
        writer.endArray()
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.string("")
        writer.endArray()
        #expect(text(writer) == #"[1,{"a":[],"b":{},"c":true,"d":[null,false,["x"]]},[],""]"#)
    }

    @Test func memberConveniences() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("s", "v")
        writer.member("i", -3)
        writer.member("b", false)
        writer.member("some", Optional("x"))
        writer.member("none", nil as String?)
        writer.endObject()
        #expect(text(writer) == #"{"s":"v","i":-3,"b":false,"some":"x","none":null}"#)
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote \" backslash \\", #""quote \" backslash \\""#),
        ("a/b", #""a/b""#),
        ("line\nreturn\rtab\t", #""line\nreturn\rtab\t""#),
        ("\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}", #""\u0000\u0001\u0008\u000b\u000c\u001f""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("é ✓ 😀 \u{10FFFF}", "\"é ✓ 😀 \u{10FFFF}\""),
        ("", #""""#),
    ])
    func escapesStringsMinimally(value: String, expected: String) throws {
        var writer = JSONWriter()
        writer.string(value)
        #expect(text(writer) == expected)
        #expect(try JSONValue.parse(writer.bytes) == .string(value))
    }

    @Test func escapesEveryControlCharacterAndNothingElseInASCII() throws {
        for byte in UInt8(0)...UInt8(0x7F) {
            let value = String(UnicodeScalar(byte))
            var writer = JSONWriter()
            writer.key(value)
            let written = text(writer)
            switch byte {
            case 0x0A: #expect(written == #""\n":"#)
            case 0x0D: #expect(written == #""\r":"#)
            case 0x09: #expect(written == #""\t":"#)
            case 0x22: #expect(written == #""\"":"#)
            case 0x5C: #expect(written == #""\\":"#)
            case ..<0x20:
                let hex = String(byte, radix: 16)
                #expect(written == "\"\\u00\(hex.count == 1 ? "0" : "")\(hex)\":")
            default: #expect(written == "\"\(value)\":")
            }
        }
    }

    @Test(arguments: [0, 7, -1, 10, 1234567890, Int.max, Int.min])
    func writesIntegers(value: Int) {
        var writer = JSONWriter()
        writer.int(value)
        #expect(text(writer) == String(value))
    }

    @Test(arguments: [
        (94.7, 1, "94.7"),
        (94.75, 1, "94.8"),
        (94.65, 1, "94.7"),
        (94.64, 1, "94.6"),
        (0.15, 1, "0.2"),
        (2.675, 2, "2.68"),
        (2.0, 2, "2.00"),
        (3.5, 0, "4"),
        (-3.5, 0, "-4"),
        (2.4, 0, "2"),
        (-0.04, 1, "0.0"),
        (-0.0, 1, "0.0"),
        (0.0, 0, "0"),
        (100.0, 1, "100.0"),
        (99.95, 1, "100.0"),
        (9.999, 2, "10.00"),
        (0.0000001, 3, "0.000"),
        (0.0005, 3, "0.001"),
        (0.000015, 5, "0.00002"),
        (123456.789, 2, "123456.79"),
        (1e20, 1, "100000000000000000000.0"),
        (-12.345, 2, "-12.35"),
        (.leastNonzeroMagnitude, 2, "0.00"),
        (1.0 / 3.0, 4, "0.3333"),
        (7, -2, "7"),
        (.nan, 1, "null"),
        (.infinity, 1, "null"),
        (-.infinity, 2, "null"),
    ] as [(Double, Int, String)])
    func writesDoublesInFixedNotation(value: Double, digits: Int, expected: String) throws {
        var writer = JSONWriter()
        writer.double(value, fractionDigits: digits)
        #expect(text(writer) == expected)
        _ = try JSONValue.parse(writer.bytes)
    }

    @Test func writesTheLargestDoubleWithoutAnExponent() throws {
        var writer = JSONWriter()
        writer.double(.greatestFiniteMagnitude, fractionDigits: 1)
        let written = text(writer)
        #expect(written.hasPrefix("17976931348623157"))
        #expect(written.hasSuffix("000.0"))
        #expect(written.utf8.count == 309 + 2)
        #expect(try JSONValue.parse(writer.bytes) == .number(written))
    }

    @Test func encodesValuesCompactly() {
        let value = JSONValue.object([
            JSONMember(key: "n", value: .number("-1.5e3")),
            JSONMember(key: "list", value: .array([.null, .bool(true), .string("é")])),
            JSONMember(key: "empty", value: .object([])),
        ])
        #expect(String(decoding: JSONWriter.encode(value), as: UTF8.self)
            == #"{"n":-1.5e3,"list":[null,true,"é"],"empty":{}}"#)
        #expect(JSONWriter.encode(.string("x")) == Array(#""x""#.utf8))
    }

    @Test func prettyPrintsWithTwoSpaceIndentation() {
        let value = JSONValue.object([
            JSONMember(key: "b", value: .number("1")),
            JSONMember(key: "a", value: .array([.bool(true), .object([JSONMember(key: "k\n", value: .null)])])),
            JSONMember(key: "c", value: .object([])),
            JSONMember(key: "d", value: .array([])),
        ])
        #expect(JSONWriter.pretty(value) == """
            {
              "b": 1,
              "a": [
                true,
                {
                  "k\\n": null
                }
              ],
              "c": {},
              "d": []
            }
            """)
        #expect(JSONWriter.pretty(.string("s")) == #""s""#)
        #expect(JSONWriter.pretty(.array([])) == "[]")
    }
}
