// The attendance code table: the one place that classifies a register code.
//
// Sources: the School Attendance (Pupil Registration) (England) Regulations 2024 and the DfE
// guidance "Working together to improve school attendance" (codes in force from 19 August 2024),
// plus the earlier codes that imported history may still contain. See PRODUCT.md section 2.
//
// RULES FOR EDITING
// - A code's position in `entries` is its `AttendanceCode.index`, which projections persist.
//   Never reorder or remove a row; append new codes at the end.
// - `AttendanceCode.tableIndex(_:_:)` (AttendanceCode.swift) maps bytes to these positions and
//   must be updated with the table; the tests check the two agree.

extension AttendanceCode {
    /// One row of the code table.
    struct Entry: Sendable {
        /// The code as recorded.
        let text: String
        /// Short DfE description.
        let meaning: String
        /// Category on sessions before 19 August 2024.
        let before2024: AttendanceCategory
        /// Category on sessions from 19 August 2024.
        let from2024: AttendanceCategory
        /// First day (day number) on which the code may be recorded; `Int32.min` if always.
        let validFromDay: Int32
        /// First day (day number) on which the code may no longer be recorded; `Int32.max` if current.
        let validBeforeDay: Int32

        /// A code whose category does not depend on the date.
        init(_ text: String, _ category: AttendanceCategory, _ meaning: String,
             validFromDay: Int32 = .min, validBeforeDay: Int32 = .max) {
            self.init(text, before2024: category, from2024: category, meaning,
                      validFromDay: validFromDay, validBeforeDay: validBeforeDay)
        }

        /// A code whose category changed on 19 August 2024.
        init(_ text: String, before2024: AttendanceCategory, from2024: AttendanceCategory, _ meaning: String,
             validFromDay: Int32 = .min, validBeforeDay: Int32 = .max) {
            self.text = text
            self.meaning = meaning
            self.before2024 = before2024
            self.from2024 = from2024
            self.validFromDay = validFromDay
            self.validBeforeDay = validBeforeDay
        }
    }

    /// The code table, in index order. Append only.
    static let entries: [Entry] = {
        let new2024 = codeChange2024Day
        return [
            // Present.
            Entry("/", .present, "Present (AM)"),                                                      // 0
            Entry("\\", .present, "Present (PM)"),                                                     // 1
            Entry("L", .presentLate, "Late arrival before the register has closed"),                   // 2
            // Attending a place other than the school: approved educational activity.
            Entry("K", .approvedActivity, "Attending education provision arranged by the local authority",
                  validFromDay: new2024),                                                                // 3
            Entry("V", .approvedActivity, "Attending an educational visit or trip"),                   // 4
            Entry("P", .approvedActivity, "Participating in a sporting activity"),                     // 5
            Entry("W", .approvedActivity, "Attending work experience"),                                // 6
            Entry("B", .approvedActivity, "Attending any other approved educational activity"),        // 7
            // Absent: leave of absence (authorised).
            Entry("C1", .leaveOfAbsence,
                  "Leave of absence for the purpose of participating in a regulated performance "
                      + "or undertaking regulated employment abroad",
                  validFromDay: new2024),                                                                // 8
            Entry("M", .leaveOfAbsence,
                  "Leave of absence for the purpose of attending a medical or dental appointment"),     // 9
            Entry("J1", .leaveOfAbsence, "Leave of absence for the purpose of attending an interview",
                  validFromDay: new2024),                                                                // 10
            Entry("S", .leaveOfAbsence,
                  "Leave of absence for the purpose of studying for a public examination"),             // 11
            Entry("C2", .leaveOfAbsence,
                  "Leave of absence for a compulsory school age pupil subject to a part-time timetable",
                  validFromDay: new2024),                                                                // 12
            Entry("C", .leaveOfAbsence, "Leave of absence for exceptional circumstances"),             // 13
            // Absent: other authorised reasons.
            Entry("T", .otherAuthorised, "Parent travelling for occupational purposes"),               // 14
            Entry("R", .otherAuthorised, "Religious observance"),                                      // 15
            Entry("I", .otherAuthorised, "Illness (not medical or dental appointment)"),               // 16
            Entry("E", .otherAuthorised, "Suspended or permanently excluded and no alternative provision made"), // 17
            // Absent: unauthorised.
            Entry("G", .unauthorised, "Holiday not granted by the school"),                            // 18
            Entry("N", .unauthorised, "Reason for absence not yet established"),                       // 19
            Entry("O", .unauthorised, "Absent in other or unknown circumstances"),                     // 20
            Entry("U", .unauthorisedLate, "Arrived in school after registration closed"),              // 21
            // Not possible sessions.
            Entry("D", .notPossible, "Dual registered: attending a session at another school where also registered"), // 22
            Entry("X", .notPossible, "Not required to be in school: pupil of non-compulsory school age"), // 23
            // Absent: unable to attend school because of an unavoidable cause (not possible).
            Entry("Q", .notPossible, "Unable to attend the school because of a lack of access arrangements",
                  validFromDay: new2024),                                                                // 24
            Entry("Y1", .notPossible, "Unable to attend due to transport normally provided not being available",
                  validFromDay: new2024),                                                                // 25
            Entry("Y2", .notPossible, "Unable to attend due to widespread disruption to travel",
                  validFromDay: new2024),                                                                // 26
            Entry("Y3", .notPossible, "Unable to attend due to part of the school premises being closed",
                  validFromDay: new2024),                                                                // 27
            Entry("Y4", .notPossible, "Unable to attend due to the whole school site being unexpectedly closed",
                  validFromDay: new2024),                                                                // 28
            Entry("Y5", .notPossible, "Unable to attend as pupil is in criminal justice detention",
                  validFromDay: new2024),                                                                // 29
            Entry("Y6", .notPossible, "Unable to attend in accordance with public health guidance or law",
                  validFromDay: new2024),                                                                // 30
            Entry("Y7", .notPossible, "Unable to attend because of any other unavoidable cause",
                  validFromDay: new2024),                                                                // 31
            // Administrative codes (not possible).
            Entry("Z", .notPossible, "Prospective pupil not on admission register"),                   // 32
            Entry("#", .notPossible, "Planned whole school closure"),                                  // 33
            // Legacy codes: read from imported history, refused on new sessions.
            Entry("H", .leaveOfAbsence, "Authorised family holiday",
                  validBeforeDay: new2024),                                                              // 34
            Entry("F", .leaveOfAbsence, "Agreed extended family holiday",
                  validBeforeDay: extendedHolidayRetiredDay),                                            // 35
            // J stays approved educational activity after its retirement, as DfE's statistics count
            // the J still found in migrated 2024/25 history; the interview leave of absence is J1.
            Entry("J", .approvedActivity, "Interview",
                  validBeforeDay: new2024),                                                              // 36
            Entry("Y", .notPossible, "Unable to attend due to exceptional circumstances",
                  validBeforeDay: new2024),                                                              // 37
        ]
    }()

    /// Category of each code on sessions before 19 August 2024, by index.
    @usableFromInline
    static let categoriesBefore2024: [AttendanceCategory] = entries.map(\.before2024)

    /// Category of each code on sessions from 19 August 2024, by index.
    @usableFromInline
    static let categoriesFrom2024: [AttendanceCategory] = entries.map(\.from2024)

    /// First valid day of each code, by index (`Int32.min` if always valid).
    static let validFromDay: [Int32] = entries.map(\.validFromDay)

    /// First day each code is no longer valid, by index (`Int32.max` if current).
    static let validBeforeDay: [Int32] = entries.map(\.validBeforeDay)
}
