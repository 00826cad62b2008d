import Testing
import RollbookLedger

private func parse(_ text: String) throws(CSVError) -> CSVTable {
    try CSVTable.parse(Array(text.utf8))
}

@Suite struct CSVTableTests {
    @Test func parsesASimpleFile() throws {
        let table = try parse("upn,date,session,code\nA123456789012,2025-09-03,AM,/\nP123456789013,2025-09-03,PM,L\n")
        #expect(table.header == ["upn", "date", "session", "code"])
        #expect(table.rows == [
            CSVTable.Row(line: 2, fields: ["A123456789012", "2025-09-03", "AM", "/"]),
            CSVTable.Row(line: 3, fields: ["P123456789013", "2025-09-03", "PM", "L"]),
        ])
        #expect(table.columnIndex("session") == 2)
        #expect(table.columnIndex("  code ") == 3)
        #expect(table.columnIndex("Code") == nil)
        #expect(table.columnIndex("missing") == nil)
    }

    @Test(arguments: [
        "a,b\n1,2\n",
        "a,b\n1,2",
        "a,b\r\n1,2\r\n",
        "a,b\r\n1,2",
        "\u{FEFF}a,b\n1,2\n",
        "a,b\n1,2\n\n\n",
        "a,b\r\n1,2\r\n\r\n",
        "a,b\n1,2\n\r\n\n",
        " a , b\t\n1,2\n",
    ])
    func acceptsLineEndingVariants(text: String) throws {
        let table = try parse(text)
        #expect(table == CSVTable(header: ["a", "b"], rows: [CSVTable.Row(line: 2, fields: ["1", "2"])]))
    }

    @Test func headerOnlyFileHasNoRows() throws {
        #expect(try parse("a,b").rows.isEmpty)
        #expect(try parse("a,b\n\n").rows.isEmpty)
    }

    @Test func parsesQuotedFields() throws {
        let table = try parse(#"""
            name,note,n
            "Smith, Jane","said ""hi""",1
            "","",""
            plain,"",x
            """#)
        #expect(table.rows.map(\.fields) == [
            ["Smith, Jane", "said \"hi\"", "1"],
            ["", "", ""],
            ["plain", "", "x"],
        ])
        #expect(table.rows.map(\.line) == [2, 3, 4])
    }

    @Test func quotedLineBreaksKeepPhysicalLineNumbers() throws {
        let text = "a,b\n\"multi\nline\",1\n\"x\r\ny\r\nz\",2\r\nlast,3\n\"\"\"\n\",4\n"
        let table = try parse(text)
        #expect(table.rows == [
            CSVTable.Row(line: 2, fields: ["multi\nline", "1"]),
            CSVTable.Row(line: 4, fields: ["x\r\ny\r\nz", "2"]),
            CSVTable.Row(line: 7, fields: ["last", "3"]),
            CSVTable.Row(line: 8, fields: ["\"\n", "4"]),
        ])
        // Errors after a multi-line field still name the right physical line.
        #expect(throws: CSVError.fieldCount(line: 5, expected: 2, found: 1)) {
            try parse("a,b\n\"1\n2\n3\",x\nonly\n")
        }
    }

    @Test func keepsFieldsVerbatimButTrimsHeaderNames() throws {
        let table = try parse("  first name ,\tlast\t\n  Jane , Smith \n")
        #expect(table.header == ["first name", "last"])
        #expect(table.rows[0].fields == ["  Jane ", " Smith "])
        #expect(table.columnIndex("first name") == 0)
    }

    @Test func acceptsUTF8Fields() throws {
        let table = try parse("name\nZoë\n\"Łukasz, 😀\"\n")
        #expect(table.rows.map(\.fields) == [["Zoë"], ["Łukasz, 😀"]])
    }

    @Test func emptyFieldsAndTrailingComma() throws {
        let table = try parse("a,b,c\n,,\n1,,3\n,2,")
        #expect(table.rows.map(\.fields) == [["", "", ""], ["1", "", "3"], ["", "2", ""]])
    }

    @Test(arguments: [
        ("", CSVError.empty),
        ("\u{FEFF}", .empty),
        ("\n\n", .empty),
        ("a,b\n1,2\n\n3,4\n", .blankLine(line: 3)),
        ("a,b\r\n1,2\r\n\r\n\r\n3,4\r\n", .blankLine(line: 3)),
        ("\na,b\n", .blankLine(line: 1)),
        ("a,b\n1\n", .fieldCount(line: 2, expected: 2, found: 1)),
        ("a,b\n1,2\n1,2,3\n", .fieldCount(line: 3, expected: 2, found: 3)),
        ("a,b\n1,2\n1,2,\n", .fieldCount(line: 3, expected: 2, found: 3)),
        ("a,b\n\"1,2\n", .unterminatedQuote(line: 2)),
        ("a,b\n1,\"x\n\n\n", .unterminatedQuote(line: 2)),
        ("a,b\n1,2\n3,\"4\"\"\n", .unterminatedQuote(line: 3)),
        ("a,b\n1,x\"y\"\n", .unexpectedQuote(line: 2)),
        ("a,b\n1,\"x\"y\n", .textAfterClosingQuote(line: 2)),
        ("a,b\n1,\"x\" \n", .textAfterClosingQuote(line: 2)),
        ("a,b\n1,2\r3,4\n", .bareCarriageReturn(line: 2)),
        ("a,b\n1,2\r", .bareCarriageReturn(line: 2)),
        ("a,b\n\r\n1,2\n", .blankLine(line: 2)),
        ("a,b\n\r1,2\n", .bareCarriageReturn(line: 2)),
        ("a,a\n1,2\n", .duplicateColumn("a")),
        ("a, b ,b\n1,2,3\n", .duplicateColumn("b")),
        (",\n1,2\n", .duplicateColumn("")),
    ])
    func rejectsMalformedFiles(text: String, expected: CSVError) {
        #expect(throws: expected) { try parse(text) }
    }

    @Test(arguments: [
        ([0xFF], 2),
        ([0xC3, 0x28], 2),
        ([0xED, 0xA0, 0x80], 2), // an encoded surrogate
        ([0xC0, 0xAF], 2), // an overlong "/"
    ] as [([UInt8], Int)])
    func rejectsInvalidUTF8(bad: [UInt8], line: Int) {
        var bytes = Array("name,n\n".utf8)
        bytes += bad + Array(",1\n".utf8)
        #expect(throws: CSVError.invalidUTF8(line: line)) { try CSVTable.parse(bytes) }
        // Inside a quoted field that spans lines, the line of the bad byte is named.
        var quoted = Array("name,n\nok,1\n\"first\nsecond ".utf8)
        quoted += bad + Array("\",2\n".utf8)
        #expect(throws: CSVError.invalidUTF8(line: 4)) { try CSVTable.parse(quoted) }
        var escaped = Array("name,n\n\"a\"\"\n\"\"".utf8)
        escaped += bad + Array("\",2\n".utf8)
        #expect(throws: CSVError.invalidUTF8(line: 3)) { try CSVTable.parse(escaped) }
    }

    @Test func errorDescriptionsNameTheLineButNeverTheContents() {
        let secret = "Zebedee Quartermaine"
        let files = [
            "name,n\n\(secret),1,extra\n",
            "name,n\n\"\(secret),1\n",
            "name,n\n\(secret)\"x,1\n",
            "name,n\n\"\(secret)\"x,1\n",
            "name,n\n\(secret)\r,1\n",
            "name,n\n\(secret),1\n\n\(secret),2\n",
        ]
        for file in files {
            do {
                _ = try parse(file)
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.contains("Zebedee"))
                #expect(!error.description.contains("Quartermaine"))
                #expect(error.description.lowercased().contains("line 2")
                    || error.description.lowercased().contains("line 3"))
                #expect(error.description.hasSuffix("."))
            }
        }
        #expect(CSVError.fieldCount(line: 9, expected: 4, found: 1).description
            == "The row on line 9 has 1 field but the header has 4.")
        #expect(CSVError.unterminatedQuote(line: 3).description
            == "The quoted field that starts on line 3 is never closed.")
        #expect(CSVError.duplicateColumn("upn").description == #"The header has more than one column named "upn"."#)
        #expect(CSVError.empty.description == "The CSV file is empty: it has no header row.")
    }

    @Test func randomBytesParseOrThrow() {
        var state: UInt64 = 0xC5F0_0001
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let alphabet: [UInt8] = Array("ab,\"\r\n ".utf8) + [0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF]
        var parsed = 0
        for _ in 0..<3_000 {
            let bytes = (0..<Int(next() % 24)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            if let table = try? CSVTable.parse(bytes) {
                parsed += 1
                #expect(table.rows.allSatisfy { $0.fields.count == table.header.count })
                #expect(zip(table.rows, table.rows.dropFirst()).allSatisfy { $0.line < $1.line })
            }
        }
        #expect(parsed > 50)
    }
}
