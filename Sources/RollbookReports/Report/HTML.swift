/// Escaping for the report's HTML and SVG (polyglot markup: it also parses as XML).
enum HTML {
    /// Text from the ledger (or anywhere) made safe for element content and attribute values.
    ///
    /// `& < > " '` become references; `/` and `:` too, so no ledger string can spell a reference such as
    /// `//` or `http:`; characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF, lone surrogates)
    /// become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "/": out += "&#47;"
            case ":": out += "&#58;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A number for SVG coordinates, to at most two decimals ("12", "12.5", "12.25").
    static func n(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        guard hundredths.isFinite, abs(hundredths) < 1e12 else { return "0" }
        let h = Int(hundredths)
        let whole = h / 100, frac = abs(h % 100)
        let sign = h < 0 && whole == 0 ? "-" : ""
        if frac == 0 { return "\(sign)\(whole)" }
        return "\(sign)\(whole)." + (frac % 10 == 0 ? "\(frac / 10)" : (frac < 10 ? "0\(frac)" : "\(frac)"))
    }

    /// A percentage rounded to one place for display ("94.1"), or "–" when nothing was possible.
    static func percent(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let tenths = (part * 2000 + whole) / (2 * whole)
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The unrounded percentage, as `stats` writes it in JSON (for `data-value`), or "" when nothing was possible.
    static func exact(_ part: Int, _ whole: Int) -> String {
        StatsReport.cohortPercent(part, whole) ?? ""
    }

    /// "8 Sep" for a date.
    static func short(_ date: SchoolDate) -> String {
        let (_, m, d) = date.components
        return "\(d) \(months[m - 1])"
    }

    /// Month names, January first.
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// Full month names, January first.
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                             "November", "December"]
}

import RollbookDomain
