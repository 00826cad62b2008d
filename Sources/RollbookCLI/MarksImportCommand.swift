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
        let encoder = MarkRecordEncoder(author: session.author)
        var marks: [[UInt8]] = []
        marks.reserveCapacity(csv.table.rows.count)
        // Duplicates within the file are found after the loop by sorting (key, line) pairs: cheaper than a
        // dictionary of 10^6 keys.
        var keys: [(key: UInt64, line: Int)] = []
        keys.reserveCapacity(csv.table.rows.count)
        var registers: [LedgerState.RegisterKey] = []
        var registerSet: Set<LedgerState.RegisterKey> = []
        var lastRegister: LedgerState.RegisterKey?
        let columns = (upn: csv.index("upn"), date: csv.index("date"), session: csv.index("session"), code: csv.index("code"),
                       minutes: csv.index("minutes_late"), recorded: csv.index("recorded_at"), note: csv.index("note"))
        var lastPupil: PupilRecord?
        let meter = ProgressMeter("checking \(file)")
        defer { meter.finish() }
        do {
        for row in csv.table.rows {
            if row.line & 0x3FFF == 0 { meter.update(row.line, of: csv.table.rows.count + 1) }
            func place(_ c: String) -> String { CSVInput.place(row, c) }
            let upn = CSVInput.value(row, columns.upn)
            let dateText = CSVInput.value(row, columns.date)
            guard let date = InputDates.date(dateText) else { throw InputError("the date is not a real date YYYY-MM-DD \(InputDates.rangeText)", place: place("date")) }
            let sessionText = CSVInput.value(row, columns.session)
            guard let sessionValue = Session(sessionText) else { throw InputError("\"\(sessionText)\" is not a session (AM or PM)", place: place("session")) }
            let codeText = CSVInput.value(row, columns.code)
            guard let code = AttendanceCode(codeText) else { throw InputError("\"\(codeText)\" is not an attendance code", place: place("code")) }
            var minutes: Int?
            let minutesText = CSVInput.value(row, columns.minutes)
            if !minutesText.isEmpty {
                guard let m = Int(minutesText), (0...600).contains(m) else { throw InputError("minutes late must be a whole number from 0 to 600", place: place("minutes_late")) }
                minutes = m
            }
            var recordedAt: Timestamp?
            let recordedText = CSVInput.value(row, columns.recorded)
            if !recordedText.isEmpty {
                guard let t = InputDates.time(recordedText) else { throw InputError("recorded_at must be an ISO 8601 UTC time such as 2019-09-04T08:45:00Z, \(InputDates.rangeText)", place: place("recorded_at")) }
                guard t <= now else { throw InputError("recorded_at is in the future", place: place("recorded_at")) }
                recordedAt = t
            }
            let note = CSVInput.value(row, columns.note)
            let pupil: PupilRecord
            if let last = lastPupil, last.upn == upn {
                // The same pupil as the row before (a pupil's history in one run): checks other than the UPN's.
                pupil = last
                try state.checkMark(pupil: pupil, date: date, session: sessionValue, code: code, minutesLate: minutes, line: row.line)
            } else {
                let line = "line \(row.line)"
                pupil = try state.checkMark(upn: upn, date: date, session: sessionValue, code: code, minutesLate: minutes,
                                            fields: ("\(line), column \"upn\"", "\(line), column \"date\"", "\(line), column \"code\"",
                                                     "\(line), column \"minutes_late\""))
                lastPupil = pupil
            }
            if state.mark(pupil: pupil.index, date: date, session: sessionValue) != nil {
                try state.refuseDuplicate(pupil: pupil, date: date, session: sessionValue, place: "line \(row.line)")
            }
            keys.append((MarkKey(pupil: pupil.index, date: date, session: sessionValue).raw, row.line))
            if recordedAt == nil {
                let register = LedgerState.RegisterKey(group: pupil.group, date: date, session: sessionValue)
                if register != lastRegister {
                    lastRegister = register
                    if registerSet.insert(register).inserted { registers.append(register) }
                }
            }
            marks.append(encoder.record(MarkRecorded(upn: upn, date: date, session: sessionValue, code: code, minutesLate: minutes,
                                                     note: note.isEmpty ? nil : note, recordedAt: recordedAt)))
        }
        } catch {
            // A repeat before the bad row is the first problem in the file.
            try MarksImportCommand.refuseRepeats(keys, rows: csv.table.rows, state: state)
            throw error
        }
        try MarksImportCommand.refuseRepeats(keys, rows: csv.table.rows, state: state)
        let taken = registers.filter { !state.registersTaken.contains($0) }
            .map { Event.registerTaken(RegisterTaken(group: $0.group, date: $0.date, session: $0.session)) }
        let author = session.author
        let records = taken.map { $0.record(by: author) } + marks
        let result = try session.append(records: records)
        output.line("Recorded \(marks.count) mark(s) and \(taken.count) register(s) taken in one batch (seq \(result.first)–\(result.first + records.count - 1)).")
    }

    /// Refuses a file that marks one pupil's session twice, naming the later line and the first.
    static func refuseRepeats(_ keys: [(key: UInt64, line: Int)], rows: [CSVTable.Row], state: LedgerState) throws {
        var sorted = keys
        sorted.sort { $0.key != $1.key ? $0.key < $1.key : $0.line < $1.line }
        var repeated: (first: Int, again: Int, key: MarkKey)?
        for i in sorted.indices.dropFirst() where sorted[i].key == sorted[i - 1].key {
            // Report the earliest repeated line in the file, as a row-by-row check would.
            if repeated == nil || sorted[i].line < repeated!.again {
                var first = i - 1
                while first > 0 && sorted[first - 1].key == sorted[i].key { first -= 1 }
                repeated = (sorted[first].line, sorted[i].line, MarkKey(raw: sorted[i].key))
            }
        }
        if let repeated {
            let upn = state.pupils[repeated.key.pupil].upn
            throw InputError("UPN \(upn) on \(repeated.key.date) \(repeated.key.session) appears again (first on line \(repeated.first))",
                             place: "line \(repeated.again)")
        }
    }
}
