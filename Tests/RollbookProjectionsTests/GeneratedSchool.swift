import RollbookDomain
import RollbookLog
@testable import RollbookProjections
import RollbookTestSupport

/// A seeded, generated school's events for comparing fast paths with their references: terms from
/// September 2023 to October 2025 (one crossing 1 August 2024, one crossing 19 August 2024, when the
/// codes changed), closures of both kinds (`#` and `Y1`–`Y7`, one session or both), pupils admitted,
/// deleted and re-admitted at any time, every code of the table (legacy ones included) with gaps left
/// unmarked, runs of absence, amendments and interventions of every action the presets name.
struct GeneratedSchool {
    var envelopes: [EventEnvelope] = []
    var calendar = SchoolCalendar()

    init(seed: UInt64, pupils: Int = 24) {
        var rng = SeededGenerator(seed: seed)
        var events: [(at: Timestamp, event: Event)] = []
        let setUp = Timestamp(parsing: "2023-06-01T09:00:00Z")!
        func at(_ date: SchoolDate, _ time: String) -> Timestamp { Timestamp(parsing: "\(date)T\(time)Z")! }
        events.append((setUp, .ledgerOpened(LedgerOpened(urn: "123456", name: "S", la: "938", estab: "2001", policy: "dfe",
                                                         amRegister: .defaultAM, pmRegister: .defaultPM))))
        let terms: [(String, String, String)] = [
            ("Autumn 2023", "2023-09-04", "2023-12-20"), ("Spring 2024", "2024-01-08", "2024-03-28"),
            ("Summer 2024", "2024-04-15", "2024-08-02"), ("Summer school 2024", "2024-08-12", "2024-08-30"),
            ("Autumn 2024", "2024-09-03", "2024-12-20"), ("Spring 2025", "2025-01-06", "2025-04-04"),
            ("Summer 2025", "2025-04-22", "2025-07-22"), ("Autumn 2025", "2025-09-02", "2025-10-24"),
        ]
        for (name, from, to) in terms {
            let term = TermAdded(name: name, from: SchoolDate(from)!, to: SchoolDate(to)!)
            calendar.addTerm(name: term.name, from: term.from, to: term.to)
            events.append((setUp, .termAdded(term)))
        }
        let first = SchoolDate("2023-09-04")!, last = SchoolDate("2025-10-24")!
        let span = Int(last.day - first.day)
        func randomDay(_ rng: inout SeededGenerator) -> SchoolDate { first.adding(days: Int.random(in: 0...span, using: &rng)) }
        // Closures: recorded on their first day, over one to three days, one session or both.
        let closureCodes = ["#", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"]
        for c in 0..<16 {
            let from = c == 0 ? SchoolDate("2024-08-19")! : randomDay(&rng)
            let session: Session? = [nil, .am, .pm].randomElement(using: &rng)!
            let code = AttendanceCode(closureCodes.randomElement(using: &rng)!)!
            let closure = ClosureRecorded(from: from, to: from.adding(days: Int.random(in: 0...2, using: &rng)), session: session,
                                          code: code, reason: "closed")
            events.append((at(from, "07:00:00"), .closureRecorded(closure)))
        }
        let actions = Set(PresetPolicies.ids.flatMap { id -> [String] in
            let policy = StagePolicy.preset(id)!
            return policy.stages.flatMap { $0.actions.map(\.action) } + policy.flags.flatMap { $0.actions.map(\.action) }
        }).sorted()
        let common = ["/", "\\", "/", "\\", "/", "\\", "L", "N", "O", "I", "M", "U", "G", "C"]
        for p in 0..<pupils {
            let upn = "G" + String(100_000_000_000 + p)
            // Spells on roll: admitted at any time, some deleted, some of those re-admitted (once or twice).
            var spells: [(SchoolDate, SchoolDate?)] = []
            var admitted = p % 5 == 0 ? randomDay(&rng) : first.adding(days: -Int.random(in: 0...40, using: &rng))
            while true {
                let forced = p % 6 == 4 && spells.isEmpty  // a leaver re-admitted in every school
                let leaves = (forced || Int.random(in: 0..<3, using: &rng) == 0) && admitted < last
                let left = leaves ? admitted.adding(days: Int.random(in: 1...max(1, Int(last.day - admitted.day)), using: &rng)) : nil
                spells.append((admitted, left))
                guard let left, left < last, forced || Bool.random(using: &rng) else { break }
                admitted = left.adding(days: Int.random(in: 1...120, using: &rng))
            }
            let flags = PupilFlags(sen: p % 4 == 1, ehcp: p % 7 == 2, pp: p % 3 == 0, fsm: p % 5 == 3)
            for (admitted, left) in spells {
                events.append((at(admitted, "08:00:00"), .pupilAdmitted(PupilAdmitted(
                    upn: upn, forename: "F", surname: "S", dob: SchoolDate("2012-01-01")!, yearGroup: "8",
                    group: ["8A", "8B", "9C"][p % 3], admitted: admitted, flags: flags))))
                if let left { events.append((at(left, "08:30:00"), .pupilDeleted(PupilDeleted(upn: upn, on: left, ground: "B")))) }
            }
            // Marks on every school day from the first admission (and a few before it, off roll), with
            // absence at the pupil's own rate, runs of absence, gaps and now and then any code at all.
            let absence = Double(p % 9) * 0.06
            var runLeft = 0, runCode = "I"
            var day = spells[0].0.adding(days: -10)
            while day <= last {
                defer { day = day.adding(days: 1) }
                guard calendar.isSchoolDay(day) else { continue }
                if runLeft == 0, Int.random(in: 0..<60, using: &rng) == 0 {
                    runLeft = Int.random(in: 2...12, using: &rng)
                    runCode = ["I", "N", "O", "M", "G"].randomElement(using: &rng)!
                }
                for s in Session.allCases {
                    let roll = Double.random(in: 0..<1, using: &rng)
                    let text: String
                    if runLeft > 0 { text = runCode }
                    else if roll < 0.03 { continue }  // unmarked
                    else if roll < 0.06 { text = AttendanceCode.all.randomElement(using: &rng)!.text }
                    else if roll < 0.06 + absence { text = ["N", "O", "I", "M", "G", "U", "C"].randomElement(using: &rng)! }
                    else if roll > 0.97 { text = "L" }
                    else { text = s == .am ? "/" : "\\" }
                    let code = AttendanceCode(text)!
                    events.append((at(day, "16:00:00"), .markRecorded(MarkRecorded(upn: upn, date: day, session: s, code: code))))
                    if Int.random(in: 0..<25, using: &rng) == 0 {
                        let amended = AttendanceCode(common.randomElement(using: &rng)!)!
                        let on = day.adding(days: Int.random(in: 1...20, using: &rng))
                        events.append((at(on, "12:00:00"), .markAmended(MarkAmended(
                            upn: upn, date: day, session: s, original: code, originalMinutesLate: nil, amended: amended,
                            minutesLate: nil, reason: "corrected", amendedOn: on))))
                    }
                }
                if runLeft > 0 { runLeft -= 1 }
            }
            // Interventions: any action at any time, and letters in succession for the escalations.
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let date = randomDay(&rng)
                events.append((at(date, "17:00:00"), .interventionRecorded(InterventionRecorded(
                    upn: upn, action: actions.randomElement(using: &rng)!, date: date, note: nil))))
            }
            if p % 3 == 1 {
                for year in ["2023-10-02", "2024-09-16", "2025-09-08"] {
                    let date = SchoolDate(year)!.adding(days: Int.random(in: 0...40, using: &rng))
                    for k in 0..<Int.random(in: 1...3, using: &rng) {
                        events.append((at(date.adding(days: 7 * k), "17:00:00"), .interventionRecorded(InterventionRecorded(
                            upn: upn, action: k < 2 ? "standard-letter" : "meeting", date: date.adding(days: 7 * k), note: nil))))
                    }
                }
            }
        }
        // The log in time order (events of one moment in the order made).
        let ordered = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        for (n, e) in ordered.enumerated() {
            envelopes.append(EventEnvelope(seq: n + 1, at: e.element.at, version: 1, author: Author(name: "T", position: "Attendance Officer"),
                                           event: e.element.event))
        }
    }

    /// The state from the events known at `asOf` (all when nil).
    func state(asOf: Timestamp? = nil) -> LedgerState {
        var state = LedgerState()
        for e in envelopes where asOf.map({ e.knownAt <= $0 }) ?? true { state.apply(e) }
        return state
    }
}
