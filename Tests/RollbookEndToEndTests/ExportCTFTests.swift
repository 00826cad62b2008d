import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `rollbook export ctf`: the Common Transfer File attendance block, parsed back with FoundationXML.
struct ExportCTFTests {
    @Test func aBlockWithTwoCharacterCodesRoundTrips() throws {
        let t = try TestLedger()
        t.now = "2025-09-20T08:00:00.000Z"
        try t.ok(["init", "--urn", "123456", "--name", "Test & Sons School", "--la", "938", "--estab", "2001"])
        try t.ok(["calendar", "term", "--name", "Autumn 1", "--from", "2025-09-03", "--to", "2025-10-24"])
        try t.ok(["pupils", "import", try t.file("p.csv", "upn,forename,surname,dob,year_group,group,admitted\nY123456789001,Amelia,Khan,2014-03-02,7,7A,2025-09-03\n")])
        let special = ["2025-09-03 AM": "C1", "2025-09-03 PM": "J1", "2025-09-04 AM": "Y2", "2025-09-08 PM": "U"]
        try t.markEverySession(days: TestLedger.weekdays("2025-09-03", "2025-09-09"), upns: ["Y123456789001"]) { _, day, session in
            special["\(day) \(session)"]
        }
        try t.ok(["pupils", "leave", "--upn", "Y123456789001", "--on", "2025-09-10", "--ground", "moved to another school"])
        let xml = try t.ok(["export", "ctf", "--upn", "Y123456789001"])

        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        let attendance = try #require(document.rootElement())
        #expect(attendance.name == "Attendance")
        let years = attendance.elements(forName: "YearData")
        #expect(years.count == 1)
        let year = try #require(years.first)
        func value(_ name: String) -> String? { year.elements(forName: name).first?.stringValue }
        #expect(value("Year") == "2025")
        #expect(value("LEA") == "938")
        #expect(value("Estab") == "2001")
        #expect(value("SchoolName") == "Test & Sons School")
        // 3, 4, 5, 8, 9 September: 10 sessions, less Y2 (not possible) = 9; C1 and J1 authorised; U unauthorised.
        #expect(value("SessionsPossible") == "9")
        #expect(value("SessionsAuthorised") == "2")
        #expect(value("SessionsAttended") == "6")
        #expect(value("SessionsUnauthorised") == "1")
        let sessions = try #require(year.elements(forName: "AttendSessions").first)
        #expect(sessions.elements(forName: "AttendanceStartDate").first?.stringValue == "2025-09-03")
        let marks = try #require(sessions.elements(forName: "AttendanceMarks").first?.stringValue)
        #expect(marks.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                == ["C1", "J1", "Y2", "\\", "/", "\\", "#", "#", "#", "#", "/", "U", "/", "\\"])

        // Serialising the parsed document and parsing it again gives the same block.
        let again = try XMLDocument(data: document.xmlData(options: []), options: [])
        #expect(again.rootElement()?.elements(forName: "YearData").first?.elements(forName: "AttendSessions").first?
            .elements(forName: "AttendanceMarks").first?.stringValue == marks)
    }

    @Test func anUnknownPupilIsRefused() throws {
        let t = try TestLedger()
        try t.standardSchool()
        let r = try t.run("rollbook", ["export", "ctf", "--upn", "L123456789999"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("L123456789999"))
    }
}
