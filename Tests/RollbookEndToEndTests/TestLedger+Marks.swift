import Foundation
import Testing

extension TestLedger {
    /// The weekdays from `from` to `to` inclusive, as `YYYY-MM-DD`.
    static func weekdays(_ from: String, _ to: String) -> [String] {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        func date(_ s: String) -> Date {
            let p = s.split(separator: "-").map { Int($0)! }
            return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: 12))!
        }
        var out: [String] = []
        var day = date(from)
        while day <= date(to) {
            let weekday = c.component(.weekday, from: day)
            if weekday != 1 && weekday != 7 {
                let p = c.dateComponents([.year, .month, .day], from: day)
                out.append(String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!))
            }
            day = day.addingTimeInterval(86_400)
        }
        return out
    }

    /// Imports a mark for every session of every day for every pupil: `code` decides (nil for present).
    func markEverySession(days: [String], upns: [String], code: (String, String, String) -> String?) throws {
        var rows = ["upn,date,session,code,minutes_late"]
        for day in days {
            for upn in upns {
                for session in ["AM", "PM"] {
                    let standing = code(upn, day, session) ?? (session == "AM" ? "/" : "\\")
                    // Minutes late within the default registers (AM open 20 minutes, PM 5): L inside, U after.
                    rows.append("\(upn),\(day),\(session),\(standing),\(standing == "U" ? "45" : standing == "L" ? "3" : "")")
                }
            }
        }
        try ok(["marks", "import", try file("marks-\(UUID().uuidString).csv", rows.joined(separator: "\n") + "\n")])
    }
}
