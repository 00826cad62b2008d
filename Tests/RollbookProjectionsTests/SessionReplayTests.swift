import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import RollbookTestSupport
import Testing

/// ``SessionReplay``: a session's history folded from only the events that touch it equals the history
/// folded from every event (the whole-log fold of ``LedgerReplay``), at every as-of moment.
struct SessionReplayTests {
    static let upns = ["A000000000001", "A000000000002", "A000000000003", "A000000000004"]
    static let days = ["2025-09-03", "2025-09-04", "2025-09-05", "2025-09-08", "2025-09-09", "2025-09-10", "2025-10-01"]

    /// A random ledger: terms, admissions (some after their marks' recorded_at, some leavings and
    /// re-admissions), live and migrated marks, duplicate marks, amendments, closures of both kinds and a
    /// disposal, with times that mostly move forward.
    static func ledger(seed: UInt64) -> [EventEnvelope] {
        var random = SeededGenerator(seed: seed)
        var out: [EventEnvelope] = []
        var clock = Timestamp(parsing: "2025-08-20T08:00:00Z")!.milliseconds
        func add(_ event: Event, step: Int64 = 3_600_000) {
            clock += Int64.random(in: 0...step, using: &random)
            out.append(EventEnvelope(seq: out.count + 1, at: Timestamp(milliseconds: clock), version: 1,
                                     author: Author(name: ["Sam Patel", "Jo Reed"].randomElement(using: &random)!, position: "Officer"), event: event))
        }
        let day = { (text: String) in SchoolDate(text)! }
        let codes: [AttendanceCode] = [.present, .presentPM, .late, .noReason, .sick, .dualRegistered, .unauthorisedOther]
        add(.ledgerOpened(LedgerOpened(urn: "123456", name: "S", la: "938", estab: "2001", policy: "dfe", amRegister: .defaultAM, pmRegister: .defaultPM)))
        if Bool.random(using: &random) { add(.termAdded(TermAdded(name: "Autumn 1", from: day("2025-09-01"), to: day("2025-09-30")))) }
        for upn in upns.dropLast() {
            add(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "F", surname: "S", dob: day("2014-01-01"), yearGroup: "7", group: "7A",
                                             admitted: day("2025-09-03"), flags: PupilFlags())))
        }
        for _ in 0..<120 {
            let upn = upns.randomElement(using: &random)!
            let date = day(days.randomElement(using: &random)!)
            let session: Session = Bool.random(using: &random) ? .am : .pm
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<8:
                add(.pupilAdmitted(PupilAdmitted(upn: upn, forename: "F", surname: "S", dob: day("2014-01-01"), yearGroup: "7", group: "7A",
                                                 admitted: day(["2025-09-03", "2025-09-08"].randomElement(using: &random)!), flags: PupilFlags())))
            case 8..<11:
                add(.pupilDeleted(PupilDeleted(upn: upn, on: date, ground: "moved")))
            case 11..<14:
                add(.termAdded(TermAdded(name: "T", from: day("2025-09-01"), to: day(["2025-09-05", "2025-10-24"].randomElement(using: &random)!))))
            case 14..<19:
                add(.closureRecorded(ClosureRecorded(from: date, to: date.adding(days: Int.random(in: 0...2, using: &random)),
                                                     session: [nil, .am, .pm].randomElement(using: &random)!,
                                                     code: [.closure, AttendanceCode("Y1")!].randomElement(using: &random)!, reason: "closed")))
            case 19..<20:
                add(.retentionDisposed(RetentionDisposed(before: day(["2025-09-04", "2025-09-09"].randomElement(using: &random)!), ranges: [],
                                                         count: 0, seal: .zero)))
            case 20..<22:
                add(.clockCorrected(ClockCorrected(reason: "clock", previousAt: Timestamp(milliseconds: clock))))
                clock -= 86_400_000
            case 22..<30:
                add(.interventionRecorded(InterventionRecorded(upn: upn, action: "standard-letter", date: date, note: nil)))
            case 30..<45:
                add(.markAmended(MarkAmended(upn: upn, date: date, session: session, original: .noReason, originalMinutesLate: nil,
                                             amended: codes.randomElement(using: &random)!, minutesLate: nil, reason: "note", amendedOn: date)))
            default:
                let code = codes.randomElement(using: &random)!
                // Some history migrated with an earlier recorded_at.
                let recordedAt = Int.random(in: 0..<4, using: &random) == 0 ? Timestamp(milliseconds: clock - 20 * 86_400_000) : nil
                add(.markRecorded(MarkRecorded(upn: upn, date: date, session: session, code: code, minutesLate: code == .late ? 5 : nil,
                                               recordedAt: recordedAt)))
            }
        }
        return out
    }

    /// The whole-log fold, exactly as LedgerReplay.loadOnce folds the envelopes it reads.
    static func whole(_ envelopes: [EventEnvelope], focus: AmendmentHistory.Focus, asOf: Timestamp?) -> (AmendmentHistory, LedgerState) {
        var state = LedgerState()
        var history = AmendmentHistory(focus: focus)
        var filter = asOf.map { KnowledgeFilter(asOf: $0) }
        for envelope in envelopes {
            guard filter != nil else {
                state.apply(envelope)
                history.apply(envelope, state: state)
                continue
            }
            let applied = filter!.admit(envelope) { known in
                state.apply(known)
                history.apply(known, state: state)
            }
            if !applied, case .retentionDisposed(let e) = envelope.event { state.disposals.append((envelope.seq, e)) }
        }
        return (history, state)
    }

    /// The events ``SessionReplay/touch(_:)`` says touch the session.
    static func touching(_ envelopes: [EventEnvelope], _ focus: AmendmentHistory.Focus) -> [EventEnvelope] {
        envelopes.filter { envelope in
            switch SessionReplay.touch(envelope.event) {
            case .session(let upn, let date, let session)?: upn == focus.upn && date == focus.date && session == focus.session
            case .pupil(let upn)?: upn == focus.upn
            case .dates(let from, let to)?: from <= focus.date && focus.date <= to
            case .everySession?: true
            case nil: false
            }
        }
    }

    @Test func theEventsTouchingASessionGiveTheSameHistoryAsTheWholeLog() throws {
        var compared = 0, declined = 0, withValues = 0
        for seed in UInt64(1)...16 {
            let envelopes = SessionReplayTests.ledger(seed: seed)
            let moments: [Timestamp?] = [nil] + stride(from: 0, to: envelopes.count, by: 23).map { envelopes[$0].at }
                + [Timestamp(parsing: "2025-09-01T00:00:00Z")!]
            for upn in SessionReplayTests.upns + ["A000000000009"] {
                for text in SessionReplayTests.days {
                    for session in Session.allCases {
                        let focus = AmendmentHistory.Focus(upn: upn, date: SchoolDate(text)!, session: session)
                        let touching = SessionReplayTests.touching(envelopes, focus)
                        for asOf in moments {
                            let subset = SessionReplay.needsMigratedMarks(focus: focus, envelopes: touching, asOf: asOf)
                                ? envelopes.filter { touching.contains($0) || SessionReplay.migratedMarkPupil($0) == upn } : touching
                            let (history, state) = SessionReplayTests.whole(envelopes, focus: focus, asOf: asOf)
                            guard let fast = SessionReplay(focus: focus, envelopes: subset, asOf: asOf) else {
                                #expect(asOf != nil, "only an as-of moment may need the whole log")
                                declined += 1
                                continue
                            }
                            compared += 1
                            if !history.values.isEmpty { withValues += 1 }
                            let context = "seed \(seed) \(upn) \(text) \(session) as of \(asOf?.description ?? "now")"
                            #expect(fast.history.values == history.values, "\(context)")
                            #expect((fast.state.pupilIndex[upn] != nil) == (state.pupilIndex[upn] != nil), "\(context)")
                            let standing = state.pupilIndex[upn].flatMap { state.effectiveCode(pupil: $0, date: focus.date, session: session)?.code }
                            let fastStanding = fast.state.pupilIndex[upn].flatMap {
                                fast.state.effectiveCode(pupil: $0, date: focus.date, session: session)?.code
                            }
                            #expect(fastStanding == standing, "\(context)")
                            #expect(fast.state.disposal(reaching: focus.date)?.seq == state.disposal(reaching: focus.date)?.seq, "\(context)")
                        }
                    }
                }
            }
        }
        // The comparison is not vacuous: most cases are answered from the subset, and many have values.
        #expect(compared > 5 * declined)  // declined only after a clock correction, frequent here
        #expect(withValues > 1000)
    }

    @Test func eventsThatChangeNoSessionTouchNone() {
        let day = SchoolDate("2025-09-03")!
        #expect(SessionReplay.touch(.interventionRecorded(InterventionRecorded(upn: "A000000000001", action: "call", date: day, note: nil))) == nil)
        #expect(SessionReplay.touch(.markRecorded(MarkRecorded(upn: "A000000000001", date: day, session: .pm, code: .present)))
            == .session(upn: "A000000000001", date: day, session: .pm))
        #expect(SessionReplay.touch(.closureRecorded(ClosureRecorded(from: day, to: day.adding(days: 2), session: .am, code: .closure, reason: "r")))
            == .dates(from: day, to: day.adding(days: 2)))
    }
}
