import Foundation
import RollbookDomain
@testable import RollbookProjections
import Testing

struct StagePolicyTests {
    static var policiesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("events/policies")
    }

    @Test(arguments: PresetPolicies.ids)
    func presetFileParsesAndTheBinaryCarriesItByteForByte(_ id: String) throws {
        let file = try String(contentsOf: StagePolicyTests.policiesDirectory.appendingPathComponent("\(id).json"), encoding: .utf8)
        #expect(PresetPolicies.json(id).map { $0 + "\n" } == file, "rerun tools/policies/embed_presets.py")
        let policy = try StagePolicy(json: Array(file.utf8), source: "\(id).json")
        #expect(policy.id == id)
        #expect(policy.stages.allSatisfy { stage in stage.actions.allSatisfy { !$0.quote.isEmpty } })
    }

    @Test(arguments: [
        ("{\"format\": \"rollbook-policy/1\", \"id\": \"x\", \"name\": \"x\", \"source\": \"x\", \"measure\": \"attendance_perc\", \"stages\": []}",
         "stages: must be a non-empty list"),
        ("{\"format\": \"rollbook-policy/1\", \"id\": \"x\", \"name\": \"x\", \"source\": \"x\", \"measure\": \"attendance\", \"stages\": []}",
         "measure: must be one of attendance_perc, overall_absence_perc, days_absent"),
        ("{\"format\": \"rollbook-policy/1\", \"id\": \"x\", \"name\": \"x\", \"source\": \"x\", \"measure\": \"attendance_perc\", \"stages\": [{\"id\": \"a\", \"name\": \"A\", \"band\": {\"at_least\": 95.125}}]}",
         "stages[0].band.at_least: must be a plain decimal with at most two places, such as 95 or 92.5"),
        ("{\"format\": \"rollbook-policy/1\", \"id\": \"x\", \"name\": \"x\", \"source\": \"x\", \"measure\": \"attendance_perc\", \"stages\": [{\"id\": \"a\", \"name\": \"A\", \"band\": {}, \"actions\": [{\"action\": \"phone\", \"due\": \"daily\", \"text\": \"t\", \"quote\": \"q\"}]}]}",
         "stages[0].actions[0].action: \"phone\" is not one of welfare-call"),
        ("{\"id\": \"x\"}", "format: must be \"rollbook-policy/1\""),
    ])
    func aBadPolicyFileIsRefusedNamingTheMember(json: String, message: String) {
        #expect(throws: StagePolicyError.self) { try StagePolicy(json: Array(json.utf8), source: "mine.json") }
        do {
            _ = try StagePolicy(json: Array(json.utf8), source: "mine.json")
        } catch {
            #expect(error.description.hasPrefix("The stage policy mine.json is not usable: "))
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func bandsIncludeTheirLowerBoundExactly() {
        let band = StagePolicy.Band(atLeast: 9000, below: 9500)
        #expect(band.contains(90 * 100, over: 100))      // 90.0%
        #expect(!band.contains(95 * 100, over: 100))     // 95.0%
        #expect(band.contains(5699 * 100, over: 6000))   // 94.98%
        #expect(!band.contains(5399 * 100, over: 6000))  // 89.98%
        #expect(StagePolicy.Band(above: 100, atMost: 500).contains(10, over: 2))   // exactly 5 days
        #expect(!StagePolicy.Band(above: 100, atMost: 500).contains(2, over: 2))   // exactly 1 day
    }
}
