import RollbookDomain
import RollbookLog

/// A policy file that cannot be used: the message names the file and the member.
public struct StagePolicyError: Error, Equatable, CustomStringConvertible {
    /// The file (or preset) name.
    public var source: String
    /// The member path, e.g. `stages[2].band.at_least`.
    public var member: String
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(source: String, member: String, problem: String) {
        self.source = source; self.member = member; self.problem = problem
    }

    public var description: String {
        "The stage policy \(source) is not usable: \(member.isEmpty ? "" : "\(member): ")\(problem)."
    }
}

extension StagePolicy {
    /// The format tag every policy file carries in its `format` member.
    public static let formatTag = "rollbook-policy/1"

    /// Reads a policy from the bytes of a JSON file; `source` names the file in error messages.
    public init(json bytes: [UInt8], source: String) throws(StagePolicyError) {
        let root: JSONValue
        do { root = try JSONValue.parse(bytes) } catch {
            throw StagePolicyError(source: source, member: "", problem: "it is not valid JSON (\(error))")
        }
        var reader = Reader(source: source)
        try self.init(root, &reader)
    }

    private struct Reader {
        var source: String
        func fail(_ member: String, _ problem: String) -> StagePolicyError {
            StagePolicyError(source: source, member: member, problem: problem)
        }
        // Members are read through the log layer's JSONObjectReader; the messages say what a policy needs.
        func string(_ v: JSONValue, _ key: String, _ path: String, optional: Bool = false) throws(StagePolicyError) -> String? {
            let members = JSONObjectReader(v, path: path)
            let text: String?
            do { text = optional ? try members.optionalString(key) : try members.string(key) } catch {
                throw fail(error.path, error.problem == "is missing" ? "is missing" : "must be a non-empty string")
            }
            guard let text else { return nil }
            guard !text.isEmpty else { throw fail(members.path(key), "must be a non-empty string") }
            return text
        }
        func int(_ v: JSONValue, _ key: String, _ path: String) throws(StagePolicyError) -> Int {
            let members = JSONObjectReader(v, path: path)
            let number: Int
            do { number = try members.int(key) } catch {
                throw fail(error.path, error.problem == "is missing" ? "is missing" : "must be a whole number above 0")
            }
            guard number > 0 else { throw fail(members.path(key), "must be a whole number above 0") }
            return number
        }
        /// A decimal with at most two places, in hundredths.
        func hundredths(_ v: JSONValue, _ path: String) throws(StagePolicyError) -> Int {
            guard case .number(let text) = v else { throw fail(path, "must be a number") }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole <= 100_000,
                  parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw fail(path, "must be a plain decimal with at most two places, such as 95 or 92.5")
            }
            var frac = 0
            if parts.count == 2 { frac = Int(parts[1])! * (parts[1].count == 1 ? 10 : 1) }
            return whole * 100 + frac
        }
        func codes(_ v: JSONValue, _ key: String, _ path: String) throws(StagePolicyError) -> CodeSet {
            guard let list = v[key]?.arrayValue, !list.isEmpty else { throw fail(path + key, "must be a non-empty list of codes") }
            var set = CodeSet(codes: [], authorised: false, unauthorised: false, names: [])
            for (i, item) in list.enumerated() {
                guard let name = item.stringValue else { throw fail("\(path)\(key)[\(i)]", "must be a string") }
                switch name {
                case "absence": set.authorised = true; set.unauthorised = true
                case "authorised": set.authorised = true
                case "unauthorised": set.unauthorised = true
                default:
                    guard let code = AttendanceCode(name) else {
                        throw fail("\(path)\(key)[\(i)]", "\"\(name)\" is not an attendance code (or absence, authorised, unauthorised)")
                    }
                    set.codes.insert(code.index)
                }
                set.names.append(name)
            }
            return set
        }
        func actions(_ v: JSONValue, _ path: String) throws(StagePolicyError) -> [Action] {
            guard let m = v["actions"] else { return [] }
            guard let list = m.arrayValue else { throw fail(path + "actions", "must be a list") }
            var out: [Action] = []
            for (i, item) in list.enumerated() {
                let p = "\(path)actions[\(i)]."
                let action = try string(item, "action", p)!
                guard InterventionRecorded.actions.contains(action) else {
                    throw fail(p + "action", "\"\(action)\" is not one of " + InterventionRecorded.actions.joined(separator: ", "))
                }
                let dueText = try string(item, "due", p)!
                guard let due = Due(rawValue: dueText) else {
                    throw fail(p + "due", "must be one of " + Due.allCases.map(\.rawValue).joined(separator: ", "))
                }
                var fromDay: Int?
                if item["from_day"] != nil { fromDay = try int(item, "from_day", p) }
                out.append(Action(action: action, due: due, text: try string(item, "text", p)!, quote: try string(item, "quote", p)!,
                                  fromDay: fromDay))
            }
            return out
        }
    }

    private init(_ root: JSONValue, _ r: inout Reader) throws(StagePolicyError) {
        guard root.members != nil else { throw r.fail("", "the file must hold one JSON object") }
        guard root["format"]?.stringValue == StagePolicy.formatTag else {
            throw r.fail("format", "must be \"\(StagePolicy.formatTag)\"")
        }
        id = try r.string(root, "id", "")!
        name = try r.string(root, "name", "")!
        source = try r.string(root, "source", "")!
        let measureText = try r.string(root, "measure", "")!
        guard let measure = Measure(rawValue: measureText) else {
            throw r.fail("measure", "must be one of " + Measure.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.measure = measure
        guard let stageList = root["stages"]?.arrayValue, !stageList.isEmpty else { throw r.fail("stages", "must be a non-empty list") }
        stages = []
        for (i, item) in stageList.enumerated() {
            let p = "stages[\(i)]."
            let sid = try r.string(item, "id", p)!
            if stages.contains(where: { $0.id == sid }) { throw r.fail(p + "id", "\"\(sid)\" is used twice") }
            var band: Band?
            if let b = item["band"] {
                guard let members = b.members else { throw r.fail(p + "band", "must be an object") }
                var made = Band()
                for m in members {
                    let value = try r.hundredths(m.value, p + "band." + m.key)
                    switch m.key {
                    case "at_least": made.atLeast = value
                    case "above": made.above = value
                    case "below": made.below = value
                    case "at_most": made.atMost = value
                    default: throw r.fail(p + "band." + m.key, "is not a bound (use at_least, above, below, at_most)")
                    }
                }
                band = made
            }
            if i == 0 && band == nil { throw r.fail(p + "band", "the first stage needs a band") }
            stages.append(Stage(id: sid, name: try r.string(item, "name", p)!, band: band, actions: try r.actions(item, p)))
        }
        flags = []
        for (i, item) in (root["flags"]?.arrayValue ?? []).enumerated() {
            let p = "flags[\(i)]."
            let fid = try r.string(item, "id", p)!
            let ruleName = try r.string(item, "rule", p)!
            let rule: FlagRule
            switch ruleName {
            case "sessions-in-rolling-weeks":
                let unit = try r.string(item, "week", p)!
                guard unit == "school" || unit == "calendar" else { throw r.fail(p + "week", "must be school or calendar") }
                rule = .sessionsInRollingWeeks(codes: try r.codes(item, "codes", p), sessions: try r.int(item, "sessions", p),
                                               weeks: try r.int(item, "weeks", p), schoolWeeks: unit == "school")
            case "consecutive-days":
                rule = .consecutiveDays(codes: try r.codes(item, "codes", p), days: try r.int(item, "days", p))
            case "sessions-in-year":
                rule = .sessionsInYear(codes: try r.codes(item, "codes", p), sessions: try r.int(item, "sessions", p))
            case "consecutive-days-to-date":
                rule = .consecutiveDaysToDate(codes: try r.codes(item, "codes", p), cap: try r.int(item, "cap", p))
            default:
                throw r.fail(p + "rule", "must be one of sessions-in-rolling-weeks, consecutive-days, sessions-in-year, consecutive-days-to-date")
            }
            flags.append(Flag(id: fid, rule: rule, actions: try r.actions(item, p), quote: try r.string(item, "quote", p)!))
        }
        escalations = []
        for (i, item) in (root["escalations"]?.arrayValue ?? []).enumerated() {
            let p = "escalations[\(i)]."
            let from = try r.string(item, "from", p)!, to = try r.string(item, "to", p)!
            for (key, value) in [("from", from), ("to", to)] where !stages.contains(where: { $0.id == value }) {
                throw r.fail(p + key, "\"\(value)\" is not a stage of this policy")
            }
            switch try r.string(item, "rule", p)! {
            case "interventions-in-succession":
                let action = try r.string(item, "action", p)!
                guard InterventionRecorded.actions.contains(action) else { throw r.fail(p + "action", "\"\(action)\" is not an action id") }
                escalations.append(.interventionsInSuccession(from: from, action: action, count: try r.int(item, "count", p), to: to))
            case "no-improvement-since-intervention":
                escalations.append(.noImprovementSinceIntervention(from: from, schoolDays: try r.int(item, "school_days", p), to: to))
            default:
                throw r.fail(p + "rule", "must be interventions-in-succession or no-improvement-since-intervention")
            }
        }
    }
}

extension StagePolicy {
    /// A preset by id (`dfe`, `burton-pru`, `wimborne`, `primary-bands`, `danesgate`), or nil.
    public static func preset(_ id: String) -> StagePolicy? {
        guard let text = PresetPolicies.json(id) else { return nil }
        // The presets are tested to parse; a failure here is a build defect, not bad input.
        return try? StagePolicy(json: Array(text.utf8), source: "preset \(id)")
    }
}
