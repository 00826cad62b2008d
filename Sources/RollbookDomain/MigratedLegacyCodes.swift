/// The legacy codes found after their retirement in history migrated from another system (PRODUCT.md
/// section 2): accepted, because that system recorded them, and reported as one warning naming the lines.
///
/// DfE's statistics still meet such codes in migrated 2024/25 data and count them as ``AttendanceCode``'s
/// table does: `F` as `H`, `H` as authorised absence, `J` as approved educational activity, `Y` as not a
/// possible session.
public struct MigratedLegacyCodes: Sendable, Equatable {
    /// The lines holding a retired code, in the order noted.
    public private(set) var lines: [Int] = []
    /// The retired codes met.
    public private(set) var codes: Set<AttendanceCode> = []

    /// Creates an empty record.
    public init() {}

    /// Notes a migrated row; returns whether its code is a legacy code after its retirement.
    @discardableResult
    public mutating func note(_ code: AttendanceCode, on date: SchoolDate, line: Int) -> Bool {
        guard code.isRetired(on: date) else { return false }
        lines.append(line)
        codes.insert(code)
        return true
    }

    /// How many line ranges the warning lists before it summarises the rest.
    static let rangesShown = 12

    /// The warning, each line within 100 columns; nil when no retired code was met.
    public var warning: String? {
        guard !lines.isEmpty else { return nil }
        let ranges = MigratedLegacyCodes.ranges(lines.sorted())
        var named = ranges.prefix(MigratedLegacyCodes.rangesShown).map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)-\($0.1)" }
        let shownLines = ranges.prefix(MigratedLegacyCodes.rangesShown).reduce(0) { $0 + $1.1 - $1.0 + 1 }
        if ranges.count > MigratedLegacyCodes.rangesShown { named.append("and \(lines.count - shownLines) more") }
        let codeList = codes.sorted().map(\.text).joined(separator: ", ")
        var out = ["warning: \(lines.count) migrated mark(s) use a code after its retirement (\(codeList)),"]
        out.append("  accepted because the system they come from recorded them: line(s) ")
        var current = out.count - 1
        for (i, name) in named.enumerated() {
            let piece = name + (i == named.count - 1 ? "." : ", ")
            if out[current].count + piece.count > 98 { out.append("  "); current += 1 }
            out[current] += piece
        }
        out.append("  They count as DfE's statistics count them:")
        for code in codes.sorted() {
            out.append("  \(code.text) counts " + MigratedLegacyCodes.counted(code))
        }
        return out.joined(separator: "\n")
    }

    /// How a retired code counts, as one clause.
    static func counted(_ code: AttendanceCode) -> String {
        switch code.text {
        case "F": return "as H, authorised absence (F was merged into H in September 2013)."
        case "H": return "as authorised absence."
        case "J": return "as attending an approved educational activity (J1 is leave for an interview)."
        default: return "as not a possible session (Y was split into Y1-Y7 in August 2024)."
        }
    }

    /// Sorted line numbers as runs of consecutive lines.
    static func ranges(_ sorted: [Int]) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for line in sorted {
            if let last = out.last, line == last.1 + 1 { out[out.count - 1].1 = line } else if out.last?.1 != line { out.append((line, line)) }
        }
        return out
    }
}
