/// A moment in UTC with millisecond precision, as written in the log's `at` member.
///
/// The text form is exactly `YYYY-MM-DDTHH:MM:SS.sssZ`. Parsing also accepts the forms people type
/// for `--as-of`: seconds without milliseconds, and `+00:00` in place of `Z`; see ``init(parsing:)``.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let milliseconds: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }


    /// Parses the log's exact form `YYYY-MM-DDTHH:MM:SS.sssZ` from bytes, or returns nil.
    public init?(logBytes b: UnsafeRawBufferPointer) {
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
              b[19] == 0x2E, b[23] == 0x5A else { return nil }
        func n(_ from: Int, _ to: Int) -> Int? {
            var v = 0
            for i in from..<to {
                let c = b[i]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c &- 0x30)
            }
            return v
        }
        guard let y = n(0, 4), let mo = n(5, 7), let d = n(8, 10), let h = n(11, 13), let mi = n(14, 16),
              let s = n(17, 19), let ms = n(20, 23) else { return nil }
        guard let value = Timestamp.make(y, mo, d, h, mi, s, ms) else { return nil }
        self = value
    }

    /// Parses an ISO 8601 UTC time: `YYYY-MM-DDTHH:MM:SS[.s…]` followed by `Z` or `+00:00`, or a bare date
    /// `YYYY-MM-DD` (meaning the end of that day, 23:59:59.999, so "as of a date" includes the whole day).
    public init?(parsing text: String) {
        var s = Substring(text)
        if s.count == 10, let day = Timestamp.dateOnly(s) {
            self.init(milliseconds: day + 86_399_999)
            return
        }
        if s.hasSuffix("Z") { s = s.dropLast() } else if s.hasSuffix("+00:00") { s = s.dropLast(6) } else { return nil }
        let parts = s.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let day = Timestamp.dateOnly(parts[0]) else { return nil }
        let clock = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard clock.count <= 2 else { return nil }
        let hms = clock[0].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(hms[0]), let m = Int(hms[1]), let sec = Int(hms[2]), h < 24, m < 60, sec < 60 else { return nil }
        var ms = 0
        if clock.count == 2 {
            let frac = clock[1]
            guard !frac.isEmpty, frac.count <= 9, frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let padded = (String(frac) + "000").prefix(3)
            ms = Int(padded)!
        }
        self.init(milliseconds: day + Int64(((h * 60 + m) * 60 + sec) * 1000 + ms))
    }

    private static func dateOnly(_ s: Substring) -> Int64? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        var vals: [Int] = []
        for r in [0..<4, 5..<7, 8..<10] {
            var v = 0
            for i in r {
                guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            vals.append(v)
        }
        return make(vals[0], vals[1], vals[2], 0, 0, 0, 0)?.milliseconds
    }

    static func make(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ ms: Int) -> Timestamp? {
        guard (1...9999).contains(y), (1...12).contains(mo), d >= 1, h < 24, mi < 60, s < 60, ms < 1000 else { return nil }
        guard d <= CivilCalendar.daysIn(month: mo, year: y) else { return nil }
        let days = CivilCalendar.days(year: y, month: mo, day: d)
        return Timestamp(milliseconds: Int64(days) * 86_400_000 + Int64(((h * 60 + mi) * 60 + s) * 1000 + ms))
    }

    /// Days since 1970-01-01 of this moment's UTC date.
    public var dayNumber: Int32 {
        Int32((milliseconds >= 0 ? milliseconds : milliseconds - 86_399_999) / 86_400_000)
    }

    /// The exact log form, `YYYY-MM-DDTHH:MM:SS.sssZ` (24 bytes).
    public var logBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 24)
        let day = Int(dayNumber)
        let msOfDay = Int(milliseconds - Int64(day) * 86_400_000)
        let (y, m, d) = CivilCalendar.date(days: day)
        func put(_ v: Int, _ at: Int, _ width: Int) {
            var v = v
            for i in stride(from: at + width - 1, through: at, by: -1) {
                out[i] = UInt8(0x30 + v % 10)
                v /= 10
            }
        }
        put(y, 0, 4); out[4] = 0x2D; put(m, 5, 2); out[7] = 0x2D; put(d, 8, 2); out[10] = 0x54
        put(msOfDay / 3_600_000, 11, 2); out[13] = 0x3A; put(msOfDay / 60_000 % 60, 14, 2); out[16] = 0x3A
        put(msOfDay / 1000 % 60, 17, 2); out[19] = 0x2E; put(msOfDay % 1000, 20, 3); out[23] = 0x5A
        return out
    }

    /// The exact log form as a string.
    public var description: String { String(decoding: logBytes, as: UTF8.self) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
