import RollbookDomain
import RollbookLog
import RollbookProjections
import Testing

struct AmendmentHistoryTests {
    let upn = "Y123456789001"

    @Test func theFocusedSessionListsTheOriginalThenEachAmendmentWithAuthorAndReason() {
        var f = ProjectionFixture(focus: .init(upn: upn, date: ProjectionFixture.date("2025-09-03"), session: .am))
        f.school()
        f.admit(upn)
        f.admit("M123456789002")
        let n = f.mark(upn, "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        f.mark(upn, "2025-09-03", .pm, "N", at: "2025-09-03T13:50:00Z")
        f.mark("M123456789002", "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        let i = f.amend(upn, "2025-09-03", .am, to: "I", at: "2025-09-04", reason: "ill", by: "Jo Reed", position: "Deputy")
        f.amend("M123456789002", "2025-09-03", .am, to: "O", at: "2025-09-05")
        let l = f.amend(upn, "2025-09-03", .am, to: "L", at: "2025-09-05", minutes: 12, reason: "late book", by: "Priya Shah", position: "Head")

        #expect(f.history.values.map(\.seq) == [n, i, l])
        #expect(f.history.values.map(\.kind) == [.recorded, .amended, .amended])
        #expect(f.history.values.map(\.code.text) == ["N", "I", "L"])
        #expect(f.history.values.map(\.author.name) == ["Sam Patel", "Jo Reed", "Priya Shah"])
        #expect(f.history.values.map(\.author.position) == ["Attendance Officer", "Deputy", "Head"])
        #expect(f.history.values.map(\.reason) == [nil, "ill", "late book"])
        #expect(f.history.values.last?.minutesLate == 12)
        // Every amendment in the log is listed, whatever the focus.
        #expect(f.history.amendments.map(\.event.upn) == [upn, "M123456789002", upn])
        #expect(f.history.amendments.map(\.event.original.text) == ["N", "N", "I"])
    }

    @Test func aClosureAppearsOnlyWhenItOverridesTheSession() {
        let day = "2025-09-04"
        var f = ProjectionFixture(focus: .init(upn: upn, date: ProjectionFixture.date(day), session: .am))
        f.school()
        f.admit(upn)
        f.mark(upn, day, .am, "I", at: "2025-09-04T09:05:00Z")
        f.close(day, day, nil, "Y2", at: "2025-09-04T10:00:00Z")      // Y1–Y7 do not override I
        #expect(f.history.values.map(\.code.text) == ["I"])
        let hash = f.close(day, day, .am, "#", at: "2025-09-04T11:00:00Z")  // # overrides everything but D
        #expect(f.history.values.map(\.code.text) == ["I", "#"])
        #expect(f.history.values.last?.seq == hash)
        #expect(f.history.values.last?.kind == .closure)
        #expect(f.history.values.last?.reason == "closed")
        f.close(day, day, .pm, "#", at: "2025-09-04T12:00:00Z")           // another session: not this one
        #expect(f.history.values.count == 2)
    }

    @Test func aDualRegisteredSessionIsNotOverriddenByAPlannedClosure() {
        let day = "2025-09-05"
        var f = ProjectionFixture(focus: .init(upn: upn, date: ProjectionFixture.date(day), session: .pm))
        f.school()
        f.admit(upn)
        f.mark(upn, day, .pm, "D", at: "2025-09-05T13:50:00Z")
        f.close(day, day, nil, "#", at: "2025-09-05T15:00:00Z")
        #expect(f.history.values.map(\.code.text) == ["D"])
    }
}
