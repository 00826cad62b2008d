import RollbookLog
@testable import RollbookDomain
import Testing

/// Every event type's hand-written JSON decodes back to the same event.
struct EventTests {
    static let day = SchoolDate("2025-09-03")!
    static let events: [Event] = [
        .ledgerOpened(LedgerOpened(urn: "123456", name: "Test \"Quoted\" School", la: "938", estab: "2001", policy: "wimborne",
                                   amRegister: RegisterWindow("08:45-09:05")!, pmRegister: .defaultPM)),
        .termAdded(TermAdded(name: "Autumn 1", from: day, to: day.adding(days: 50))),
        .closureRecorded(ClosureRecorded(from: day, to: day, session: .pm, code: AttendanceCode("Y4")!, reason: "snow")),
        .closureRecorded(ClosureRecorded(from: day, to: day.adding(days: 1), session: nil, code: .closure, reason: "INSET")),
        .pupilAdmitted(PupilAdmitted(upn: "A123456789012", forename: "Zoë", surname: "O'Brien", dob: SchoolDate("2014-02-28")!,
                                     yearGroup: "7", group: "7A", admitted: day, flags: PupilFlags(sen: true, ehcp: false, pp: true, fsm: false))),
        .pupilDetailsChanged(PupilDetailsChanged(upn: "A123456789012", group: "7B")),
        .pupilDetailsChanged(PupilDetailsChanged(upn: "A123456789012", forename: "Zoe", surname: "Obrien", yearGroup: "8", group: "8A",
                                                 flags: PupilFlags(ehcp: true))),
        .pupilDeleted(PupilDeleted(upn: "A123456789012", on: day.adding(days: 30), ground: "moved away")),
        .registerTaken(RegisterTaken(group: "7A", date: day, session: .am)),
        .markRecorded(MarkRecorded(upn: "A123456789012", date: day, session: .am, code: .present)),
        .markRecorded(MarkRecorded(upn: "A123456789012", date: day, session: .pm, code: .presentPM)),
        .markRecorded(MarkRecorded(upn: "A123456789012", date: day, session: .am, code: .late, minutesLate: 12, note: "bus\nlate",
                                   recordedAt: Timestamp(parsing: "2019-09-04T08:45:00Z"))),
        .markAmended(MarkAmended(upn: "A123456789012", date: day, session: .am, original: .late, originalMinutesLate: 12,
                                 amended: .unauthorisedLate, minutesLate: 40, reason: "register closed at 09:00", amendedOn: day)),
        .markAmended(MarkAmended(upn: "A123456789012", date: day, session: .am, original: .noReason, originalMinutesLate: nil,
                                 amended: .sick, minutesLate: nil, reason: "ill", amendedOn: day)),
        .interventionRecorded(InterventionRecorded(upn: "A123456789012", action: "standard-letter", date: day, note: nil)),
        .returnsSent(ReturnsSent(entries: [ReturnsSent.Entry(kind: "deletion", upn: "A123456789012", from: day, to: day)])),
        .retentionDisposed(RetentionDisposed(before: day, ranges: [.init(firstSeq: 5, lastSeq: 9)], count: 5, seal: SHA256.hash(Array("x".utf8)))),
        .clockCorrected(ClockCorrected(reason: "the server clock was set to 2099", previousAt: Timestamp(parsing: "2099-01-01T00:00:00.000Z")!)),
    ]

    @Test(arguments: events)
    func encodesAndDecodesBack(_ event: Event) throws {
        let author = Author(name: "Sam Patel", position: "Attendance Officer")
        let record = event.record(by: author)
        // Frame it as the writer would, then decode as the reader would.
        let prefix = Array(#"{"seq":7,"at":"2025-09-03T09:05:00.000Z","prev":""#.utf8) + Array(repeating: UInt8(ascii: "0"), count: 64) + Array(#"","#.utf8)
        let line = prefix + record.dropFirst()
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#""type":"\#(event.typeName)","v":1,"author":"Sam Patel","position":"Attendance Officer""#))
        #expect(!text.contains(#"\/"#))
        let envelope = try line.withUnsafeBytes { bytes in
            try EventEnvelope(line: LogLine(seq: 7, at: Timestamp(parsing: "2025-09-03T09:05:00.000Z"), bytes: bytes,
                                            hash: .zero, segment: 1, lineNumber: 7))
        }
        #expect(envelope.event == event)
        #expect(envelope.author == author)
        #expect(envelope.seq == 7)
        #expect(envelope.version == 1)
    }

    @Test func everyEventTypeIsCovered() {
        #expect(Set(EventTests.events.map(\.type)) == Set(EventType.allCases))
    }

    /// The fast decoder and the general one give the same envelope for every event (the fast path takes
    /// marks, amendments and registers taken; the rest fall through to the general path).
    @Test(arguments: events)
    func theFastDecoderEqualsTheGeneralOne(_ event: Event) throws {
        let author = Author(name: "Sam Patel", position: "Attendance Officer")
        let prefix = Array(#"{"seq":9,"at":"2025-09-03T09:05:00.000Z","prev":""#.utf8) + Array(repeating: UInt8(ascii: "0"), count: 64) + Array(#"","#.utf8)
        let line = prefix + event.record(by: author).dropFirst()
        var decoder = EventLineDecoder()
        let (fast, general) = try line.withUnsafeBytes { bytes in
            let logLine = LogLine(seq: 9, at: Timestamp(parsing: "2025-09-03T09:05:00.000Z"), bytes: bytes, hash: .zero, segment: 1, lineNumber: 9)
            return (try decoder.decode(logLine), try EventEnvelope(line: logLine))
        }
        #expect(fast == general)
        let fastTypes: Set<EventType> = [.markRecorded, .markAmended, .registerTaken]
        if fastTypes.contains(event.type), case .markRecorded(let m) = event, m.note != nil {
            #expect(decoder.generalLines == 1, "a mark with a note takes the general path")
        } else if fastTypes.contains(event.type) {
            #expect(decoder.fastLines == 1, "\(event.type) takes the fast path")
        }
    }

    @Test func anUnknownVersionIsRefusedNamingTheMember() throws {
        let line = Array(#"{"seq":3,"at":"2025-09-03T09:05:00.000Z","prev":"0000000000000000000000000000000000000000000000000000000000000000","type":"mark.recorded","v":2,"author":"A","position":"B"}"#.utf8)
        #expect(throws: EventDecodingError(seq: 3, field: "v", problem: "is version 2, which this Rollbook does not know (it reads version 1)")) {
            try line.withUnsafeBytes { bytes in
                _ = try EventEnvelope(line: LogLine(seq: 3, at: Timestamp(milliseconds: 0), bytes: bytes, hash: .zero, segment: 1, lineNumber: 3))
            }
        }
    }
}

extension EventTests {
    /// A bad member inside an event's array is named with its path (the log layer's reader).
    @Test func aBadNestedMemberIsNamedWithItsPath() throws {
        let line = Array(#"{"seq":4,"at":"2025-09-03T09:05:00.000Z","prev":"0000000000000000000000000000000000000000000000000000000000000000","type":"returns.sent","v":1,"author":"A","position":"B","entries":[{"kind":"deletion","upn":"A123456789012","from":"2025-09-03","to":"2025-09-03"},{"kind":"deletion","from":"2025-09-03","to":"2025-09-03"}]}"#.utf8)
        #expect(throws: EventDecodingError(seq: 4, field: "entries[1].upn", problem: "is missing")) {
            try line.withUnsafeBytes { bytes in
                try EventEnvelope(line: LogLine(seq: 4, at: Timestamp(parsing: "2025-09-03T09:05:00.000Z"), bytes: bytes, hash: .zero, segment: 1, lineNumber: 4))
            }
        }
    }
}
