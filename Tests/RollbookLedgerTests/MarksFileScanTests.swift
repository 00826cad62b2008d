import Foundation
import RollbookDomain
@testable import RollbookLedger
import RollbookLog
import RollbookProjections
import RollbookTestSupport
import Testing

/// The byte-level `marks import` (``MarksFileScan`` and ``LedgerSession/importMarks(bytes:path:)``) against
/// the reference path (``LedgerSession/importMarks(csv:)``): on seeded files the rules accept, the same
/// bytes written and the same state; on a corpus of bad files, the same refusal and nothing written.
@Suite struct MarksFileScanTests {
    typealias Fixture = MarksImportFixture

    /// What one path did to a copy of the ledger.
    struct Outcome {
        var result: Result<LedgerSession.MarksImported, LedgerError>
        var warnings: [String]
        var state: LedgerState
    }

    /// Imports `bytes` into a copy of the fixture's ledger by one path, returning what happened.
    static func run(_ school: Fixture, into directory: String, bytes: [UInt8], reference: Bool, author: Author?? = .none,
                    snapshotInterval: Int = 50_000) throws -> Outcome {
        let session = try LedgerSession(school.context(directory, author: author, snapshotInterval: snapshotInterval))
        let result: Result<LedgerSession.MarksImported, LedgerError>
        do {
            result = .success(try reference ? session.importMarks(csv: Fixture.input(bytes)) : session.importMarks(bytes: bytes, path: "marks.csv"))
        } catch let error as LedgerError {
            result = .failure(error)
        }
        return Outcome(result: result, warnings: session.takeWarnings(), state: session.state)
    }

    @Test(arguments: 1...12) func acceptedFilesWriteTheSameBytesAndState(seed: UInt64) throws {
        let school = try Fixture()
        let before = try LedgerSession(school.context(school.ledger)).state
        var generator = MarksFileGenerator(seed: seed, state: before, clock: Fixture.clock)
        let file = generator.file(rows: 40 + Int(seed % 4) * 150)
        #expect(file.rows > 30)

        // The byte-level path reads every file the generator makes itself, except those it leaves to the reference.
        #expect((MarksFileScan.scan(file.bytes, state: before, clock: Fixture.clock) { _, _ in } != nil) == file.fast)

        // A small snapshot interval: the cache each path writes after the import is compared too.
        let interval = seed % 2 == 0 ? 1 : 50_000
        let reference = try Self.run(school, into: school.copy("reference"), bytes: file.bytes, reference: true, snapshotInterval: interval)
        let fast = try Self.run(school, into: school.copy("fast"), bytes: file.bytes, reference: false, snapshotInterval: interval)
        let imported = try reference.result.get()
        #expect(imported.marks == file.rows)
        #expect(try fast.result.get() == imported)
        #expect(fast.warnings == reference.warnings)
        #expect(fast.state.differences(from: reference.state) == [])
        #expect(fast.state.markCount == before.markCount + file.rows)
        let written = try Fixture.files(school.directory.sub("fast"))
        #expect(written == (try Fixture.files(school.directory.sub("reference"))))
        #expect(written.keys.contains("snapshot") == (interval == 1))

        // What the byte-level path folded into its state is what a full read of its log gives (no cache read).
        let read = try LedgerSession(school.context(school.directory.sub("fast"))) { _, _ in }.state
        #expect(read.differences(from: fast.state) == [])
    }

    @Test func migratedLegacyCodesWarnAlike() throws {
        let school = try Fixture()
        let upn = Fixture.upn
        let rows = ["\(upn(4)),2024-09-04,AM,H,,2024-09-04T15:00:00Z,", "\(upn(5)),2024-09-04,AM,J,,2024-09-04T15:00:00Z,",
                    "\(upn(6)),2024-09-04,AM,/,,,", "\(upn(7)),2024-09-05,PM,Y,,2024-09-06T10:00:00.000Z,", "\(upn(8)),2024-09-05,PM,L,3,,late bus"]
        let bytes = Array(("upn,date,session,code,minutes_late,recorded_at,note\n" + rows.joined(separator: "\n") + "\n").utf8)
        let state = try LedgerSession(school.context(school.ledger)).state
        let scan = try #require(MarksFileScan.scan(bytes, state: state, clock: Fixture.clock) { _, _ in })
        #expect(scan.legacy.lines == [2, 3, 5])
        #expect(scan.rows.count == 5 && scan.notes == ["late bus"] && scan.registers.count == 2)
        let reference = try Self.run(school, into: school.copy("reference"), bytes: bytes, reference: true)
        let fast = try Self.run(school, into: school.copy("fast"), bytes: bytes, reference: false)
        #expect(reference.warnings.count == 1 && fast.warnings == reference.warnings)
        #expect(try fast.result.get() == reference.result.get())
        #expect(try Fixture.files(school.directory.sub("fast")) == Fixture.files(school.directory.sub("reference")))
    }

    /// Bad files: every rule of Rules/ and the import's own checks, the CSV reader's and the header's.
    static func corpus() -> [(name: String, text: String)] {
        let upn = Fixture.upn
        let header = "upn,date,session,code,minutes_late,recorded_at,note"
        let good = ["\(upn(1)),2024-09-04,AM,/,,,", "\(upn(2)),2024-09-04,PM,\\,,,", "\(upn(3)),2024-09-04,AM,L,5,,"]
        func file(_ bad: String, at line: Int = 3) -> String {
            var rows = good
            rows.insert(bad, at: line - 2)
            return ([header] + rows).joined(separator: "\n") + "\n"
        }
        func row(_ n: Int = 4, _ date: String = "2024-09-04", _ session: String = "AM", _ code: String = "/", _ minutes: String = "",
                 _ recorded: String = "", _ note: String = "") -> String {
            "\(upn(n)),\(date),\(session),\(code),\(minutes),\(recorded),\(note)"
        }
        let introduced = AttendanceCode.all.first { $0.validate(on: SchoolDate("2024-06-05")!, session: .am) != nil && !$0.isRetired(on: SchoolDate("2024-06-05")!) }!
        var cases: [(String, String)] = [
            ("upn shape", file("X12,2024-09-04,AM,/,,,")),
            ("upn lower case", file(row().lowercased())),
            ("upn too long", file(upn(4) + "1,2024-09-04,AM,/,,,")),
            ("unknown pupil", file("\(TestUPN.forDigits("999999999999")),2024-09-04,AM,/,,,")),
            ("impossible date", file(row(4, "2024-02-30"))),
            ("date with slashes", file(row(4, "2024/09/04"))),
            ("date before 1990", file(row(4, "1989-09-04"))),
            ("date after 2100", file(row(4, "2101-01-03"))),
            ("empty date", file(row(4, ""))),
            ("Saturday", file(row(4, "2024-09-07"))),
            ("Sunday", file(row(4, "2024-09-08"))),
            ("out of term", file(row(4, "2024-08-05"))),
            ("before admission", file(row(21, "2024-09-04"))),
            ("after deletion", file(row(22, "2024-10-02"))),
            ("between spells", file(row(23, "2024-09-30"))),
            ("unknown code", file(row(4, "2024-09-04", "AM", "ZZ"))),
            ("code lower case", file(row(4, "2024-09-04", "AM", "l", "5"))),
            ("present code in the afternoon", file(row(4, "2024-09-04", "PM", "/"))),
            ("afternoon code in the morning", file(row(4, "2024-09-04", "AM", "\\"))),
            ("retired code entered now", file(row(4, "2024-09-04", "AM", "H"))),
            ("2024 code before it began", file(row(4, "2024-06-05", "AM", introduced.text))),
            ("session lower case", file(row(4, "2024-09-04", "am"))),
            ("session missing", file(row(4, "2024-09-04", ""))),
            ("late without minutes", file(row(4, "2024-09-04", "AM", "L"))),
            ("minutes with present", file(row(4, "2024-09-04", "AM", "/", "5"))),
            ("minutes over 600", file(row(4, "2024-09-04", "AM", "U", "601"))),
            ("minutes negative", file(row(4, "2024-09-04", "AM", "L", "-1"))),
            ("minutes not a number", file(row(4, "2024-09-04", "AM", "L", "abc"))),
            ("minutes fractional", file(row(4, "2024-09-04", "AM", "L", "2.5"))),
            ("late after the register closed", file(row(4, "2024-09-04", "AM", "L", "25"))),
            ("late zero minutes", file(row(4, "2024-09-04", "AM", "L", "0"))),
            ("unauthorised late within the register", file(row(4, "2024-09-04", "PM", "U", "5"))),
            ("register not yet open", file(row(4, "2024-12-11", "PM", "/"))),
            ("register of a later day", file(row(4, "2024-12-12", "AM", "N"))),
            ("INSET day", file(row(4, "2024-10-14", "AM", "/"))),
            ("snow closure overrides", file(row(4, "2024-11-20", "PM", "\\"))),
            ("recorded before the session", file(row(4, "2024-09-04", "AM", "/", "", "2024-09-03T15:00:00Z"))),
            ("recorded in the future", file(row(4, "2024-09-04", "AM", "/", "", "2025-01-01T00:00:00Z"))),
            ("recorded_at not a time", file(row(4, "2024-09-04", "AM", "/", "", "yesterday"))),
            ("recorded_at after 2100", file(row(4, "2024-09-04", "AM", "/", "", "2101-01-01T00:00:00Z"))),
            ("recorded before the register opened", file(row(4, "2024-09-04", "AM", "/", "", "2024-09-04T07:00:00Z"))),
            ("already marked", file(row(1, "2024-09-03", "AM", "/"))),
            ("disposed of", file(row(1, "2017-09-06", "AM", "/"))),
            ("note with a tab", file(row(4, "2024-09-04", "AM", "/", "", "", "\"a\tb\""))),
            ("note with a line break", file(row(4, "2024-09-04", "AM", "/", "", "", "\"a\nb\""))),
            ("note with DEL", file(row(4, "2024-09-04", "AM", "/", "", "", "a\u{7F}b"))),
            ("note with a C1 control", file(row(4, "2024-09-04", "AM", "/", "", "", "a\u{85}b"))),
            ("note with U+FFFE", file(row(4, "2024-09-04", "AM", "/", "", "", "a\u{FFFE}b"))),
            ("note with escape", file(row(4, "2024-09-04", "AM", "/", "", "", "a\u{1B}[2Jb"))),
            ("repeat", file(good[0], at: 5)),
            ("repeat before a bad row", file(good[0], at: 5) + row(4, "2024-09-07") + "\n"),
            ("bad row before a repeat", file(row(4, "2024-09-07")) + good[1] + "\n"),
            ("unterminated quote", file("\"\(upn(4)),2024-09-04,AM,/,,,")),
            ("quote inside a field", file("\(upn(4)),2024\"-09-04,AM,/,,,")),
            ("text after a closing quote", file("\(upn(4)),2024-09-04,\"AM\"x,/,,,")),
            ("bare carriage return", file("\(upn(4)),2024-09-04,AM\r,/,,,")),
            ("blank line", file("")),
            ("too few fields", file("\(upn(4)),2024-09-04,AM,/")),
            ("too many fields", file(row() + ",extra")),
            ("no header", ""),
            ("header only", header + "\n"),
            ("header and blank lines", header + "\n\n\n"),
            ("unknown column", "upn,date,session,code,colour\n\(upn(4)),2024-09-04,AM,/,red\n"),
            ("missing column", "upn,date,code\n\(upn(4)),2024-09-04,/\n"),
            ("duplicate column", "upn,date,session,code,date\n\(upn(4)),2024-09-04,AM,/,2024-09-04\n"),
            ("empty column name", "upn,date,session,code,\n\(upn(4)),2024-09-04,AM,/,\n"),
            ("column with a non-ASCII name", "upn,date,session,code,nöte\n\(upn(4)),2024-09-04,AM,/,x\n"),
        ]
        // A repeat spread over many rows: the first repeated line is named.
        cases.append(("late repeat", ([header] + (1...20).map { row($0, "2024-09-05", "AM", "B") } + [row(7, "2024-09-05", "AM", "B")])
            .joined(separator: "\r\n")))
        return cases
    }

    @Test func badFilesAreRefusedAlikeAndWriteNothing() throws {
        let school = try Fixture()
        let state = try LedgerSession(school.context(school.ledger)).state
        let original = try Fixture.files(school.ledger)
        var cases = Self.corpus().map { ($0.name, Array($0.text.utf8)) }
        cases.append(("invalid UTF-8 in a note", Array("upn,date,session,code,note\n\(Fixture.upn(4)),2024-09-04,AM,/,a".utf8) + [0xFF, 0x0A]))
        cases.append(("invalid UTF-8 in a UPN", Array("upn,date,session,code\n".utf8) + [0xC3] + Array("938000000004,2024-09-04,AM,/\n".utf8)))
        cases.append(("overlong UTF-8 in a note", Array("upn,date,session,code,note\n\(Fixture.upn(4)),2024-09-04,AM,/,a".utf8) + [0xC0, 0xAF, 0x0A]))
        for (index, (name, bytes)) in cases.enumerated() {
            #expect(MarksFileScan.scan(bytes, state: state, clock: Fixture.clock) { _, _ in } == nil, "\(name)")
            let reference = try Self.run(school, into: school.copy("reference-\(index)"), bytes: bytes, reference: true)
            let fast = try Self.run(school, into: school.copy("fast-\(index)"), bytes: bytes, reference: false)
            guard case .failure(let expected) = reference.result else {
                Issue.record("the reference path accepted \(name)")
                continue
            }
            #expect(fast.result.failure == expected, "\(name)")
            #expect(try Fixture.files(school.directory.sub("fast-\(index)")) == original, "\(name)")
            #expect(try Fixture.files(school.directory.sub("reference-\(index)")) == original, "\(name)")
        }
    }

    @Test func aWriteWithoutAnAuthorAndAnUnreadableFileAreRefusedAlike() throws {
        let school = try Fixture()
        let bytes = Array("upn,date,session,code\n\(Fixture.upn(4)),2024-09-04,AM,/\n".utf8)
        let reference = try Self.run(school, into: school.copy("reference"), bytes: bytes, reference: true, author: .some(nil))
        let fast = try Self.run(school, into: school.copy("fast"), bytes: bytes, reference: false, author: .some(nil))
        #expect(reference.result.failure != nil && fast.result.failure == reference.result.failure)
        #expect(try Fixture.files(school.directory.sub("fast")) == Fixture.files(school.ledger))

        let missing = school.directory.sub("no-such-file.csv")
        let session = try LedgerSession(school.context(school.ledger))
        let columns = LedgerSession.markColumns
        let expected = #expect(throws: LedgerError.self) {
            _ = try CSVInput(path: missing, required: columns.required.map(\.rawValue), optional: columns.optional.map(\.rawValue))
        }
        let found = #expect(throws: LedgerError.self) { try session.importMarks(file: missing) }
        #expect(found == expected)
    }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
