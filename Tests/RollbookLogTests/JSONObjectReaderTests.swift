import RollbookLog
import Testing

/// The one reader every on-disk JSON format reads its members with: typed getters, and errors that
/// name the member's full path.
@Suite struct JSONObjectReaderTests {
    static func object(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func gettersReadEachKindAndNameTheMemberWhenWrong() throws {
        let members = JSONObjectReader(try Self.object(#"{"a":"x","n":7,"b":true,"z":null,"list":[{"k":1},{"k":"two"}]}"#))
        #expect(try members.string("a") == "x" && members.int("n") == 7 && members.bool("b"))
        #expect(try members.optionalString("z") == nil && members.optionalString("missing") == nil)
        #expect(members.has("a") && !members.has("z") && !members.has("missing"))
        #expect(throws: JSONReadError(path: "missing", problem: "is missing")) { try members.string("missing") }
        #expect(throws: JSONReadError(path: "n", problem: "is not a string")) { try members.string("n") }
        #expect(throws: JSONReadError(path: "a", problem: "is not an integer")) { try members.int("a") }
        let items = try members.objects("list")
        #expect(try items[0].int("k") == 1)
        #expect(throws: JSONReadError(path: "list[1].k", problem: "is not an integer")) { try items[1].int("k") }
        #expect(JSONReadError(path: "list[1].k", problem: "is missing").description == #"member "list[1].k" is missing"#)
    }
}
