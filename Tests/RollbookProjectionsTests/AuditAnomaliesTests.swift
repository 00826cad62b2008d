import RollbookDomain
import RollbookLog
import RollbookProjections
import Testing

struct AuditAnomaliesTests {
    func findings(_ f: ProjectionFixture, on: String = "2025-10-24", rules: AnomalyRules = AnomalyRules(),
                  _ rule: AuditAnomalies.Rule) -> [AuditAnomalies.Finding] {
        f.anomalies.findings(state: f.state, on: ProjectionFixture.date(on), rules: rules).filter { $0.rule == rule }
    }

    @Test func anAmendmentMoreThanTenSchoolDaysAfterItsSessionIsLate() {
        var f = ProjectionFixture()
        f.school()
        f.admit("A1")
        f.admit("A2")
        let m1 = f.mark("A1", "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        f.mark("A2", "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        // 4–17 September hold 10 school days; the 18th is the 11th.
        f.amend("A2", "2025-09-03", .am, to: "I", at: "2025-09-17")
        let late = f.amend("A1", "2025-09-03", .am, to: "I", at: "2025-09-18")
        let found = findings(f, .lateAmendment)
        #expect(found.map(\.seqs) == [[m1, late]])
        #expect(found.first?.upn == "A1")
        #expect(found.first?.message.contains("11 school days (15 calendar days)") == true)
        var strict = AnomalyRules()
        strict.lateAmendmentSchoolDays = 9
        #expect(findings(f, rules: strict, .lateAmendment).count == 2)
    }

    @Test func anNReplacedAfterItsFifthSchoolDayOrStillStandingIsFlagged() {
        var g = ProjectionFixture()
        g.school()
        for upn in ["A1", "A2", "A3"] { g.admit(upn) }
        // The session is Wednesday 3 September; its fifth school day after is Wednesday 10 September.
        g.mark("A1", "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        let n2 = g.mark("A2", "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        let n3 = g.mark("A3", "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        g.amend("A1", "2025-09-03", .am, to: "O", at: "2025-09-10")             // on the deadline: fine
        let late = g.amend("A2", "2025-09-03", .am, to: "O", at: "2025-09-11")  // a day late
        #expect(findings(g, on: "2025-09-10", .noReasonPastDeadline).map(\.seqs) == [[n2, late]])
        #expect(findings(g, on: "2025-09-11", .noReasonPastDeadline).map(\.seqs) == [[n2, late], [n3]])
        #expect(findings(g, on: "2025-09-11", .noReasonPastDeadline).last?.message.contains("still stands") == true)
        // A planned closure overrides the session: the N no longer stands in the register.
        g.close("2025-09-03", "2025-09-03", .am, "#", at: "2025-09-12")
        #expect(findings(g, on: "2025-09-12", .noReasonPastDeadline).isEmpty)
    }

    @Test func oneAuthorWithMoreThanHalfOfAtLeastTenAmendmentsIsFlagged() {
        var f = ProjectionFixture()
        f.school()
        var seqs: [Int] = []
        for i in 0..<19 {
            let upn = "A\(i)"
            f.admit(upn)
            f.mark(upn, "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        }
        for i in 0..<19 {
            let by = i < 10 ? "Jo Reed" : "Sam Patel"
            let seq = f.amend("A\(i)", "2025-09-03", .am, to: "I", at: "2025-09-04", by: by)
            if i < 10 { seqs.append(seq) }
        }
        let found = findings(f, .authorShare)
        #expect(found.map(\.author) == ["Jo Reed"])
        #expect(found.first?.seqs == seqs)
        #expect(found.first?.message.contains("10 of the 19 amendments (52.6%)") == true)
        f.admit("A19")
        f.mark("A19", "2025-09-03", .am, "N", at: "2025-09-04T09:05:00Z")
        f.amend("A19", "2025-09-03", .am, to: "I", at: "2025-09-05", by: "Sam Patel")
        #expect(findings(f, .authorShare).isEmpty, "10 of 20 is exactly half, not more")
    }

    @Test func anAmendmentThatChangesCensusFiguresAfterACensusDayIsFlagged() {
        var f = ProjectionFixture()
        f.school()
        for upn in ["A1", "A2", "A3", "A4"] { f.admit(upn) }
        let m1 = f.mark("A1", "2025-09-30", .am, "N", at: "2025-09-30T09:05:00Z")
        f.mark("A2", "2025-09-30", .am, "/", at: "2025-09-30T09:05:00Z")
        f.mark("A3", "2025-09-30", .am, "N", at: "2025-09-30T09:05:00Z")
        let m4 = f.mark("A4", "2025-09-30", .am, "N", at: "2025-09-30T09:05:00Z")
        // The autumn census day is Thursday 2 October 2025.
        let a1 = f.amend("A1", "2025-09-30", .am, to: "I", at: "2025-10-03")                // unauthorised to authorised
        f.amend("A2", "2025-09-30", .am, to: "L", at: "2025-10-03", minutes: 5)              // present either way
        f.amend("A3", "2025-09-30", .am, to: "I", at: "2025-10-02T15:00:00Z")                // on the census day: not after it
        let a4 = f.amend("A4", "2025-09-30", .am, to: "O", at: "2025-10-06")                 // same total, another reason
        let found = findings(f, .afterCensus)
        #expect(found.map(\.seqs) == [[m1, a1], [m4, a4]])
        #expect(found.first?.message.contains("census day 2025-10-02") == true)
    }

    @Test func marksForADayBeforeTheAdmissionWasRecordedAreFlagged() {
        var f = ProjectionFixture()
        f.school()
        f.admit("A1")
        f.mark("A1", "2025-09-03", .am, "/", at: "2025-09-03T09:05:00Z")
        let admission = f.admit("A2", on: "2025-09-08", at: "2025-09-10T08:00:00Z")
        let early1 = f.mark("A2", "2025-09-08", .am, "/", at: "2025-09-10T09:00:00Z")
        let early2 = f.mark("A2", "2025-09-09", .pm, "/", at: "2025-09-10T09:00:00Z")
        f.mark("A2", "2025-09-10", .am, "/", at: "2025-09-10T09:05:00Z")
        f.mark("A2", "2025-09-05", .am, "/", at: "2025-09-10T09:00:00Z", recordedAt: "2025-09-05T09:00:00Z")  // migrated history
        let orphan = f.mark("A9", "2025-09-10", .am, "/", at: "2025-09-10T09:05:00Z")
        let found = findings(f, .markBeforeAdmission)
        #expect(found.map(\.upn) == ["A2", "A9"])
        #expect(found.map(\.seqs) == [[admission, early1, early2], [orphan]])
        #expect(found.first?.message.contains("2 marks for 2025-09-08 to 2025-09-09") == true)
        #expect(found.last?.message.contains("no admission recorded") == true)
    }

    @Test func aCleanLedgerHasNoFindings() {
        var f = ProjectionFixture()
        f.school()
        f.admit("A1")
        f.mark("A1", "2025-09-03", .am, "N", at: "2025-09-03T09:05:00Z")
        f.amend("A1", "2025-09-03", .am, to: "I", at: "2025-09-04")
        f.mark("A1", "2025-09-03", .pm, "\\", at: "2025-09-03T13:50:00Z")
        #expect(f.anomalies.findings(state: f.state, on: ProjectionFixture.date("2025-10-24")).isEmpty)
    }
}
