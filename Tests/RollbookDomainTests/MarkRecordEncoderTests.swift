import RollbookDomain
import RollbookLog
import Testing

struct MarkRecordEncoderTests {
    static let marks: [MarkRecorded] = [
        MarkRecorded(upn: "Y123456789001", date: SchoolDate("2025-09-03")!, session: .am, code: .present),
        MarkRecorded(upn: "Y123456789001", date: SchoolDate("2025-09-03")!, session: .pm, code: .presentPM),
        MarkRecorded(upn: "Y123456789001", date: SchoolDate("2025-09-04")!, session: .am, code: .late, minutesLate: 12),
        MarkRecorded(upn: "Y123456789001", date: SchoolDate("2019-09-04")!, session: .pm, code: AttendanceCode("H")!,
                     recordedAt: Timestamp(parsing: "2019-09-04T13:50:00Z")),
        MarkRecorded(upn: "Y123456789001", date: SchoolDate("2025-09-05")!, session: .am, code: AttendanceCode("C1")!, note: "Funeral \"family\""),
        MarkRecorded(upn: "A12345678\\9001", date: SchoolDate("0999-01-05")!, session: .am, code: AttendanceCode("Y7")!),
    ]

    @Test(arguments: marks)
    func encodesExactlyAsTheEventDoes(mark: MarkRecorded) {
        for author in [Author(name: "Sam Patel", position: "Attendance Officer"), Author(name: "Zoë \"Z\" O'Neil", position: "Head\\Deputy")] {
            #expect(MarkRecordEncoder(author: author).record(mark) == Event.markRecorded(mark).record(by: author))
        }
    }
}
