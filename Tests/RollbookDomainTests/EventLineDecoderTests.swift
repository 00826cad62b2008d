@testable import RollbookLog
import RollbookDomain
import Testing

/// ``EventLineDecoder/decodeExact(_:)``'s contract with the log reader: whatever it accepts is one strict
/// JSON object (the reader then skips its own JSON check) and decodes as the general decoder does.
struct EventLineDecoderTests {
    static let at = "2025-09-03T09:05:00.000Z"
    /// The reader's checked prefix, as the writer writes it.
    static let prefix = #"{"seq":7,"at":"\#(at)","prev":"\#(String(repeating: "0", count: 64))","#
    /// One line of each layout the exact decoder reads, with and without its optional members.
    static let bodies = [
        #""type":"mark.recorded","v":1,"author":"Sam Patel","position":"Attendance Officer","upn":"A123456789001","date":"2025-09-03","session":"AM","code":"/"}"#,
        #""type":"mark.recorded","v":1,"author":"S","position":"P","upn":"A123456789001","date":"2025-09-03","session":"PM","code":"\\"}"#,
        #""type":"mark.recorded","v":1,"author":"S","position":"P","upn":"A123456789001","date":"2025-09-03","session":"AM","code":"L","minutes_late":12}"#,
        #""type":"mark.recorded","v":1,"author":"S","position":"P","upn":"A123456789001","date":"2019-09-03","session":"AM","code":"C1","recorded_at":"2019-09-03T09:05:00.000Z"}"#,
        #""type":"mark.amended","v":1,"author":"S","position":"P","upn":"A123456789001","date":"2025-09-03","session":"AM","original":"L","original_minutes_late":5,"amended":"U","minutes_late":25,"reason":"late","amended_on":"2025-09-04"}"#,
        #""type":"mark.amended","v":1,"author":"S","position":"P","upn":"A123456789001","date":"2025-09-03","session":"AM","original":"N","amended":"I","reason":"ill","amended_on":"2025-09-04"}"#,
        #""type":"register.taken","v":1,"author":"S","position":"P","group":"7A","date":"2025-09-03","session":"PM"}"#,
    ]
    /// Bytes that break JSON or the layout in different ways, and ones that keep both.
    static let alphabet = Array(#"{}[]":,.-+0123456789eEaAMPLUN/\ u"#.utf8) + [0x00, 0x09, 0x1F, 0x7F, 0x80, 0xC3, 0xFF]

    /// What the exact decoder says of a line and, when it accepts it, the reader's JSON check and the
    /// general decoder's envelope.
    static func judge(_ bytes: [UInt8]) -> (exact: EventEnvelope?, strict: Bool, general: EventEnvelope?) {
        bytes.withUnsafeBytes { raw in
            let line = LogLine(seq: 7, at: Timestamp(parsing: at), bytes: raw, hash: .zero, segment: 1, lineNumber: 7)
            var decoder = EventLineDecoder()
            guard let exact = decoder.decodeExact(line) else { return (nil, false, nil) }
            return (exact, LogReader.isStrictObject(raw), try? EventEnvelope(line: line))
        }
    }

    @Test func theWritersLayoutIsReadExactly() {
        for body in EventLineDecoderTests.bodies {
            let (exact, strict, general) = EventLineDecoderTests.judge(Array((EventLineDecoderTests.prefix + body).utf8))
            #expect(exact != nil, "\(body)")
            #expect(strict, "\(body)")
            #expect(exact == general, "\(body)")
        }
    }

    /// Every single-byte change, insertion and deletion after the prefix of every layout.
    @Test func nothingThatIsNotStrictJSONIsAcceptedExactly() {
        var accepted = 0, refused = 0
        for body in EventLineDecoderTests.bodies {
            let line = Array((EventLineDecoderTests.prefix + body).utf8)
            let bodyStart = EventLineDecoderTests.prefix.utf8.count - 1  // from the `,` after `prev`
            for i in bodyStart..<line.count {
                var variants: [[UInt8]] = []
                var deleted = line
                deleted.remove(at: i)
                variants.append(deleted)
                for byte in EventLineDecoderTests.alphabet {
                    if byte != line[i] {
                        var changed = line
                        changed[i] = byte
                        variants.append(changed)
                    }
                    var inserted = line
                    inserted.insert(byte, at: i)
                    variants.append(inserted)
                }
                variants.append(line + [0x20])
                for variant in variants {
                    let (exact, strict, general) = EventLineDecoderTests.judge(variant)
                    guard let exact else { refused += 1; continue }
                    accepted += 1
                    #expect(strict, "accepted a line that is not strict JSON: \(String(decoding: variant, as: UTF8.self))")
                    #expect(exact == general, "read differently from the general decoder: \(String(decoding: variant, as: UTF8.self))")
                }
            }
        }
        // Both kinds occur: a changed code or digit still reads exactly, a stray quote does not.
        #expect(accepted > 100)
        #expect(refused > 1000)
    }
}
