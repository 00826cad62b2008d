import Testing
@testable import RollbookDomain

/// What the tests expect of each code, written independently of the table in the library
/// (PRODUCT.md section 2 and the DfE 2024 code table).
private struct Expected: Sendable {
    let text: String
    /// Category on sessions before 19 August 2024.
    let before: AttendanceCategory
    /// Category on sessions from 19 August 2024.
    let after: AttendanceCategory
    let possible: Bool
    let legacy: Bool
    let new2024: Bool
}

private func row(_ text: String, _ category: AttendanceCategory, possible: Bool,
                 legacy: Bool = false, new2024: Bool = false) -> Expected {
    Expected(text: text, before: category, after: category, possible: possible, legacy: legacy, new2024: new2024)
}

/// Table order is part of the contract (indexes are persisted), so the expectation is ordered too.
private let expectations: [Expected] = [
    row("/", .present, possible: true),
    row("\\", .present, possible: true),
    row("L", .presentLate, possible: true),
    row("K", .approvedActivity, possible: true, new2024: true),
    row("V", .approvedActivity, possible: true),
    row("P", .approvedActivity, possible: true),
    row("W", .approvedActivity, possible: true),
    row("B", .approvedActivity, possible: true),
    row("C1", .leaveOfAbsence, possible: true, new2024: true),
    row("M", .leaveOfAbsence, possible: true),
    row("J1", .leaveOfAbsence, possible: true, new2024: true),
    row("S", .leaveOfAbsence, possible: true),
    row("C2", .leaveOfAbsence, possible: true, new2024: true),
    row("C", .leaveOfAbsence, possible: true),
    row("T", .otherAuthorised, possible: true),
    row("R", .otherAuthorised, possible: true),
    row("I", .otherAuthorised, possible: true),
    row("E", .otherAuthorised, possible: true),
    row("G", .unauthorised, possible: true),
    row("N", .unauthorised, possible: true),
    row("O", .unauthorised, possible: true),
    row("U", .unauthorisedLate, possible: true),
    row("D", .notPossible, possible: false),
    row("X", .notPossible, possible: false),
    row("Q", .notPossible, possible: false, new2024: true),
    row("Y1", .notPossible, possible: false, new2024: true),
    row("Y2", .notPossible, possible: false, new2024: true),
    row("Y3", .notPossible, possible: false, new2024: true),
    row("Y4", .notPossible, possible: false, new2024: true),
    row("Y5", .notPossible, possible: false, new2024: true),
    row("Y6", .notPossible, possible: false, new2024: true),
    row("Y7", .notPossible, possible: false, new2024: true),
    row("Z", .notPossible, possible: false),
    row("#", .notPossible, possible: false),
    row("H", .leaveOfAbsence, possible: true, legacy: true),
    row("F", .leaveOfAbsence, possible: true, legacy: true),
    row("J", .approvedActivity, possible: true, legacy: true),
    row("Y", .notPossible, possible: false, legacy: true),
]

private func date(_ text: String) -> SchoolDate {
    guard let parsed = SchoolDate(text) else { fatalError("bad test date \(text)") }
    return parsed
}

private func code(_ text: String) throws -> AttendanceCode {
    try #require(AttendanceCode(text), "expected \(text) to parse")
}

private let lastDayBefore2024 = date("2024-08-18")
private let firstDay2024 = date("2024-08-19")
private let autumn2023 = date("2023-09-04")
private let autumn2024 = date("2024-09-02")

@Suite("Attendance code table")
struct AttendanceCodeTests {

    // MARK: Every code against the independent expectation table

    @Test("Each code matches the expectation table", arguments: AttendanceCode.all)
    func eachCode(_ code: AttendanceCode) throws {
        let position = Int(code.index)
        try #require(position < expectations.count, "code \(code) has no expectation")
        let expected = expectations[position]

        #expect(code.text == expected.text)
        #expect(code.description == expected.text)
        #expect(AttendanceCode.all[position] == code)
        #expect(!code.meaning.isEmpty)

        // Round trip text -> code -> text, through String, Substring and raw bytes.
        #expect(AttendanceCode(code.text) == code)
        #expect(AttendanceCode(code.text)?.text == expected.text)
        let padded = " \(code.text) "
        #expect(AttendanceCode(padded.dropFirst().dropLast()) == code)
        #expect(AttendanceCode(utf8: Array(code.text.utf8)) == code)

        // Category on both sides of the 2024 change (and well away from it).
        #expect(code.category(on: autumn2023) == expected.before)
        #expect(code.category(on: lastDayBefore2024) == expected.before)
        #expect(code.category(on: firstDay2024) == expected.after)
        #expect(code.category(on: autumn2024) == expected.after)
        #expect(code.category(on: autumn2023).isPossible == expected.possible)
        #expect(code.category(on: autumn2024).isPossible == expected.possible)

        #expect(code.isLegacy == expected.legacy)
        #expect(code.isIntroduced2024 == expected.new2024)
        #expect(code.isClosureCode == (expected.text == "#" || (expected.text.count == 2 && expected.text.hasPrefix("Y"))))
        #expect(code.needsMinutesLate == (expected.text == "L" || expected.text == "U"))
    }

    @Test("Each code is valid exactly on the dates the rules allow", arguments: AttendanceCode.all)
    func validityByDate(_ code: AttendanceCode) throws {
        let expected = expectations[Int(code.index)]
        // A session the code's presence rule allows (so only the date matters here).
        let session: Session = expected.text == "\\" ? .pm : .am
        let text = expected.text

        for day in [autumn2023, lastDayBefore2024] {
            if expected.new2024 {
                #expect(code.validate(on: day, session: session) == .introducedIn2024(code: text, date: day))
            } else if text == "F" {
                #expect(code.validate(on: day, session: session) == .retired(code: text, date: day))
            } else {
                #expect(code.validate(on: day, session: session) == nil)
            }
        }
        for day in [firstDay2024, autumn2024] {
            if expected.legacy {
                #expect(code.validate(on: day, session: session) == .retired(code: text, date: day))
            } else {
                #expect(code.validate(on: day, session: session) == nil)
            }
        }
    }

    @Test("The table holds exactly the expected codes, in index order")
    func tableShape() {
        #expect(AttendanceCode.all.count == 38)
        #expect(AttendanceCode.all.map(\.text) == expectations.map(\.text))
        #expect(AttendanceCode.all.map(\.index) == (0..<38).map { UInt8($0) })
        #expect(AttendanceCode.all == AttendanceCode.all.sorted())
        #expect(Set(AttendanceCode.all.map(\.text)).count == 38)
        #expect(AttendanceCode.all.filter(\.isLegacy).map(\.text) == ["H", "F", "J", "Y"])
        #expect(AttendanceCode.all.filter(\.isIntroduced2024).map(\.text)
                == ["K", "C1", "J1", "C2", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"])
    }

    // MARK: Parsing refuses everything else

    @Test("Unknown, mis-cased and padded strings are refused",
          arguments: ["y1", "A", "", "//", "Y8", "Y0", "Y10", "C3", "C0", "J2", "j1", "c1", "l", "h", "x",
                      " L", "L ", "\\\\", "/\\", "1", "YY", "CC", "Y1 ", "AM", "PM", "Present",
                      "Ｌ", "К", "В", "\u{0661}", "é", "Y\u{0661}"])
    func refusesUnknown(_ text: String) {
        #expect(AttendanceCode(text) == nil)
        #expect(AttendanceCode(utf8: Array(text.utf8)) == nil)
    }

    /// Kept out of the parameterised test so control characters do not reach the console.
    @Test("Codes with control characters are refused")
    func refusesControlCharacters() {
        for text in ["L\n", "L\r", "\tL", "L\u{0}", "C\u{0}", "Y\u{0}", "\u{0}", "\u{0}L"] {
            #expect(AttendanceCode(text) == nil)
            #expect(AttendanceCode(utf8: Array(text.utf8)) == nil)
        }
        #expect(AttendanceCode(utf8: [UInt8(ascii: "C"), 0x31, 0x00]) == nil)
        #expect(AttendanceCode(utf8: [UInt8]()) == nil)
        #expect(AttendanceCode(utf8: [0xD0, 0x9A]) == nil)  // Cyrillic К, as found in pasted code tables
    }

    @Test("Every other one- and two-character ASCII string is refused")
    func refusesAllOtherShortASCII() {
        let known = Set(expectations.map(\.text))
        var strings: [String] = []
        for first in UInt8(0)...UInt8(127) {
            strings.append(String(decoding: [first], as: UTF8.self))
            for second in UInt8(0)...UInt8(127) {
                strings.append(String(decoding: [first, second], as: UTF8.self))
            }
        }
        var accepted: [String] = []
        for text in strings where AttendanceCode(text) != nil {
            accepted.append(text)
        }
        #expect(accepted.sorted() == known.sorted())
    }

    // MARK: Legacy codes and the 2024 change

    @Test("The 2024 change date is 19 August 2024")
    func changeDate() {
        #expect(AttendanceCode.codeChange2024 == date("2024-08-19"))
        #expect(SchoolDate(day: AttendanceCode.extendedHolidayRetiredDay) == date("2013-09-01"))
    }

    @Test("H is authorised holiday until 18 August 2024 and retired from 19 August 2024")
    func legacyH() throws {
        let h = try code("H")
        #expect(h.validate(on: lastDayBefore2024, session: .am) == nil)
        #expect(h.category(on: lastDayBefore2024).isAuthorisedAbsence)
        #expect(h.validate(on: firstDay2024, session: .am) == .retired(code: "H", date: firstDay2024))
        #expect(h.category(on: firstDay2024).isAuthorisedAbsence)  // still read from history
        #expect(h.validate(on: firstDay2024, session: .pm)?.description
                == "Code H was retired on 19 August 2024 and cannot be recorded for 2024-08-19.")
    }

    @Test("F is authorised absence, valid only before 1 September 2013")
    func legacyF() throws {
        let f = try code("F")
        let lastDay = date("2013-08-31"), retiredOn = date("2013-09-01")
        #expect(f.validate(on: date("2012-01-09"), session: .am) == nil)
        #expect(f.validate(on: lastDay, session: .pm) == nil)
        #expect(f.validate(on: retiredOn, session: .am) == .retired(code: "F", date: retiredOn))
        #expect(f.validate(on: autumn2024, session: .am) == .retired(code: "F", date: autumn2024))
        #expect(f.validate(on: retiredOn, session: .am)?.description
                == "Code F was retired on 1 September 2013 and cannot be recorded for 2013-09-01.")
        for day in [lastDay, retiredOn, autumn2023, autumn2024] {
            #expect(f.category(on: day).isAuthorisedAbsence)
            #expect(f.category(on: day).isPossible)
        }
    }

    @Test("J is approved educational activity, retired on 19 August 2024 in favour of J1 (leave of absence)")
    func legacyJ() throws {
        let j = try code("J"), j1 = try code("J1")
        #expect(j.category(on: lastDayBefore2024) == .approvedActivity)
        #expect(j.category(on: lastDayBefore2024).isAttendance)
        #expect(j.validate(on: lastDayBefore2024, session: .am) == nil)
        #expect(j.category(on: firstDay2024) == .approvedActivity, "as DfE counts the J in migrated 2024/25 data")
        #expect(j.validate(on: firstDay2024, session: .am) == .retired(code: "J", date: firstDay2024))
        #expect(j1.category(on: firstDay2024) == .leaveOfAbsence)
        #expect(j1.validate(on: firstDay2024, session: .am) == nil)
        #expect(j1.validate(on: lastDayBefore2024, session: .am) == .introducedIn2024(code: "J1", date: lastDayBefore2024))
    }

    @Test("Y is not possible before 19 August 2024 and is split into Y1–Y7 after")
    func legacyY() throws {
        let y = try code("Y")
        #expect(y.category(on: lastDayBefore2024) == .notPossible)
        #expect(y.category(on: firstDay2024) == .notPossible)
        #expect(y.validate(on: lastDayBefore2024, session: .pm) == nil)
        #expect(y.validate(on: firstDay2024, session: .pm) == .retired(code: "Y", date: firstDay2024))
        #expect(!y.isClosureCode)
        for text in ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"] {
            let split = try code(text)
            #expect(split.validate(on: firstDay2024, session: .pm) == nil)
            #expect(split.validate(on: lastDayBefore2024, session: .pm) == .introducedIn2024(code: text, date: lastDayBefore2024))
        }
    }

    @Test("Codes that exist on both sides of the change are valid on both", arguments: ["B", "C", "T", "D", "X", "Z", "#", "M", "S", "E", "G", "N", "O", "U", "L", "I", "R", "V", "P", "W"])
    func continuingCodes(_ text: String) throws {
        let continuing = try code(text)
        for day in [date("2010-01-04"), autumn2023, lastDayBefore2024, firstDay2024, autumn2024] {
            #expect(continuing.validate(on: day, session: .am) == nil)
            #expect(continuing.validate(on: day, session: .pm) == nil)
        }
        #expect(continuing.category(on: autumn2023) == continuing.category(on: autumn2024))
    }

    @Test("A 2024 code before the change names the code, the start date and the session date")
    func introducedMessage() throws {
        let problem = try code("C1").validate(on: autumn2023, session: .am)
        #expect(problem == .introducedIn2024(code: "C1", date: autumn2023))
        #expect(problem?.description == "Code C1 was introduced on 19 August 2024 and cannot be recorded for 2023-09-04.")
    }

    // MARK: Present codes and sessions

    @Test("/ is morning only and \\ afternoon only")
    func presentCodesMatchSession() {
        #expect(AttendanceCode.present.validate(on: autumn2024, session: .am) == nil)
        #expect(AttendanceCode.presentPM.validate(on: autumn2024, session: .pm) == nil)

        let slashPM = AttendanceCode.present.validate(on: autumn2024, session: .pm)
        #expect(slashPM == .wrongSession(code: "/", session: .pm))
        #expect(slashPM?.description == "Code / marks presence in the morning and cannot be recorded for a PM session.")

        let backslashAM = AttendanceCode.presentPM.validate(on: autumn2023, session: .am)
        #expect(backslashAM == .wrongSession(code: "\\", session: .am))
        #expect(backslashAM?.description == "Code \\ marks presence in the afternoon and cannot be recorded for an AM session.")

        for other in AttendanceCode.all where other != .present && other != .presentPM {
            #expect(other.validate(on: other.isLegacy ? date("2012-01-09") : autumn2024, session: .am)
                    == other.validate(on: other.isLegacy ? date("2012-01-09") : autumn2024, session: .pm))
        }
    }

    // MARK: Named codes

    @Test("Named codes are the right codes")
    func namedCodes() {
        let named: [(AttendanceCode, String)] = [
            (.present, "/"), (.presentPM, "\\"), (.late, "L"), (.unauthorisedLate, "U"), (.noReason, "N"),
            (.unauthorisedOther, "O"), (.closure, "#"), (.dualRegistered, "D"), (.notCompulsory, "X"),
            (.sick, "I"), (.holidayUnauthorised, "G"),
        ]
        for (constant, text) in named {
            #expect(constant.text == text)
            #expect(AttendanceCode(text) == constant)
        }
        #expect(AttendanceCode.closureCodes.map(\.text) == ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"])
        #expect(AttendanceCode.all.filter(\.isClosureCode).map(\.text) == ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "#"])
        #expect(AttendanceCode.all.filter(\.needsMinutesLate) == [.late, .unauthorisedLate])
    }

    // MARK: Categories

    @Test("Category predicates follow the DfE statistics", arguments: AttendanceCategory.allCases)
    func categoryPredicates(_ category: AttendanceCategory) {
        // (possible, attendance, authorised, unauthorised, late)
        let expected: (Bool, Bool, Bool, Bool, Bool) = switch category {
        case .present: (true, true, false, false, false)
        case .presentLate: (true, true, false, false, true)
        case .approvedActivity: (true, true, false, false, false)
        case .leaveOfAbsence: (true, false, true, false, false)
        case .otherAuthorised: (true, false, true, false, false)
        case .unauthorised: (true, false, false, true, false)
        case .unauthorisedLate: (true, false, false, true, true)
        case .notPossible: (false, false, false, false, false)
        }
        #expect(category.isPossible == expected.0)
        #expect(category.isAttendance == expected.1)
        #expect(category.isAuthorisedAbsence == expected.2)
        #expect(category.isUnauthorisedAbsence == expected.3)
        #expect(category.isAbsence == (expected.2 || expected.3))
        #expect(category.isLate == expected.4)
        // Every possible session is exactly one of attendance or absence.
        if category.isPossible { #expect(category.isAttendance != category.isAbsence) }
    }
}

@Suite("Session")
struct SessionTests {
    @Test("Parses exactly AM and PM")
    func parses() {
        #expect(Session("AM") == .am)
        #expect(Session("PM") == .pm)
        #expect(Session("xAM".dropFirst()) == .am)
        for bad in ["am", "pm", "Am", "aM", "A", "P", "M", "", "AMX", " AM", "AM ", "XM", "AN", "ＡＭ"] {
            #expect(Session(bad) == nil, "\(bad) should be refused")
        }
    }

    @Test("Prints, orders and stores as expected")
    func printsAndOrders() {
        #expect(Session.am.description == "AM")
        #expect(Session.pm.description == "PM")
        #expect(Session.am < Session.pm)
        #expect(!(Session.pm < Session.am))
        #expect(Session.allCases == [.am, .pm])
        #expect(Session.am.rawValue == 0 && Session.pm.rawValue == 1)
        for session in Session.allCases { #expect(Session(session.description) == session) }
    }
}
