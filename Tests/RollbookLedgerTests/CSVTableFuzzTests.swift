import Testing
import RollbookLedger

/// CSVTable.parse fed seeded mutations of real import files: it parses or throws (never crashes or
/// hangs), and whatever it accepts keeps its invariants and survives a write-and-reparse round trip.
@Suite("CSV fuzzing", .timeLimit(.minutes(10)))  // a guard against a hang, not a speed test
struct CSVTableFuzzTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let seeds: [String] = [
        "upn,date,session,code,minutes_late,note\nY123456789001,2025-09-04,AM,/,,\nM123456789002,2025-09-04,AM,L,12,\"bus, late\"\r\n"
            + "B123456789003,2025-09-04,PM,\\,,\"said \"\"hi\"\"\nnext line\"\n",
        "\u{FEFF}upn,forename,surname,dob,year_group,group,admitted\nK123456789020,Zoë,O'Brien,2014-03-02,7,7A,2025-09-03\n\n",
    ]

    /// Writes a table back as CSV, quoting every field.
    static func write(_ table: CSVTable) -> [UInt8] {
        func quoted(_ s: String) -> String { "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" }
        var text = table.header.map(quoted).joined(separator: ",") + "\n"
        for row in table.rows { text += row.fields.map(quoted).joined(separator: ",") + "\n" }
        return Array(text.utf8)
    }

    @Test("5,000 mutated CSV files parse or throw; accepted ones keep their invariants and round-trip")
    func mutatedFiles() {
        var rng = Generator(state: 0xC5F0_0002)
        let alphabet = Array(",\"\r\n a\\".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF]
        var accepted = 0, refused = 0
        for i in 0..<5_000 {
            var bytes = Array(Self.seeds[i % Self.seeds.count].utf8)
            for _ in 0..<(1 + rng.below(4)) where !bytes.isEmpty {
                let at = rng.below(bytes.count)
                switch rng.below(4) {
                case 0: bytes[at] = alphabet[rng.below(alphabet.count)]
                case 1: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                case 2: bytes.remove(at: at)
                default:
                    let end = min(bytes.count, at + 1 + rng.below(30))
                    bytes.insert(contentsOf: bytes[at..<end], at: rng.below(bytes.count + 1))
                }
            }
            do {
                let table = try CSVTable.parse(bytes)
                accepted += 1
                #expect(!table.header.isEmpty)
                #expect(Set(table.header).count == table.header.count, "case \(i): header names are unique")
                #expect(table.rows.allSatisfy { $0.fields.count == table.header.count }, "case \(i)")
                #expect(zip(table.rows, table.rows.dropFirst()).allSatisfy { $0.line < $1.line }, "case \(i)")
                let again = try? CSVTable.parse(Self.write(table))
                #expect(again?.header == table.header && again?.rows.map(\.fields) == table.rows.map(\.fields),
                        "case \(i): the table survives writing and parsing again")
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(accepted > 500 && refused > 500, "\(accepted) accepted, \(refused) refused")
    }
}
