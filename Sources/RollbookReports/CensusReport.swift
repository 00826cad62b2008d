#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif
import RollbookDomain
import RollbookProjections

/// The census attendance return rendered for the LA: XML in the CBDS shape, CSV, or a text table.
///
/// XML (built with FoundationXML's `XMLDocument`, never by concatenating strings):
/// `CensusAttendance/Header/{Period,PeriodStart,PeriodEnd,URN,LEA,Estab,SchoolName}` then per pupil
/// `Pupils/Pupil/{UPN, Attendance/TermlyAttendance/{SessionsPossible, SessionsAuthorised,
/// SessionsUnauthorised, SessionDetails/SessionDetail/{AttendanceReason, AbsenceSessions}}}`, zero
/// counts omitted (`SessionsPossible` is always given). CSV: `upn,sessions_possible,
/// sessions_authorised,sessions_unauthorised` then one column per absence code, named by the code.
public struct CensusReport: Sendable {
    /// The computed return.
    public var census: CensusReturn
    /// The school.
    public var school: LedgerOpened

    /// Creates the report.
    public init(census: CensusReturn, school: LedgerOpened) {
        self.census = census
        self.school = school
    }

    /// The CSV document.
    public func csv() -> String {
        let codes = census.codeColumns
        let header = ["upn", "sessions_possible", "sessions_authorised", "sessions_unauthorised"] + codes.map(\.text)
        let rows = census.pupils.map { p in
            [p.upn, String(p.figures.possibleSessions), String(p.figures.authorisedAbsence), String(p.figures.unauthorisedAbsence)]
                + codes.map { String(p.absence[$0] ?? 0) }
        }
        return TextTable.csv(header, rows) + "\n"
    }

    /// The XML document.
    public func xmlDocument() -> XMLDocument {
        let root = XMLElement(name: "CensusAttendance")
        let header = XMLElement(name: "Header")
        for (name, value) in [("Period", census.period.description), ("PeriodStart", census.period.from.description),
                              ("PeriodEnd", census.period.to.description), ("URN", school.urn), ("LEA", school.la),
                              ("Estab", school.estab), ("SchoolName", school.name)] {
            header.addChild(XMLElement(name: name, stringValue: TextEscaping.xmlText(value)))
        }
        root.addChild(header)
        let pupils = XMLElement(name: "Pupils")
        for p in census.pupils {
            let pupil = XMLElement(name: "Pupil")
            pupil.addChild(XMLElement(name: "UPN", stringValue: p.upn))
            let termly = XMLElement(name: "TermlyAttendance")
            termly.addChild(XMLElement(name: "SessionsPossible", stringValue: String(p.figures.possibleSessions)))
            if p.figures.authorisedAbsence > 0 {
                termly.addChild(XMLElement(name: "SessionsAuthorised", stringValue: String(p.figures.authorisedAbsence)))
            }
            if p.figures.unauthorisedAbsence > 0 {
                termly.addChild(XMLElement(name: "SessionsUnauthorised", stringValue: String(p.figures.unauthorisedAbsence)))
            }
            let details = XMLElement(name: "SessionDetails")
            for code in p.absence.keys.sorted() where p.absence[code]! > 0 {
                let detail = XMLElement(name: "SessionDetail")
                detail.addChild(XMLElement(name: "AttendanceReason", stringValue: code.text))
                detail.addChild(XMLElement(name: "AbsenceSessions", stringValue: String(p.absence[code]!)))
                details.addChild(detail)
            }
            if details.childCount > 0 { termly.addChild(details) }
            let attendance = XMLElement(name: "Attendance")
            attendance.addChild(termly)
            pupil.addChild(attendance)
            pupils.addChild(pupil)
        }
        root.addChild(pupils)
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document
    }

    /// The XML text, indented.
    public func xml() -> String {
        let data = xmlDocument().xmlData(options: [.nodePrettyPrint])
        let text = String(decoding: data, as: UTF8.self)
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// A text table for people.
    public func text() -> String {
        var out = "Census attendance, \(census.period) (\(census.period.from) to \(census.period.to)): \(census.pupils.count) pupil(s) of compulsory school age on roll\n"
        let codes = census.codeColumns.filter { c in census.pupils.contains { ($0.absence[c] ?? 0) > 0 } }
        out += TextTable.render(["UPN", "Possible", "Authorised", "Unauthorised"] + codes.map(\.text), census.pupils.map { p in
            [p.upn, String(p.figures.possibleSessions), String(p.figures.authorisedAbsence), String(p.figures.unauthorisedAbsence)]
                + codes.map { String(p.absence[$0] ?? 0) }
        }) + "\n"
        return out
    }
}
