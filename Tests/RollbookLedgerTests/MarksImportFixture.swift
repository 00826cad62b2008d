import Foundation
import RollbookDomain
@testable import RollbookLedger
import RollbookLog
import RollbookLogWriter
import RollbookProjections
import RollbookTestSupport

/// A school for comparing the two `marks import` paths, built in a directory of its own: four terms
/// (autumn 2017, whose migrated marks were disposed of under retention; summer 2024, before the 2024 codes;
/// autumn 1 and 2 of 2024-25), an INSET day and a snow closure, 24 pupils in three groups (one admitted
/// late, one deleted from roll, one deleted and admitted again) and a few marks already recorded. The
/// clock stands at 2024-12-11 12:00 UTC: the PM register of that day and every later one have not opened.
final class MarksImportFixture {
    let directory: TemporaryDirectory
    let author = Author(name: "Sam Patel", position: "Attendance Officer")
    static let clock = Timestamp(parsing: "2024-12-11T12:00:00.000Z")!
    static let columns = LedgerSession.markColumns

    /// Pupil `n`'s UPN (1 … 24).
    static func upn(_ n: Int) -> String { TestUPN.forDigits(String(938_000_000_000 + n)) }

    var ledger: String { directory.sub("ledger") }

    init() throws {
        directory = try TemporaryDirectory("rollbook-import")
        let opened = LedgerOpened(urn: "123456", name: "Hollins Lane Academy", la: "938", estab: "4001", policy: "dfe",
                                  amRegister: .defaultAM, pmRegister: .defaultPM)
        _ = try LedgerSession.create(context(ledger), school: opened)
        try build(try LedgerSession(context(ledger)))
        let (disposer, index) = try LedgerSession.openForDisposal(context(ledger))
        _ = try disposer.dispose(disposer.planDisposal(before: SchoolDate("2018-01-01")!, index: index))
    }

    private func build(_ session: LedgerSession) throws {
        for (name, from, to) in [("Autumn 2017", "2017-09-04", "2017-10-20"), ("Summer 2 2024", "2024-06-03", "2024-07-19"),
                                 ("Autumn 1 2024", "2024-09-02", "2024-10-25"), ("Autumn 2 2024", "2024-11-04", "2024-12-20")] {
            _ = try session.addTerm(TermAdded(name: name, from: SchoolDate(from)!, to: SchoolDate(to)!))
        }
        _ = try session.recordClosure(ClosureRecorded(from: SchoolDate("2024-10-14")!, to: SchoolDate("2024-10-14")!, session: nil,
                                                      code: AttendanceCode("#")!, reason: "INSET day"))
        _ = try session.recordClosure(ClosureRecorded(from: SchoolDate("2024-11-20")!, to: SchoolDate("2024-11-20")!, session: .pm,
                                                      code: AttendanceCode("Y1")!, reason: "snow"))
        let groups = ["7A", "7B", "Year 8 Blue"]
        var pupils = "upn,forename,surname,dob,year_group,group,admitted\n"
        for n in 1...24 {
            let admitted = n == 21 ? "2024-09-16" : "2017-09-01"
            pupils += "\(MarksImportFixture.upn(n)),Ann,Smith,2010-03-0\(1 + n % 9),7,\(groups[n % 3]),\(admitted)\n"
        }
        try session.admit(csv: CSVInput(bytes: Array(pupils.utf8), path: "pupils.csv", required: LedgerSession.pupilColumns.required,
                                         optional: LedgerSession.pupilColumns.optional))
        _ = try session.leave(upn: MarksImportFixture.upn(22), on: SchoolDate("2024-10-01")!, ground: "moved away")
        _ = try session.leave(upn: MarksImportFixture.upn(23), on: SchoolDate("2024-09-20")!, ground: "moved away")
        let back = "upn,forename,surname,dob,year_group,group,admitted\n\(MarksImportFixture.upn(23)),Ann,Smith,2010-03-05,7,7B,2024-10-07\n"
        try session.admit(csv: CSVInput(bytes: Array(back.utf8), path: "pupils.csv", required: LedgerSession.pupilColumns.required,
                                        optional: LedgerSession.pupilColumns.optional))
        // Migrated 2017 marks, then disposed of after six years.
        _ = try session.importMarks(csv: MarksImportFixture.csv((1...3).map { "\(MarksImportFixture.upn($0)),2017-09-05,AM,/,,2017-09-05T09:30:00Z," }))
        _ = try session.importMarks(csv: MarksImportFixture.csv((1...6).map { "\(MarksImportFixture.upn($0)),2024-09-03,AM,/,,," }))
    }

    /// A context for the ledger in `directory`.
    func context(_ directory: String, author: Author?? = .none, segmentLimit: Int = LogWriter.segmentLimit,
                 faults: StorageFaults = .none, snapshotInterval: Int = 50_000) -> LedgerContext {
        LedgerContext(directory: directory, author: author ?? self.author, clock: { MarksImportFixture.clock }, faults: faults,
                      snapshotInterval: snapshotInterval, segmentLimit: segmentLimit)
    }

    /// A copy of the ledger, named `name` inside this fixture's directory.
    func copy(_ name: String) throws -> String {
        try FileManager.default.copyItem(atPath: ledger, toPath: directory.sub(name))
        return directory.sub(name)
    }

    /// A marks file with every column, from its rows.
    static func csv(_ rows: [String]) throws -> CSVInput {
        try input(Array(("upn,date,session,code,minutes_late,recorded_at,note\n" + rows.joined(separator: "\n") + "\n").utf8))
    }

    /// A marks file read by the reference path's CSV reader.
    static func input(_ bytes: [UInt8]) throws -> CSVInput {
        try CSVInput(bytes: bytes, path: "marks.csv", required: columns.required.map(\.rawValue), optional: columns.optional.map(\.rawValue))
    }

    /// Every file under a directory (the lock file included) and its bytes, by relative path.
    static func files(_ directory: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = FileManager.default.contents(atPath: directory + "/" + name)
            }
        }
        return out
    }

    /// The ledger's segment files, in order, and their bytes.
    static func segments(_ directory: String) throws -> [(name: String, bytes: Data)] {
        try FileManager.default.contentsOfDirectory(atPath: directory + "/segments").filter { $0.hasSuffix(".jsonl") }.sorted()
            .map { ($0, FileManager.default.contents(atPath: directory + "/segments/" + $0) ?? Data()) }
    }
}
