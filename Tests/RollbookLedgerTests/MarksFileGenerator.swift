import Foundation
import RollbookDomain
@testable import RollbookLedger
import RollbookLog
import RollbookProjections
import RollbookTestSupport

/// Seeded marks files that the rules accept, written in every way the CSV reader allows: columns in any
/// order with any optional ones, quoted fields, spaces around values, CRLF, a byte-order mark, blank lines
/// at the end, no final line break, migrated rows with `recorded_at` (legacy codes among them), minutes
/// late, notes (with commas, non-ASCII text and doubled quotes).
struct MarksFileGenerator {
    /// A generated file.
    struct File {
        /// The file's bytes.
        var bytes: [UInt8]
        /// How many rows it has.
        var rows: Int
        /// Whether the byte-level path reads it itself (false when a note holds a doubled quote, or minutes
        /// are written with a sign, which only the reference path reads).
        var fast: Bool
    }

    var random: SeededGenerator
    let state: LedgerState
    let clock: Timestamp

    init(seed: UInt64, state: LedgerState, clock: Timestamp) {
        random = SeededGenerator(seed: seed)
        self.state = state
        self.clock = clock
    }

    mutating func chance(_ n: Int) -> Bool { Int.random(in: 0..<n, using: &random) == 0 }

    /// A file of about `rows` rows (fewer when the school has fewer free sessions).
    mutating func file(rows wanted: Int) -> File {
        var optional = LedgerSession.markColumns.optional.filter { _ in !chance(3) }
        optional.shuffle(using: &random)
        var columns = LedgerSession.markColumns.required + optional
        columns.shuffle(using: &random)
        let school = state.school!
        var fast = true

        // Every free session of a pupil on roll, in a random order.
        var free: [(pupil: PupilRecord, date: SchoolDate, session: Session)] = []
        for pupil in state.pupils {
            for date in state.calendar.schoolDays(from: SchoolDate("2024-06-03")!, to: SchoolDate("2024-12-20")!) where pupil.isOnRoll(date) {
                for session in Session.allCases where state.mark(pupil: pupil.index, date: date, session: session) == nil {
                    free.append((pupil, date, session))
                }
            }
        }
        free.shuffle(using: &random)
        if chance(2) { free[..<min(wanted, free.count)].sort { ($0.date, $0.session, $0.pupil.index) < ($1.date, $1.session, $1.pupil.index) } }

        var lines: [String] = [columns.map { name in chance(8) ? "\"\(name.rawValue)\"" : chance(8) ? " \(name.rawValue)\t" : name.rawValue }
            .joined(separator: ",")]
        for (pupil, date, session) in free.prefix(wanted) {
            let window = session == .am ? school.amRegister : school.pmRegister
            let opening = UKTime.moment(date, minutes: window.opens.minutes)
            var recordedAt: Timestamp?
            if columns.contains(.recordedAt) && chance(4) {
                let time = Timestamp(milliseconds: opening.milliseconds + Int64.random(in: 0...3 * 86_400_000, using: &random))
                if time <= clock { recordedAt = Timestamp(milliseconds: time.milliseconds / 1000 * 1000) }
            }
            let made = recordedAt ?? clock
            let closure = state.calendar.closure(date, session)
            let codes = AttendanceCode.all.filter { code in
                code.validate(on: date, session: session, migrated: recordedAt != nil) == nil
                    && (code.needsMinutesLate ? columns.contains(.minutesLate) : true)
                    && !(closure.map { LedgerState.closureOverrides($0.code, code) } ?? false)
                    && !(LedgerState.registerCodes.contains(code.text) && made < opening)
            }
            let code = chance(3) ? (codes.first { $0.text == (session == .am ? "/" : "\\") } ?? codes[0]) : codes.randomElement(using: &random)!
            var values: [MarkField: String] = [.upn: pupil.upn, .date: date.description, .session: session.description, .code: code.text]
            if code.needsMinutesLate {
                let length = window.closes.minutes - window.opens.minutes
                let minutes = code == .late ? Int.random(in: 1...max(1, length), using: &random) : Int.random(in: (length + 1)...600, using: &random)
                if chance(40) {
                    values[.minutesLate] = "+\(minutes)"
                    fast = false
                } else {
                    values[.minutesLate] = chance(10) ? "0\(minutes)" : "\(minutes)"
                }
            }
            if let recordedAt {
                let text = recordedAt.description  // 2024-09-04T15:00:00.000Z
                values[.recordedAt] = chance(3) ? String(text.dropLast(5)) + "Z" : chance(4) ? String(text.dropLast()) + "+00:00" : text
            }
            if columns.contains(.note) && chance(6) {
                let notes = ["bus late", "parent phoned, said unwell", "café – taxi", "  padded  ", "said \"ill\"", "ok"]
                let note = notes.randomElement(using: &random)!
                if note.contains("\"") { fast = false }
                values[.note] = note
            }
            lines.append(columns.map { column in
                let value = values[column] ?? ""
                if value.contains(",") || value.contains("\"") { return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                if chance(12) { return "\"\(value)\"" }
                if column != .note && chance(12) { return " \(value) " }
                return value
            }.joined(separator: ","))
        }
        let newline = chance(3) ? "\r\n" : "\n"
        var text = lines.joined(separator: newline)
        if !chance(4) { text += newline }
        if chance(4) { text += newline + newline }
        var bytes = Array(text.utf8)
        if chance(3) { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        return File(bytes: bytes, rows: lines.count - 1, fast: fast)
    }
}
