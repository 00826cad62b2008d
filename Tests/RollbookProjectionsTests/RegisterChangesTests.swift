import RollbookDomain
import RollbookLog
import RollbookProjections
import Testing

struct RegisterChangesTests {
    @Test func marksAmendmentsAndOverridingClosuresAfterTheMomentAreChanges() {
        var f = ProjectionFixture(changesAfter: Timestamp(parsing: "2025-09-03T12:00:00Z"))
        f.school()
        f.admit("A1")
        f.admit("A2")
        f.admit("A3", on: "2025-09-10")                                 // not on roll on the 4th
        f.mark("A1", "2025-09-03", .am, "L", at: "2025-09-03T09:05:00Z", minutes: 5)  // before the moment
        let mark = f.mark("A2", "2025-09-04", .am, "I", at: "2025-09-04T09:05:00Z")
        let amend = f.amend("A1", "2025-09-03", .am, to: "L", at: "2025-09-04T10:00:00Z", minutes: 10)  // minutes only: still a change
        let closure = f.close("2025-09-04", "2025-09-04", .am, "Y1", at: "2025-09-04T11:00:00Z")  // Y1 overrides an empty session, not I
        let rows = f.changes.changes.map { c in
            "\(c.seq) \(c.upn) \(c.date) \(c.session) \(c.before?.text ?? "-")\(c.beforeMinutesLate.map { " \($0)" } ?? "")"
                + " > \(c.after?.text ?? "-")\(c.afterMinutesLate.map { " \($0)" } ?? "") \(c.author.name)"
        }
        #expect(rows == [
            "\(mark) A2 2025-09-04 AM - > I Sam Patel",
            "\(amend) A1 2025-09-03 AM L 5 > L 10 Sam Patel",
            "\(closure) A1 2025-09-04 AM - > Y1 Sam Patel",
        ])
    }

    @Test func aReplacedClosureIsAChangeFromTheOldClosureCode() {
        var f = ProjectionFixture(changesAfter: nil)
        f.school()
        f.admit("A1")
        f.close("2025-09-05", "2025-09-05", .pm, "Y1", at: "2025-09-04T11:00:00Z")
        f.close("2025-09-05", "2025-09-05", nil, "#", at: "2025-09-04T12:00:00Z")
        let rows = f.changes.changes.map { "\($0.session) \($0.before?.text ?? "-") > \($0.after?.text ?? "-")" }
        #expect(rows == ["PM - > Y1", "AM - > #", "PM Y1 > #"])
    }

    @Test func aBackdatedDeletionTakesMarkedSessionsOutOfTheRegisters() {
        var f = ProjectionFixture(changesAfter: nil)
        f.school()
        f.admit("A1")
        f.mark("A1", "2025-09-04", .am, "/", at: "2025-09-04T09:05:00Z")
        f.mark("A1", "2025-09-05", .am, "N", at: "2025-09-05T09:05:00Z")
        f.mark("A1", "2025-09-05", .pm, "L", at: "2025-09-05T13:50:00Z", minutes: 3)
        let deletion = f.add(.pupilDeleted(PupilDeleted(upn: "A1", on: ProjectionFixture.date("2025-09-05"), ground: "moved away")), at: "2025-09-08")
        let rows = f.changes.changes.filter { $0.seq == deletion }.map { "\($0.date) \($0.session) \($0.before?.text ?? "-") > \($0.after?.text ?? "-")" }
        #expect(rows == ["2025-09-05 AM N > -", "2025-09-05 PM L > -"])
        let back = f.admit("A1", on: "2025-09-03", at: "2025-09-09")
        #expect(f.changes.changes.filter { $0.seq == back }.map { "\($0.date) \($0.session) \($0.before?.text ?? "-") > \($0.after?.text ?? "-")" }
                    == ["2025-09-05 AM - > N", "2025-09-05 PM - > L"])
    }
}
