import RollbookCommandLine
import RollbookDomain
import RollbookLog
import RollbookProjections

/// `rollbook marks import`: records many marks in one durable batch, all or nothing.
struct MarksImportCommand: Command {
    static let name = "marks import"
    static let summary = "Record many marks from a CSV file in one durable batch (all or nothing)."
    static let usage = """
        Usage: rollbook marks import FILE.csv [--ledger DIR] --author NAME --position POSITION

          Columns: upn,date,session,code and optionally minutes_late, recorded_at, note.
          recorded_at is when the entry was originally made in the system the history is migrated
          from (ISO 8601 UTC); retention counts six years from it. A file with any bad row records nothing.
          Each group's register for each session in the file is recorded as taken.
        """

    var environment: CommandEnvironment
    var file: String

    init(_ arguments: inout Arguments) throws {
        environment = try CommandEnvironment.parse(&arguments, writes: true)
        guard let file = arguments.positional() else { throw UsageError("give the CSV file to import") }
        self.file = file
    }

    func run(_ output: inout Output) throws {
        let session = try WriteSession(environment, output: &output)
        let csv = try CSVInput(path: file, required: ["upn", "date", "session", "code"], optional: ["minutes_late", "recorded_at", "note"])
        let state = session.state
        let now = session.now
        var marks: [Event] = []
        marks.reserveCapacity(csv.table.rows.count)
        var seen: [MarkKey: Int] = [:]
        var registers: [LedgerState.RegisterKey] = []
        var registerSet: Set<LedgerState.RegisterKey> = []
        for row in csv.table.rows {
            func place(_ c: String) -> String { CSVInput.place(row, c) }
            let upn = csv.value(row, "upn")
            let dateText = csv.value(row, "date")
            guard let date = SchoolDate(dateText) else { throw InputError("\"\(dateText)\" is not a real date YYYY-MM-DD", place: place("date")) }
            let sessionText = csv.value(row, "session")
            guard let sessionValue = Session(sessionText) else { throw InputError("\"\(sessionText)\" is not a session (AM or PM)", place: place("session")) }
            let codeText = csv.value(row, "code")
            guard let code = AttendanceCode(codeText) else { throw InputError("\"\(codeText)\" is not an attendance code", place: place("code")) }
            var minutes: Int?
            let minutesText = csv.value(row, "minutes_late")
            if !minutesText.isEmpty {
                guard let m = Int(minutesText), (0...600).contains(m) else { throw InputError("minutes late must be a whole number from 0 to 600", place: place("minutes_late")) }
                minutes = m
            }
            var recordedAt: Timestamp?
            let recordedText = csv.value(row, "recorded_at")
            if !recordedText.isEmpty {
                guard let t = Timestamp(parsing: recordedText) else { throw InputError("recorded_at must be an ISO 8601 UTC time such as 2019-09-04T08:45:00Z", place: place("recorded_at")) }
                guard t <= now else { throw InputError("recorded_at is in the future", place: place("recorded_at")) }
                recordedAt = t
            }
            let note = csv.value(row, "note")
            let line = "line \(row.line)"
            let pupil = try state.checkMark(upn: upn, date: date, session: sessionValue, code: code, minutesLate: minutes,
                                            fields: ("\(line), column \"upn\"", "\(line), column \"date\"", "\(line), column \"code\"",
                                                     "\(line), column \"minutes_late\""))
            try state.refuseDuplicate(pupil: pupil, date: date, session: sessionValue, place: line)
            let key = MarkKey(pupil: pupil.index, date: date, session: sessionValue)
            if let earlier = seen[key] {
                throw InputError("UPN \(upn) on \(date) \(sessionValue) appears again (first on line \(earlier))", place: "line \(row.line)")
            }
            seen[key] = row.line
            let register = LedgerState.RegisterKey(group: pupil.group, date: date, session: sessionValue)
            if recordedAt == nil, registerSet.insert(register).inserted { registers.append(register) }
            marks.append(.markRecorded(MarkRecorded(upn: upn, date: date, session: sessionValue, code: code, minutesLate: minutes,
                                                    note: note.isEmpty ? nil : note, recordedAt: recordedAt)))
        }
        let taken = registers.filter { !state.registersTaken.contains($0) }
            .map { Event.registerTaken(RegisterTaken(group: $0.group, date: $0.date, session: $0.session)) }
        let events = taken + marks
        let result = try session.append(events)
        output.line("Recorded \(marks.count) mark(s) and \(taken.count) register(s) taken in one batch (seq \(result.first)–\(result.first + events.count - 1)).")
    }
}
