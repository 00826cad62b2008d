import RollbookDomain
import RollbookLog
import RollbookProjections

extension LedgerSession {
    /// The columns of a marks file: required first, then optional.
    public static let markColumns = (required: [MarkField.upn, .date, .session, .code], optional: [MarkField.minutesLate, .recordedAt, .note])

    /// What a marks import wrote.
    public struct MarksImported: Sendable, Hashable {
        /// How many marks were recorded.
        public var marks: Int
        /// How many registers were recorded as taken.
        public var registers: Int
        /// The append.
        public var appended: Appended
    }

    /// Records the marks of a CSV file in one durable batch, all or nothing: every row is checked
    /// against the rules and the register first, and the first bad row (or repeat) is reported with its
    /// line and column.
    ///
    /// Each group's register for each session of rows without `recorded_at` is recorded as taken. Rows
    /// with `recorded_at` may hold a legacy code after its retirement (what the other system recorded):
    /// they are accepted, and one warning names their lines (``MigratedLegacyCodes``).
    public func importMarks(file path: String) throws -> MarksImported {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readInput(path) } catch { throw LedgerError.unreadableFile(path: path, reason: "\(error)") }
        return try importMarks(bytes: bytes, path: path)
    }

    /// ``importMarks(file:)`` for a file's bytes (`path` names it in messages).
    ///
    /// The file is read from its bytes and checked against the state in one pass (``MarksFileScan``), each
    /// record is encoded straight into the writer's batch, and the marks are folded into ``state`` without
    /// event values. A file that pass does not accept (any bad row, or anything it does not read itself)
    /// goes through the reference path, ``importMarks(csv:)``, which gives the refusal: same rules, same
    /// message and place, same bytes written.
    public func importMarks(bytes: [UInt8], path: String) throws -> MarksImported {
        // The rows are checked against every pupil's marks: a damaged page of the snapshot must not hide one.
        try checkWholeIndex()
        let clock = context.clock()
        let meter = context.progress("checking \(path)")
        let found = MarksFileScan.scan(bytes, state: state, clock: clock, progress: meter.update)
        meter.finish()
        guard let scan = found, let author = try? self.author else {
            let columns = LedgerSession.markColumns
            let csv = try CSVInput(bytes: bytes, path: path, required: columns.required.map(\.rawValue),
                                   optional: columns.optional.map(\.rawValue))
            return try importMarks(csv: csv)
        }
        let registers = scan.registers.map { Event.registerTaken(RegisterTaken(group: $0.group, date: $0.date, session: $0.session)) }
        let registerRecords = registers.map { $0.record(by: author) }
        let encoder = MarkRecordEncoder(author: author)
        let upns = state.pupils.map(\.upn)
        // Each pupil's and each session and code's part of a record, made once and held outside arrays.
        var made: [Bool] = Array(repeating: false, count: upns.count)
        for row in scan.rows { made[Int(row.pupil)] = true }
        let leads = Parts(upns.indices.map { made[$0] ? encoder.lead(upn: upns[$0]) : [] })
        let sessionsAndCodes = Parts(Session.allCases.flatMap { session in AttendanceCode.all.map { MarkRecordEncoder.sessionAndCode(session, $0) } })
        defer {
            leads.deallocate()
            sessionsAndCodes.deallocate()
        }
        let rows = scan.rows
        let notes = scan.notes
        let lead = registers.count
        // The batch's size, so that it is reserved once: a plain mark's record, and more for minutes, times and notes.
        let plain = encoder.record(MarkRecorded(upn: "A000000000000", date: SchoolDate(day: 0), session: .am, code: .present)).count
        var estimate = registerRecords.reduce(0) { $0 + $1.count } + rows.count * (plain + 2)
        for row in rows {
            if row.minutes >= 0 { estimate += 20 }
            if row.recordedAt != MarksFileScan.Row.none { estimate += 48 }
        }
        for note in notes { estimate += 2 * note.utf8.count + 16 }
        let appended = try append(count: lead + rows.count, bytes: estimate, encode: { index, out in
            guard index >= lead else { return out.append(contentsOf: registerRecords[index]) }
            let row = rows[index - lead]
            let date = SchoolDate(day: row.day)
            let session: Session = row.session == 0 ? .am : .pm
            let minutes = row.minutes < 0 ? nil : Int(row.minutes)
            let recordedAt = row.recordedAt == MarksFileScan.Row.none ? nil : Timestamp(milliseconds: row.recordedAt)
            let code = AttendanceCode.all[Int(row.code)]
            if row.note >= 0 {
                let mark = MarkRecorded(upn: upns[Int(row.pupil)], date: date, session: session, code: code, minutesLate: minutes,
                                        note: notes[Int(row.note)], recordedAt: recordedAt)
                out.append(contentsOf: Event.markRecorded(mark).record(by: author))
            } else {
                encoder.append(lead: leads[Int(row.pupil)], date: date,
                               sessionAndCode: sessionsAndCodes[Int(row.session) * AttendanceCode.all.count + Int(row.code)],
                               minutesLate: minutes, recordedAt: recordedAt, to: &out)
            }
        }, fold: { state, first, at in
            for (i, event) in registers.enumerated() {
                state.apply(EventEnvelope(seq: first + i, at: at, version: event.currentVersion, author: author, event: event))
            }
            for (i, row) in rows.enumerated() {
                state.applyMarkRecorded(pupil: Int(row.pupil), date: SchoolDate(day: row.day), session: row.session == 0 ? .am : .pm,
                                        code: AttendanceCode.all[Int(row.code)], minutesLate: row.minutes < 0 ? nil : Int(row.minutes),
                                        recordedAt: row.recordedAt == MarksFileScan.Row.none ? nil : Timestamp(milliseconds: row.recordedAt),
                                        seq: first + lead + i, at: at)
            }
        })
        if let warning = scan.legacy.warning { warn(warning) }
        return MarksImported(marks: rows.count, registers: registers.count, appended: appended)
    }

    /// The reference path of ``importMarks(bytes:path:)``, row by row from a parsed CSV table: the rules as
    /// written in Rules/, each refusal built where it is found. The byte-level path is tested equal to it.
    package func importMarks(csv: CSVInput) throws -> MarksImported {
        try checkWholeIndex()
        let author = try self.author
        let state = self.state
        let clock = context.clock()
        let rows = csv.table.rows
        let encoder = MarkRecordEncoder(author: author)
        var records: [[UInt8]] = []
        var events: [Event] = []
        records.reserveCapacity(rows.count)
        events.reserveCapacity(rows.count)
        // Repeats within the file are found after the loop by sorting (key, line) pairs: cheaper than a
        // dictionary of 10^6 keys.
        var keys: [(key: UInt64, line: Int)] = []
        keys.reserveCapacity(rows.count)
        var registers: [LedgerState.RegisterKey] = []
        var registerSet: Set<LedgerState.RegisterKey> = []
        var lastRegister: LedgerState.RegisterKey?
        let columns = (upn: csv.index(MarkField.upn.rawValue), date: csv.index(MarkField.date.rawValue),
                       session: csv.index(MarkField.session.rawValue), code: csv.index(MarkField.code.rawValue),
                       minutes: csv.index(MarkField.minutesLate.rawValue), recorded: csv.index(MarkField.recordedAt.rawValue),
                       note: csv.index(MarkField.note.rawValue))
        var lastPupil: PupilRecord?
        var legacy = MigratedLegacyCodes()
        let meter = context.progress("checking \(csv.path)")
        defer { meter.finish() }
        do {
            for row in rows {
                if row.line & 0x3FFF == 0 { meter.update(row.line, of: rows.count + 1) }
                let source = MarkSource.csv(line: row.line)
                let upn = CSVInput.value(row, columns.upn)
                guard let date = InputDates.date(CSVInput.value(row, columns.date)) else {
                    throw LedgerError.rejected("the value is not a real date YYYY-MM-DD \(InputDates.rangeText)", at: source.place(.date))
                }
                guard let session = Session(CSVInput.value(row, columns.session)) else {
                    throw LedgerError.rejected("the value is not a session (AM or PM)", at: source.place(.session))
                }
                guard let code = AttendanceCode(CSVInput.value(row, columns.code)) else {
                    throw LedgerError.rejected("the value is not an attendance code", at: source.place(.code))
                }
                var minutes: Int?
                let minutesText = CSVInput.value(row, columns.minutes)
                if !minutesText.isEmpty {
                    guard let m = Int(minutesText), (0...600).contains(m) else {
                        throw LedgerError.rejected("minutes late must be a whole number from 0 to 600", at: source.place(.minutesLate))
                    }
                    minutes = m
                }
                var recordedAt: Timestamp?
                let recordedText = CSVInput.value(row, columns.recorded)
                if !recordedText.isEmpty {
                    guard let t = InputDates.time(recordedText) else {
                        throw LedgerError.rejected("recorded_at must be an ISO 8601 UTC time such as 2019-09-04T08:45:00Z, \(InputDates.rangeText)",
                                                   at: source.place(.recordedAt))
                    }
                    guard SchoolClock.ukMinutes(t).date >= date else {  // the session's day in the UK
                        throw LedgerError.rejected("recorded_at is before the session's date (an entry cannot be made before its session)",
                                                   at: source.place(.recordedAt))
                    }
                    guard t <= clock else { throw LedgerError.rejected("recorded_at is in the future", at: source.place(.recordedAt)) }
                    recordedAt = t
                }
                let note = CSVInput.value(row, columns.note)
                if !note.isEmpty { try Rules.checkText(note, at: source.place(.note), optional: true) }
                let mark = MarkRecorded(upn: upn, date: date, session: session, code: code, minutesLate: minutes,
                                        note: note.isEmpty ? nil : note, recordedAt: recordedAt)
                let pupil: PupilRecord
                if let last = lastPupil, last.upn == upn {
                    pupil = last  // the same pupil as the row before (a pupil's history in one run)
                } else {
                    pupil = try state.requirePupil(upn, at: source.place(.upn))
                    lastPupil = pupil
                }
                try state.checkMark(mark, pupil: pupil, madeAt: recordedAt ?? clock, from: source)
                if recordedAt != nil { legacy.note(code, on: date, line: row.line) }
                try state.refuseMarked(pupil: pupil, date: date, session: session, from: source)
                keys.append((MarkKey(pupil: pupil.index, date: date, session: session).raw, row.line))
                if recordedAt == nil {
                    let register = LedgerState.RegisterKey(group: pupil.group, date: date, session: session)
                    if register != lastRegister {
                        lastRegister = register
                        if registerSet.insert(register).inserted { registers.append(register) }
                    }
                }
                records.append(encoder.record(mark))
                events.append(.markRecorded(mark))
            }
        } catch {
            // A repeat before the bad row is the first problem in the file.
            try LedgerSession.refuseRepeats(keys, state: state)
            throw error
        }
        try LedgerSession.refuseRepeats(keys, state: state)
        let taken = registers.filter { !state.registersTaken.contains($0) }
            .map { Event.registerTaken(RegisterTaken(group: $0.group, date: $0.date, session: $0.session)) }
        let appended = try append(records: taken.map { $0.record(by: author) } + records, events: taken + events)
        if let warning = legacy.warning { warn(warning) }
        return MarksImported(marks: records.count, registers: taken.count, appended: appended)
    }

    /// Refuses a file that marks one pupil's session twice, naming the later line and the first.
    static func refuseRepeats(_ keys: [(key: UInt64, line: Int)], state: LedgerState) throws(LedgerError) {
        var sorted = keys
        sorted.sort { $0.key != $1.key ? $0.key < $1.key : $0.line < $1.line }
        var repeated: (first: Int, again: Int, key: MarkKey)?
        for i in sorted.indices.dropFirst() where sorted[i].key == sorted[i - 1].key {
            // Report the earliest repeated line in the file, as a row-by-row check would.
            if repeated.map({ sorted[i].line < $0.again }) ?? true {
                var first = i - 1
                while first > 0 && sorted[first - 1].key == sorted[i].key { first -= 1 }
                repeated = (sorted[first].line, sorted[i].line, MarkKey(raw: sorted[i].key))
            }
        }
        if let repeated {
            let upn = state.pupils[repeated.key.pupil].upn
            throw .rejected("UPN \(upn) on \(repeated.key.date) \(repeated.key.session) appears again (first on line \(repeated.first))",
                            at: .csv(line: repeated.again, column: nil))
        }
    }
}

/// Byte strings held in one allocation outside arrays, by index: parts of records an import copies a
/// million times, without reference counting. Deallocate when done.
private struct Parts {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private let ends: UnsafeMutableBufferPointer<Int>

    init(_ parts: [[UInt8]]) {
        storage = .allocate(capacity: max(1, parts.reduce(0) { $0 + $1.count }))
        ends = .allocate(capacity: parts.count + 1)
        ends[0] = 0
        for (i, part) in parts.enumerated() {
            _ = UnsafeMutableBufferPointer(rebasing: storage[ends[i]..<(ends[i] + part.count)]).initialize(from: part)
            ends[i + 1] = ends[i] + part.count
        }
    }

    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[ends[index]..<ends[index + 1]])
    }

    func deallocate() {
        storage.deallocate()
        ends.deallocate()
    }
}
