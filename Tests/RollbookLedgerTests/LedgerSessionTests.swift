import Foundation
import RollbookDomain
import RollbookLedger
import RollbookLog
import RollbookProjections
import RollbookTestSupport
import Testing

/// The write path in-process, through the ledger layer (no executable launched): open, validate,
/// append, and the refusals that leave the log unchanged.
@Suite struct LedgerSessionTests {
    /// A school with one term and two pupils, in a directory of its own, with a clock the test moves.
    final class School {
        let directory: TemporaryDirectory
        var now = Timestamp(parsing: "2025-09-01T08:00:00.000Z")!
        let author = Author(name: "Sam Patel", position: "Attendance Officer")
        let pupils = ["A123456789012", "M000000000017"]

        init() throws {
            directory = try TemporaryDirectory("rollbook-session")
            let opened = LedgerOpened(urn: "123456", name: "Hollins Lane Primary", la: "938", estab: "2001", policy: "dfe",
                                      amRegister: .defaultAM, pmRegister: .defaultPM)
            _ = try LedgerSession.create(context(), school: opened)
            _ = try session().addTerm(TermAdded(name: "Autumn 1", from: date("2025-09-03"), to: date("2025-10-24")))
            let csv = "upn,forename,surname,dob,year_group,group,admitted\n"
                + pupils.map { "\($0),Ann,Smith,2017-02-01,3,3A,2025-09-03" }.joined(separator: "\n") + "\n"
            try session().admit(csv: CSVInput(bytes: Array(csv.utf8), path: "pupils.csv", required: LedgerSession.pupilColumns.required,
                                              optional: LedgerSession.pupilColumns.optional))
        }

        var ledger: String { directory.sub("ledger") }

        func context() -> LedgerContext {
            let now = self.now
            return LedgerContext(directory: ledger, author: author, clock: { now })
        }

        func session() throws -> LedgerSession { try LedgerSession(context()) }

        func bytes() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for name in try FileManager.default.subpathsOfDirectory(atPath: ledger) {
                out[name] = FileManager.default.contents(atPath: ledger + "/" + name)
            }
            return out
        }

        func marksFile(_ rows: [String]) throws -> CSVInput {
            let text = "upn,date,session,code,minutes_late\n" + rows.joined(separator: "\n") + "\n"
            return try CSVInput(bytes: Array(text.utf8), path: "marks.csv", required: ["upn", "date", "session", "code"],
                                optional: ["minutes_late", "recorded_at", "note"])
        }
    }

    static func date(_ text: String) -> SchoolDate { SchoolDate(text)! }
    func date(_ text: String) -> SchoolDate { SchoolDate(text)! }

    @Test func recordAmendAndImportThroughTheSession() throws {
        let school = try School()
        school.now = Timestamp(parsing: "2025-09-03T08:45:00.000Z")!  // 09:45 BST: the AM register has opened
        let upn = school.pupils[0]
        let recorded = try school.session().record(MarkRecorded(upn: upn, date: date("2025-09-03"), session: .am, code: AttendanceCode("N")!))

        school.now = Timestamp(parsing: "2025-09-04T10:00:00.000Z")!
        let (amendment, amended) = try school.session().amend(.init(upn: upn, date: date("2025-09-03"), session: .am,
                                                                     code: AttendanceCode("M")!, minutesLate: nil, reason: "letter received"))
        #expect(amendment.original.text == "N" && amendment.amended.text == "M" && amendment.amendedOn == date("2025-09-04"))
        #expect(amended.first == recorded.first + 1)

        let batch = try school.marksFile([
            "\(upn),2025-09-04,AM,L,12", "\(school.pupils[1]),2025-09-04,AM,/,", "\(upn),2025-09-03,PM,\\,",
        ])
        let imported = try school.session().importMarks(csv: batch)
        #expect(imported.marks == 3 && imported.registers == 2)

        // A fresh session reads back exactly what was written.
        let state = try school.session().state
        let pupil = try #require(state.pupil(upn))
        #expect(state.mark(pupil: pupil.index, date: date("2025-09-03"), session: .am)?.code.text == "M")
        #expect(state.mark(pupil: pupil.index, date: date("2025-09-04"), session: .am)?.minutesLate == 12)
        #expect(state.mark(pupil: pupil.index, date: date("2025-09-03"), session: .pm)?.code.text == "\\")
        #expect(LogReader(directory: school.ledger).exists)
        let scan = try LogReader(directory: school.ledger).scan { _ in }
        #expect(scan.fault == nil && scan.linesRead == imported.appended.last)
    }

    @Test func refusedWritesNameThePlaceAndLeaveTheLogUnchanged() throws {
        let school = try School()
        school.now = Timestamp(parsing: "2025-09-04T12:00:00.000Z")!
        let upn = school.pupils[0]
        _ = try school.session().record(MarkRecorded(upn: upn, date: date("2025-09-03"), session: .am, code: AttendanceCode("/")!))
        let before = try school.bytes()

        func refusal(_ body: () throws -> Void) -> LedgerError? {
            do { try body() } catch let error as LedgerError { return error } catch { return nil }
            return nil
        }
        // A duplicate mark must be amended instead.
        let duplicate = refusal { _ = try school.session().record(MarkRecorded(upn: upn, date: date("2025-09-03"), session: .am, code: AttendanceCode("N")!)) }
        #expect(duplicate?.place == .option("--date/--session"))
        // L needs minutes within the register's window (08:40-09:00 is 20 minutes).
        let late = refusal { _ = try school.session().record(MarkRecorded(upn: upn, date: date("2025-09-04"), session: .am, code: AttendanceCode("L")!, minutesLate: 25)) }
        #expect(late?.place == .option("--minutes-late"))
        // A present code before the register opens (tomorrow) is refused; a planned code is not checked that way.
        let early = refusal { _ = try school.session().record(MarkRecorded(upn: upn, date: date("2025-09-05"), session: .am, code: AttendanceCode("/")!)) }
        #expect(early?.place == .option("--code"))
        // A blank reason.
        let blank = refusal { _ = try school.session().amend(.init(upn: upn, date: date("2025-09-03"), session: .am, code: AttendanceCode("L")!, minutesLate: 5, reason: " \n\t")) }
        #expect(blank?.place == .option("--reason"))
        // An import with one bad row (line 3: recorded_at before the session) records nothing.
        let text = "upn,date,session,code,recorded_at\n\(upn),2025-09-04,AM,/,\n\(upn),2025-09-04,PM,\\,2025-09-01T09:00:00Z\n"
        let csv = try CSVInput(bytes: Array(text.utf8), path: "m.csv", required: ["upn", "date", "session", "code"], optional: ["recorded_at"])
        let bad = refusal { _ = try school.session().importMarks(csv: csv) }
        #expect(bad?.place == .csv(line: 3, column: "recorded_at"))
        #expect(bad?.description.hasSuffix("Nothing was written.") == true)
        // Statutory identity: a name or position that is only a newline, or holds an escape, is refused.
        for (name, position, place) in [("\n", "Officer", "--author"), ("Sam", " \r\n", "--position"), ("Sam\u{1B}[2J", "Officer", "--author")] {
            var context = school.context()
            context.author = Author(name: name, position: position)
            let refused = refusal { _ = try LedgerSession(context).record(MarkRecorded(upn: upn, date: date("2025-09-04"), session: .am, code: AttendanceCode("/")!)) }
            #expect(refused?.place == .option(place), "\(name.debugDescription) \(position.debugDescription)")
        }
        #expect(try school.bytes() == before)
    }

    @Test func pupilsNeedARealUPNAndYearGroup() throws {
        let school = try School()
        func admit(_ row: String) -> InputPlace? {
            let text = "upn,forename,surname,dob,year_group,group,admitted\n\(row)\n"
            do {
                _ = try school.session().admit(csv: CSVInput(bytes: Array(text.utf8), path: "p.csv", required: LedgerSession.pupilColumns.required,
                                                             optional: LedgerSession.pupilColumns.optional))
            } catch let error as LedgerError { return error.place } catch { return nil }
            return nil
        }
        #expect(admit("A123456789012,Ann,Smith,2017-02-01,3,3A,2025-09-03") == .csv(line: 2, column: "upn"))  // wrong check letter
        #expect(admit("C12345678901X,Ann,Smith,2017-02-01,15,3A,2025-09-03") == .csv(line: 2, column: "year_group"))
        #expect(admit("C12345678901X,Ann,Smith,2017-02-01,R,3A,2025-09-03") == nil)  // a temporary UPN, in reception
    }

    @Test func aDamagedSnapshotPageIsNeverWrittenOnAndTheWriteIsCheckedAgainstTheLog() throws {
        let school = try School()
        school.now = Timestamp(parsing: "2025-09-03T08:45:00.000Z")!
        let now = school.now
        let context = LedgerContext(directory: school.ledger, author: school.author, clock: { now }, snapshotInterval: 1)
        let upn = school.pupils[0]
        try LedgerSession(context).record(MarkRecorded(upn: upn, date: date("2025-09-03"), session: .am, code: AttendanceCode("N")!))
        // The mark's page is damaged after the snapshot was written.
        let path = LedgerPaths(directory: school.ledger).snapshot
        let snapshot = try LedgerSnapshot(file: MappedFile(path: path, limit: 1 << 30))
        #expect(snapshot.position.seq == snapshot.state.eventCount && snapshot.state.markCount == 1)
        let pupil = try #require(snapshot.state.pupil(upn))
        let page = try #require(snapshot.state.markStore.pageOfRow(pupil.index))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[snapshot.state.markStore.pagesStart! + page * 4096 + 14] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        // The same mark again: the damaged page reads as empty, but the session never writes on it: it
        // reads the whole log, finds the mark, and refuses.
        let before = try school.bytes()
        do {
            let session = try LedgerSession(context)
            #expect(throws: LedgerError.self) {
                try session.record(MarkRecorded(upn: upn, date: self.date("2025-09-03"), session: .am, code: AttendanceCode("N")!))
            }
            #expect(session.takeWarnings().contains { $0.contains("page \(page)") })
        }
        #expect(try school.bytes() == before)

        // Another session of that pupil is written, checked against the log, and a new snapshot replaces the damaged one.
        let afternoon = Timestamp(parsing: "2025-09-03T13:00:00.000Z")!  // 14:00 BST: the PM register has opened
        let again = try LedgerSession(LedgerContext(directory: school.ledger, author: school.author, clock: { afternoon }, snapshotInterval: 1))
        try again.record(MarkRecorded(upn: upn, date: date("2025-09-03"), session: .pm, code: AttendanceCode("\\")!))
        #expect(again.takeWarnings().count == 1)
        let fresh = try LedgerSnapshot(file: MappedFile(path: path, limit: 1 << 30))
        let replayed = try LedgerReplay.load(directory: school.ledger).state
        #expect(fresh.checkAllPages() && fresh.state == replayed)
    }
}
