#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif
import RollbookDomain
import RollbookLog
import RollbookProjections

/// A whole Common Transfer File (CTF 25) for one pupil, as receiving schools' systems import it
/// (PRODUCT.md section 8), built with FoundationXML's `XMLDocument`, never by concatenating strings.
///
/// The envelope follows DfE's own CTF 25 writer (`XmlCtfFormatter.cs` in the public
/// `DFE-Digital/get-information-about-pupils` repository):
/// `CTfile/Header/{DocumentName, CTFversion, DateTime, DocumentQualifier, SupplierID,
/// SourceSchool/{LEA, Estab, SchoolName, AcademicYear}, DestSchool/{LEA, Estab}}` (DestSchool only when
/// known) and `CTfile/CTFpupilData/Pupil/{UPN, Surname, Forename, DOB, Sex}` (Sex only when held), to
/// which Rollbook adds the pupil's `Attendance/YearData` blocks (``TransferAttendance``). The file holds
/// identity and attendance only, so its `DocumentQualifier` is `partial`.
public struct CommonTransferFile: Sendable {
    /// A school as the header names it.
    public struct School: Sendable, Hashable {
        /// The local-authority code (3 digits).
        public var lea: String
        /// The establishment number (4 digits).
        public var estab: String
        /// Creates a school reference.
        public init(lea: String, estab: String) { self.lea = lea; self.estab = estab }
    }

    /// `DocumentName`.
    public static let documentName = "Common Transfer File"
    /// `CTFversion`.
    public static let version = "25.0"
    /// `DocumentQualifier`: the file carries part of a pupil's record (identity and attendance).
    public static let qualifier = "partial"
    /// `SupplierID`.
    public static let supplier = "Rollbook"

    /// The school sending the file.
    public var source: LedgerOpened
    /// The school receiving it, when known.
    public var destination: School?
    /// When the file was made.
    public var made: Timestamp
    /// The academic year the file is made in (the calendar year it starts in).
    public var academicYear: Int
    /// The pupil (its `sex` is written when the admission register holds it).
    public var pupil: PupilRecord
    /// The pupil's attendance.
    public var attendance: TransferAttendance

    /// Creates the file.
    public init(source: LedgerOpened, destination: School?, made: Timestamp, academicYear: Int, pupil: PupilRecord,
                attendance: TransferAttendance) {
        self.source = source
        self.destination = destination
        self.made = made
        self.academicYear = academicYear
        self.pupil = pupil
        self.attendance = attendance
    }

    /// The document.
    public func xmlDocument() -> XMLDocument {
        let root = XMLElement(name: "CTfile")
        let header = XMLElement(name: "Header")
        CommonTransferFile.add(header, [("DocumentName", CommonTransferFile.documentName), ("CTFversion", CommonTransferFile.version),
                                        ("DateTime", String(made.description.prefix(19))),
                                        ("DocumentQualifier", CommonTransferFile.qualifier), ("SupplierID", CommonTransferFile.supplier)])
        let sourceSchool = XMLElement(name: "SourceSchool")
        CommonTransferFile.add(sourceSchool, [("LEA", source.la), ("Estab", source.estab), ("SchoolName", source.name),
                                              ("AcademicYear", String(academicYear))])
        header.addChild(sourceSchool)
        if let destination {
            let dest = XMLElement(name: "DestSchool")
            CommonTransferFile.add(dest, [("LEA", destination.lea), ("Estab", destination.estab)])
            header.addChild(dest)
        }
        root.addChild(header)

        let data = XMLElement(name: "CTFpupilData")
        let element = XMLElement(name: "Pupil")
        CommonTransferFile.add(element, [("UPN", pupil.upn), ("Surname", pupil.surname), ("Forename", pupil.forename),
                                         ("DOB", pupil.dob.description)])
        if let sex = pupil.sex { CommonTransferFile.add(element, [("Sex", sex)]) }
        element.addChild(attendanceElement())
        data.addChild(element)
        root.addChild(data)

        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document
    }

    /// The `Attendance` element: one `YearData` per academic year on roll.
    func attendanceElement() -> XMLElement {
        let element = XMLElement(name: "Attendance")
        for y in attendance.years {
            let data = XMLElement(name: "YearData")
            CommonTransferFile.add(data, [("Year", String(y.year)), ("LEA", source.la), ("Estab", source.estab),
                                          ("SchoolName", source.name),
                                          ("SessionsPossible", String(y.figures.possibleSessions)),
                                          ("SessionsAuthorised", String(y.figures.authorisedAbsence)),
                                          ("SessionsAttended", String(y.figures.overallAttendance)),
                                          ("SessionsUnauthorised", String(y.figures.unauthorisedAbsence))])
            let sessions = XMLElement(name: "AttendSessions")
            CommonTransferFile.add(sessions, [("AttendanceStartDate", y.startDate.description), ("AttendanceMarks", y.marks)])
            data.addChild(sessions)
            element.addChild(data)
        }
        return element
    }

    /// Appends one text element per pair, the text made safe for XML 1.0.
    static func add(_ parent: XMLElement, _ children: [(String, String)]) {
        for (name, value) in children { parent.addChild(XMLElement(name: name, stringValue: XMLText.safe(value))) }
    }

    /// The XML text, indented.
    public func xml() -> String { XMLText.serialize(xmlDocument()) }
}

extension CommonTransferFile {
    /// The file for a pupil as the ledger stands, made at `made` with the school's date `today`, with
    /// the warnings an export gives when the pupil's time on roll holds no term, or school days with no
    /// marks (``ExportCoverage``).
    public static func export(state: LedgerState, school: LedgerOpened, pupil: PupilRecord, destination: School?,
                              made: Timestamp, today: SchoolDate) -> (file: CommonTransferFile, warnings: [String]) {
        let attendance = TransferAttendance(state: state, pupil: pupil, today: today)
        let file = CommonTransferFile(source: school, destination: destination, made: made,
                                      academicYear: today.academicYearStart.components.year, pupil: pupil,
                                      attendance: attendance)
        let last = pupil.left.map { min(today, $0.adding(days: -1)) } ?? today
        let coverage = ExportCoverage(state: state, from: pupil.firstAdmitted, to: last, pupils: [pupil])
        return (file, coverage.warnings(label: "the time on roll of UPN \(pupil.upn)"))
    }
}
