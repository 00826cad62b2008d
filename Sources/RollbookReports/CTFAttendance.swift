#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif
import RollbookDomain
import RollbookProjections

/// The Common Transfer File attendance block for one pupil (PRODUCT.md section 8).
///
/// `Attendance/YearData` for each school year the pupil was on roll here, with `Year` (the calendar
/// year the school year starts in), `LEA`, `Estab`, `SchoolName`, `SessionsPossible`,
/// `SessionsAuthorised`, `SessionsAttended`, `SessionsUnauthorised`, and `AttendSessions` holding
/// `AttendanceStartDate` and `AttendanceMarks`. The marks run two per calendar day (AM then PM) from
/// the start date to the last day on roll that year (or the export date), separated by commas so that
/// two-character codes (`C1`, `J1`, `Y2` …) survive; a day that is not a school day is written `#`
/// and an unmarked school session `-`.
public struct CTFAttendance: Sendable {
    /// One school year's block.
    public struct YearData: Sendable, Hashable {
        /// The calendar year the school year starts in.
        public var year: Int
        /// LA code.
        public var lea: String
        /// Establishment number.
        public var estab: String
        /// School name.
        public var schoolName: String
        /// Figures over the year.
        public var figures: AttendanceFigures
        /// The first day of the marks.
        public var startDate: SchoolDate
        /// One mark per session from `startDate`: a code, `#` or `-`.
        public var marks: [String]
    }

    /// The pupil.
    public var upn: String
    /// The years, oldest first.
    public var years: [YearData]

    /// Builds the block for a pupil up to `today`.
    public init(state: LedgerState, school: LedgerOpened, pupil: PupilRecord, today: SchoolDate) {
        upn = pupil.upn
        var last = today
        if let left = pupil.left { last = min(last, left.adding(days: -1)) }
        var years: [YearData] = []
        var yearStart = pupil.admitted.academicYearStart
        while yearStart <= last {
            let (y, _, _) = yearStart.components
            let yearEnd = SchoolDate(year: y + 1, month: 7, day: 31)!
            let from = max(yearStart, pupil.admitted)
            let to = min(yearEnd, last)
            var codes: [Int32: [Session: String]] = [:]
            var figures = AttendanceFigures()
            var first: SchoolDate?
            state.forEachSession(of: pupil, from: from, to: to) { date, session, code in
                if first == nil { first = date }
                codes[date.day, default: [:]][session] = code?.text ?? "-"
                if let code { figures.add(code, on: date) }
            }
            if let first {
                var marks: [String] = []
                var day = first
                while day <= to {
                    for s in Session.allCases { marks.append(codes[day.day]?[s] ?? "#") }
                    day = day.adding(days: 1)
                }
                while marks.count >= 2 && marks[marks.count - 1] == "#" && marks[marks.count - 2] == "#" { marks.removeLast(2) }
                years.append(YearData(year: y, lea: school.la, estab: school.estab, schoolName: school.name, figures: figures,
                                      startDate: first, marks: marks))
            }
            yearStart = SchoolDate(year: y + 1, month: 8, day: 1)!
        }
        self.years = years
    }

    /// The `Attendance` element.
    public func element() -> XMLElement {
        let attendance = XMLElement(name: "Attendance")
        for y in years {
            let data = XMLElement(name: "YearData")
            for (name, value) in [("Year", String(y.year)), ("LEA", y.lea), ("Estab", y.estab), ("SchoolName", y.schoolName),
                                  ("SessionsPossible", String(y.figures.possibleSessions)),
                                  ("SessionsAuthorised", String(y.figures.authorisedAbsence)),
                                  ("SessionsAttended", String(y.figures.overallAttendance)),
                                  ("SessionsUnauthorised", String(y.figures.unauthorisedAbsence))] {
                data.addChild(XMLElement(name: name, stringValue: TextEscaping.xmlText(value)))
            }
            let sessions = XMLElement(name: "AttendSessions")
            sessions.addChild(XMLElement(name: "AttendanceStartDate", stringValue: y.startDate.description))
            sessions.addChild(XMLElement(name: "AttendanceMarks", stringValue: y.marks.joined(separator: ",")))
            data.addChild(sessions)
            attendance.addChild(data)
        }
        return attendance
    }

    /// The block as an XML document (root `Attendance`), indented.
    public func xml() -> String {
        let document = XMLDocument(rootElement: element())
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        let text = String(decoding: document.xmlData(options: [.nodePrettyPrint]), as: UTF8.self)
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}
