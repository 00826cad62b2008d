import RollbookDomain
import RollbookLog
import RollbookProjections

/// A marks file read straight from its bytes and checked against the ledger in one pass: the fast path of
/// `marks import`, with no string made for a row and no message built for a good one.
///
/// ``scan(_:state:clock:progress:)`` accepts a file only when it can tell that the reference path
/// (``LedgerSession/importMarks(csv:)``) accepts it too, and then holds exactly what that path records.
/// On the first problem, and on anything it does not read itself (a quoted field holding a quote or a
/// line break, a number written with a sign, a repeated session), it returns nil and the reference path
/// runs instead: a refusal always carries the reference path's message and place.
struct MarksFileScan {
    /// One accepted row, in 24 bytes.
    struct Row {
        /// The migrated entry's `recorded_at` in milliseconds, or `Row.none` for a mark entered now.
        var recordedAt: Int64
        /// The pupil's index in ``LedgerState/pupils``.
        var pupil: Int32
        /// The session's day number.
        var day: Int32
        /// The note's index in ``MarksFileScan/notes``, or -1 for none.
        var note: Int32
        /// Minutes late, or -1 for none.
        var minutes: Int16
        /// The session's raw value.
        var session: UInt8
        /// The code's table index.
        var code: UInt8

        static let none = Int64.min
    }

    /// The rows, in file order.
    var rows: [Row] = []
    /// The notes of rows that have one.
    var notes: [String] = []
    /// The registers to record as taken (those not already taken), in the order of their first row.
    var registers: [LedgerState.RegisterKey] = []
    /// Migrated rows holding a code after its retirement.
    var legacy = MigratedLegacyCodes()

    /// Reads and checks the file's bytes against `state`, with `clock` as the time of entry; nil when the
    /// reference path must read it (see the type's summary). `progress` sees rows read and an estimate of all.
    static func scan(_ bytes: [UInt8], state: LedgerState, clock: Timestamp, progress: (Int, Int) -> Void) -> MarksFileScan? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = MarksFileScanner(bytes: buffer, state: state, clock: clock)
            return scanner.scan(progress: progress)
        }
    }
}

private let comma: UInt8 = 0x2C
private let quote: UInt8 = 0x22
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
private let space: UInt8 = 0x20

/// The work behind ``MarksFileScan/scan(_:state:clock:progress:)``: the CSV rules of ``CSVTable`` and
/// ``CSVInput`` on bytes, then the rules of ``LedgerState`` (Rules/) on integers.
private struct MarksFileScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let state: LedgerState
    let clock: Timestamp
    /// Field ranges of the record being read (unquoted, not yet trimmed).
    var fields: [(start: Int, end: Int)] = []
    /// Whether the record being read has a byte above 0x7F.
    var nonASCII = false

    init(bytes: UnsafeBufferPointer<UInt8>, state: LedgerState, clock: Timestamp) {
        self.bytes = bytes
        self.state = state
        self.clock = clock
    }

    /// Reads one record from `position` into ``fields`` and returns the position after its line break;
    /// nil for a record the fast path does not take (bad quoting, a bare carriage return, a quoted field
    /// holding a quote or a line break: the CSV reader refuses or unescapes them).
    mutating func record(from position: Int) -> Int? {
        fields.removeAll(keepingCapacity: true)
        nonASCII = false
        let end = bytes.count
        var p = position
        var orBits: UInt8 = 0
        while true {
            if p < end, bytes[p] == quote {
                let start = p + 1
                var q = start
                while q < end {
                    let byte = bytes[q]
                    if byte == quote || byte == lineFeed || byte == carriageReturn { break }
                    orBits |= byte
                    q += 1
                }
                guard q < end, bytes[q] == quote else { return nil }
                fields.append((start, q))
                p = q + 1
                if p < end, bytes[p] == quote { return nil }  // a doubled quote: left to the CSV reader
            } else {
                let start = p
                while p < end {
                    let byte = bytes[p]
                    if byte == comma || byte == lineFeed || byte == carriageReturn || byte == quote { break }
                    orBits |= byte
                    p += 1
                }
                fields.append((start, p))
            }
            guard p < end else { break }
            switch bytes[p] {
            case comma:
                p += 1
                continue
            case lineFeed:
                p += 1
            case carriageReturn:
                guard p + 1 < end, bytes[p + 1] == lineFeed else { return nil }
                p += 2
            default:
                return nil  // a quote inside an unquoted field, or text after a closing quote
            }
            break
        }
        nonASCII = orBits >= 0x80
        return p
    }

    /// A field without leading and trailing spaces (``CSVInput/value(_:_:)``); tabs too for a header name.
    func trimmed(_ field: (start: Int, end: Int), tabs: Bool = false) -> (start: Int, end: Int) {
        var (start, end) = field
        func blank(_ b: UInt8) -> Bool { b == space || (tabs && b == 0x09) }
        while start < end, blank(bytes[start]) { start += 1 }
        while end > start, blank(bytes[end - 1]) { end -= 1 }
        return (start, end)
    }

    /// The header's columns as fields of a mark, or nil when the CSV reader or ``CSVInput`` would refuse
    /// the header (a duplicate, unknown or missing column) or it is not plain ASCII.
    func columns() -> [MarkField]? {
        guard !nonASCII else { return nil }
        var out: [MarkField] = []
        for field in fields {
            let (start, end) = trimmed(field, tabs: true)
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            guard let column = MarkField(rawValue: name), !out.contains(column) else { return nil }
            out.append(column)
        }
        for column in LedgerSession.markColumns.required where !out.contains(column) { return nil }
        return out
    }

    mutating func scan(progress: (Int, Int) -> Void) -> MarksFileScan? {
        let end = bytes.count
        var p = 0
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { p = 3 }
        guard p < end, bytes[p] != lineFeed, bytes[p] != carriageReturn, let afterHeader = record(from: p),
              let header = columns() else { return nil }
        p = afterHeader
        let count = header.count
        func column(_ field: MarkField) -> Int { header.firstIndex(of: field) ?? -1 }
        let upnColumn = column(.upn), dateColumn = column(.date), sessionColumn = column(.session), codeColumn = column(.code)
        let minutesColumn = column(.minutesLate), recordedColumn = column(.recordedAt), noteColumn = column(.note)

        var rules = MarkRules(state: state)
        var out = MarksFileScan()
        out.rows.reserveCapacity(max(16, (end - p) / 40))
        var registerSet: Set<UInt64> = []
        var registerOrder: [UInt64] = []
        var lastRegister = UInt64.max
        var minDay = Int32.max, maxDay = Int32.min
        var line = 1
        while p < end {
            let first = bytes[p]
            if first == lineFeed || first == carriageReturn {
                // Blank lines are allowed only at the end of the file.
                while p < end {
                    if bytes[p] == lineFeed { p += 1; continue }
                    guard bytes[p] == carriageReturn, p + 1 < end, bytes[p + 1] == lineFeed else { return nil }
                    p += 2
                }
                break
            }
            guard let next = record(from: p), fields.count == count else { return nil }
            p = next
            line += 1
            if line & 0x3FFF == 0 { progress(line - 1, max(line - 1, (line - 1) * end / max(p, 1))) }

            // The values, each as CSVInput.value reads it (trimmed of spaces).
            let upn = trimmed(fields[upnColumn])
            guard let pupil = rules.pupil(bytes, upn) else { return nil }
            guard let day = MarksFileScanner.day(bytes, trimmed(fields[dateColumn])) else { return nil }
            let sessionField = trimmed(fields[sessionColumn])
            guard sessionField.end - sessionField.start == 2, bytes[sessionField.start + 1] == 0x4D,
                  bytes[sessionField.start] == 0x41 || bytes[sessionField.start] == 0x50 else { return nil }
            let session: Session = bytes[sessionField.start] == 0x41 ? .am : .pm
            let codeField = trimmed(fields[codeColumn])
            guard let code = AttendanceCode(utf8: UnsafeBufferPointer(rebasing: bytes[codeField.start..<codeField.end])) else { return nil }
            var minutes = -1
            if minutesColumn >= 0 {
                let field = trimmed(fields[minutesColumn])
                if field.end > field.start {
                    guard field.end - field.start <= 4 else { return nil }
                    var value = 0
                    for i in field.start..<field.end {
                        let digit = bytes[i] &- 0x30
                        guard digit <= 9 else { return nil }
                        value = value * 10 + Int(digit)
                    }
                    guard value <= 600 else { return nil }
                    minutes = value
                }
            }
            var recordedAt: Timestamp?
            if recordedColumn >= 0 {
                let field = trimmed(fields[recordedColumn])
                if field.end > field.start {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]), as: UTF8.self)
                    guard let time = InputDates.time(text), SchoolClock.ukMinutes(time).date.day >= day, time <= clock else { return nil }
                    recordedAt = time
                }
            }
            var note: Int32 = -1
            if noteColumn >= 0 {
                let field = trimmed(fields[noteColumn])
                if field.end > field.start {
                    let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
                    if nonASCII, firstInvalidUTF8(in: slice) != nil { return nil }
                    let text = String(decoding: slice, as: UTF8.self)
                    do { try Rules.checkText(text, at: .csv(line: line, column: MarkField.note.rawValue), optional: true) } catch { return nil }
                    note = Int32(out.notes.count)
                    out.notes.append(text)
                }
            }
            // Only the note may hold bytes above 0x7F (each other value above is plain ASCII); the CSV reader
            // checks every field is UTF-8, and a value that is not ASCII fails its own check.
            if nonASCII {
                for (i, field) in fields.enumerated() where i != noteColumn {
                    for b in UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]) where b >= 0x80 { return nil }
                }
            }
            guard rules.accepts(pupil: pupil, day: day, session: session, code: code, minutes: minutes, recordedAt: recordedAt,
                                clock: clock) else { return nil }
            if recordedAt != nil {
                out.legacy.note(code, on: SchoolDate(day: day), line: line)
            } else {
                let register = UInt64(rules.groupOf[pupil]) << 33 | UInt64(UInt32(bitPattern: day &+ (1 << 30))) << 1 | UInt64(session.rawValue)
                if register != lastRegister {
                    lastRegister = register
                    if registerSet.insert(register).inserted { registerOrder.append(register) }
                }
            }
            minDay = min(minDay, day)
            maxDay = max(maxDay, day)
            out.rows.append(MarksFileScan.Row(recordedAt: recordedAt?.milliseconds ?? MarksFileScan.Row.none, pupil: Int32(pupil),
                                              day: day, note: note, minutes: Int16(minutes), session: session.rawValue, code: code.index))
        }
        guard !out.rows.isEmpty, !MarksFileScanner.hasRepeat(out.rows, minDay: minDay, maxDay: maxDay, pupils: state.pupils.count) else {
            return nil
        }
        for raw in registerOrder {
            let key = LedgerState.RegisterKey(group: rules.groupNames[Int(raw >> 33)],
                                              date: SchoolDate(day: Int32(bitPattern: UInt32(truncatingIfNeeded: (raw >> 1) & 0xFFFF_FFFF)) &- (1 << 30)),
                                              session: raw & 1 == 0 ? .am : .pm)
            if !state.registersTaken.contains(key) { out.registers.append(key) }
        }
        return out
    }

    /// The day number of a `YYYY-MM-DD` field naming a real date in the years ``InputDates`` allows.
    static func day(_ bytes: UnsafeBufferPointer<UInt8>, _ field: (start: Int, end: Int)) -> Int32? {
        guard field.end - field.start == 10 else { return nil }
        let s = field.start
        guard bytes[s + 4] == 0x2D, bytes[s + 7] == 0x2D else { return nil }
        func number(_ from: Int, _ to: Int) -> Int? {
            var value = 0
            for i in (s + from)..<(s + to) {
                let digit = bytes[i] &- 0x30
                guard digit <= 9 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let y = number(0, 4), InputDates.years.contains(y), let m = number(5, 7), let d = number(8, 10),
              let date = SchoolDate(year: y, month: m, day: d) else { return nil }
        return date.day
    }

    /// Whether two rows mark the same pupil's session (the reference path then names the lines).
    static func hasRepeat(_ rows: [MarksFileScan.Row], minDay: Int32, maxDay: Int32, pupils: Int) -> Bool {
        let span = (Int(maxDay) - Int(minDay) + 1) * 2
        let (cells, overflow) = span.multipliedReportingOverflow(by: max(pupils, 1))
        if !overflow && cells <= 1 << 26 {
            var seen = [UInt64](repeating: 0, count: cells / 64 + 1)
            for row in rows {
                let bit = Int(row.pupil) * span + (Int(row.day) - Int(minDay)) * 2 + Int(row.session)
                let mask = UInt64(1) << UInt64(bit & 63)
                if seen[bit >> 6] & mask != 0 { return true }
                seen[bit >> 6] |= mask
            }
            return false
        }
        var keys = rows.map { UInt64(UInt32(bitPattern: $0.pupil)) << 33 | UInt64(UInt32(bitPattern: $0.day &+ (1 << 30))) << 1 | UInt64($0.session) }
        keys.sort()
        for i in keys.indices.dropFirst() where keys[i] == keys[i - 1] { return true }
        return false
    }
}
