@testable import RollbookLog
import RollbookDomain
import Testing

/// ``MarkLineDecoder`` (the fused reader's decoder of the two mark events) against ``EventLineDecoder``'s
/// exact path and the general decoder: it accepts only lines the exact decoder accepts, and gives the
/// fields of the envelope they build.
struct MarkLineDecoderTests {
    /// What the mark decoder gives, as the envelope's event would hold it; nil when it declines.
    static func decoded(_ bytes: [UInt8]) -> (mark: MarkLine?, upn: String?) {
        bytes.withUnsafeBytes { raw in
            var decoder = MarkLineDecoder()
            guard let mark = decoder.decode(raw) else { return (nil, nil) }
            return (mark, String(decoding: UnsafeRawBufferPointer(rebasing: raw[mark.upn]), as: UTF8.self))
        }
    }

    /// Whether the mark decoder's reading agrees with the envelope's event.
    static func agrees(_ mark: MarkLine, upn: String, _ event: Event) -> Bool {
        switch event {
        case .markRecorded(let e):
            return mark.kind == .recorded && upn == e.upn && mark.date == e.date && mark.session == e.session && mark.code == e.code
                && mark.minutesLate == e.minutesLate && mark.recordedAt == e.recordedAt && e.note == nil
        case .markAmended(let e):
            return mark.kind == .amended && upn == e.upn && mark.date == e.date && mark.session == e.session && mark.code == e.amended
                && mark.minutesLate == e.minutesLate && mark.original == e.original && mark.originalMinutesLate == e.originalMinutesLate
        default:
            return false
        }
    }

    /// `line` with the member `old` (key and value) replaced by the key `key` and the raw bytes `value`, quoted.
    static func replacing(_ line: [UInt8], _ old: String, _ value: [UInt8], in key: String) -> [UInt8] {
        let pattern = Array(old.utf8)
        guard let at = (0...(line.count - pattern.count)).first(where: { Array(line[$0..<($0 + pattern.count)]) == pattern }) else { return line }
        return Array(line[..<at]) + Array(key.utf8) + value + [0x22] + Array(line[(at + pattern.count)...])
    }

    @Test func theWritersMarkLinesAreRead() {
        var read = 0
        for body in EventLineDecoderTests.bodies {
            let line = Array((EventLineDecoderTests.prefix + body).utf8)
            let (mark, upn) = MarkLineDecoderTests.decoded(line)
            let (exact, _, _) = EventLineDecoderTests.judge(line)
            if body.contains("mark.") {
                #expect(mark != nil && exact != nil, "\(body)")
                if let mark, let upn, let exact { #expect(MarkLineDecoderTests.agrees(mark, upn: upn, exact.event), "\(body)") }
                read += 1
            } else {
                #expect(mark == nil, "not a mark: \(body)")
            }
        }
        #expect(read == 6)
    }

    /// Every single-byte change, insertion and deletion after the prefix of every mark layout, and
    /// long author names and UPNs (the decoder reads strings eight bytes at a time).
    @Test func itAcceptsOnlyWhatTheExactDecoderAcceptsAndReadsItAlike() {
        var accepted = 0, refused = 0
        var lines: [[UInt8]] = []
        for body in EventLineDecoderTests.bodies where body.contains("mark.") {
            let line = Array((EventLineDecoderTests.prefix + body).utf8)
            let bodyStart = EventLineDecoderTests.prefix.utf8.count - 1
            for i in bodyStart..<line.count {
                var deleted = line
                deleted.remove(at: i)
                lines.append(deleted)
                for byte in EventLineDecoderTests.alphabet {
                    if byte != line[i] {
                        var changed = line
                        changed[i] = byte
                        lines.append(changed)
                    }
                    var inserted = line
                    inserted.insert(byte, at: i)
                    lines.append(inserted)
                }
            }
            // Names of every length around the eight-byte steps, with a stop byte at each place.
            for length in 0..<20 {
                for stop in [nil, 0x22, 0x5C, 0x1F, 0x7F, 0x80, 0xC3] as [UInt8?] {
                    var name = Array(repeating: UInt8(ascii: "x"), count: length)
                    if let stop, length > 0 { name[length / 2] = stop }
                    let named = MarkLineDecoderTests.replacing(MarkLineDecoderTests.replacing(line, #""author":"S""#, name, in: #""author":""#),
                                                              #""author":"Sam Patel""#, name, in: #""author":""#)
                    lines.append(named)
                    lines.append(MarkLineDecoderTests.replacing(named, #""upn":"A123456789001""#, name, in: #""upn":""#))
                }
            }
        }
        // One decoder for every line (it remembers the last date read) reads each as a fresh one does.
        var shared = MarkLineDecoder()
        for line in lines {
            let (mark, upn) = MarkLineDecoderTests.decoded(line)
            #expect(line.withUnsafeBytes { shared.decode($0) } == mark)
            guard let mark, let upn else { refused += 1; continue }
            accepted += 1
            let (exact, strict, general) = EventLineDecoderTests.judge(line)
            #expect(exact != nil && strict, "accepted what the exact decoder does not: \(String(decoding: line, as: UTF8.self))")
            if let exact { #expect(MarkLineDecoderTests.agrees(mark, upn: upn, exact.event), "\(String(decoding: line, as: UTF8.self))") }
            if let general { #expect(MarkLineDecoderTests.agrees(mark, upn: upn, general.event), "\(String(decoding: line, as: UTF8.self))") }
        }
        #expect(accepted > 100)
        #expect(refused > 1000)
    }
}
