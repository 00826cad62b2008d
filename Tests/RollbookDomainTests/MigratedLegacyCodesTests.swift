import RollbookDomain
import Testing

/// Legacy codes in migrated history (PRODUCT.md section 2), and the CTF's one character per code.
struct MigratedLegacyCodesTests {
    func code(_ text: String) throws -> AttendanceCode { try #require(AttendanceCode(text)) }
    func date(_ text: String) throws -> SchoolDate { try #require(SchoolDate(text)) }

    @Test func aRetiredCodeIsAcceptedOnlyInMigratedHistory() throws {
        let cases = [("F", "2013-09-01"), ("F", "2020-01-06"), ("H", "2024-08-19"), ("J", "2025-01-06"), ("Y", "2024-09-02")]
        for (text, day) in cases {
            let c = try code(text), d = try date(day)
            #expect(c.isRetired(on: d), "\(text) on \(day)")
            #expect(c.validate(on: d, session: .am) == .retired(code: text, date: d), "entered now: refused")
            #expect(c.validate(on: d, session: .am, migrated: true) == nil, "migrated: accepted")
            #expect(c.validate(on: d, session: .am, migrated: false) == .retired(code: text, date: d))
        }
        #expect(!(try code("H")).isRetired(on: try date("2024-08-16")))
        #expect(!(try code("O")).isRetired(on: try date("2030-01-07")))
        // A 2024 code before 19 August 2024 could not have been recorded anywhere.
        let early = try date("2024-08-16")
        #expect(try code("C1").validate(on: early, session: .am, migrated: true) == .introducedIn2024(code: "C1", date: early))
        // The presence rule still holds for migrated marks.
        #expect(try code("/").validate(on: early, session: .pm, migrated: true) == .wrongSession(code: "/", session: .pm))
    }

    @Test func retiredCodesAreClassifiedAsDfEDoes() throws {
        let after = try date("2025-01-06")
        #expect(try code("F").category(on: after) == (try code("H")).category(on: after), "F as H")
        #expect(try code("H").category(on: after).isAuthorisedAbsence)
        #expect(try code("J").category(on: after) == .approvedActivity)
        #expect(try code("Y").category(on: after) == .notPossible)
    }

    @Test func theWarningNamesTheLinesAsRanges() throws {
        var found = MigratedLegacyCodes()
        let late = try date("2024-09-10"), early = try date("2024-06-10")
        #expect(found.note(try code("H"), on: late, line: 4))
        #expect(!found.note(try code("H"), on: early, line: 5), "H before its retirement is not a warning")
        #expect(found.note(try code("J"), on: late, line: 6))
        #expect(found.note(try code("H"), on: late, line: 7))
        #expect(found.note(try code("F"), on: late, line: 2))
        #expect(!found.note(try code("/"), on: late, line: 3))
        let warning = try #require(found.warning)
        #expect(warning.contains("line(s) 2, 4, 6-7."), "\(warning)")
        #expect(warning.contains("4 migrated mark(s)") && warning.contains("(H, F, J)"))
        #expect(MigratedLegacyCodes().warning == nil)
    }

    @Test func aLongListIsSummarisedWithinOneHundredColumns() throws {
        var found = MigratedLegacyCodes()
        let late = try date("2024-09-10")
        for line in stride(from: 2, through: 400, by: 2) { found.note(try code("H"), on: late, line: line) }
        let warning = try #require(found.warning)
        #expect(warning.contains("and \(200 - MigratedLegacyCodesTests.shown) more"), "\(warning)")
        for line in warning.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
    }

    /// How many single lines the warning lists before summarising (its ranges shown).
    static let shown = 12

    @Test func eachCodeTakesOneCTFCharacterOfTheSameCategory() throws {
        let after = try date("2025-01-06")
        for c in AttendanceCode.all {
            let character = c.ctfCharacter
            let single = try #require(AttendanceCode(String(character)), "\(c) maps to a code")
            #expect(single.text.count == 1)
            #expect(single.category(on: after) == c.category(on: after), "\(c) keeps its category as \(character)")
            if c.text.count == 1 { #expect(single == c, "a one-character code is itself") }
            if !c.isLegacy { #expect(single.validate(on: after, session: c == .presentPM ? .pm : .am) == nil) }
        }
        #expect(try code("C1").ctfCharacter == "C" && (try code("J1")).ctfCharacter == "C" && (try code("C2")).ctfCharacter == "C")
        #expect((1...7).allSatisfy { (try? code("Y\($0)"))?.ctfCharacter == "Q" })
    }
}
