import Foundation
import Testing

/// The school and a pupil report rendered by a real browser (Debian's `chromium-headless-shell`, which
/// `.ci/run` installs when it is missing): the screenshots are real pictures, not blank pages.
///
/// Foundation cannot decode PNG, so the check is by size against a blank page rendered at the same size:
/// a blank page compresses to a few kilobytes, a page of charts, tables and text to many times that.
struct ReportRenderingTests {
    /// The headless browser, or nil when none is installed.
    static var chromium: String? {
        let candidates = ["chromium-headless-shell", "chromium", "chromium-browser"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in candidates {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        let fallback = "/usr/lib/chromium/chromium-headless-shell"
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    /// Renders an HTML file to a PNG of 900 × 2400 CSS pixels and returns the PNG's bytes.
    func screenshot(_ html: String, in t: TestLedger, name: String) throws -> Data {
        let browser = try #require(ReportRenderingTests.chromium,
                                   "chromium-headless-shell is not installed (apt-get install chromium-headless-shell; .ci/run does this)")
        let png = t.root.appendingPathComponent(name + ".png").path
        let profile = t.root.appendingPathComponent("chromium-profile-" + name).path
        let result = try TestLedger.execute(URL(fileURLWithPath: browser), [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + profile,
            "--window-size=900,2400", "--screenshot=" + png, URL(fileURLWithPath: html).absoluteString,
        ], in: t.root)
        #expect(result.status == 0, "chromium failed: \(result.stderr.suffix(2000))")
        return try Data(contentsOf: URL(fileURLWithPath: png))
    }

    /// The width and height in a PNG's IHDR chunk.
    func pngSize(_ png: Data) -> (Int, Int)? {
        let bytes = [UInt8](png)
        guard bytes.count > 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else {
            return nil
        }
        func u32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (u32(16), u32(20))
    }

    @Test func schoolAndPupilReportsRenderAsPictures() throws {
        let t = try ReportCommandTests().ledger()
        let blankPath = try t.file("blank.html", "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/><title>blank</title></head><body></body></html>\n")
        let blank = try screenshot(blankPath, in: t, name: "blank")
        let schoolPath = t.root.appendingPathComponent("school.html").path
        let pupilPath = t.root.appendingPathComponent("pupil.html").path
        try t.ok(["report", "--on", "2025-09-12", "--out", schoolPath])
        try t.ok(["report", "--on", "2025-09-12", "--upn", "B123456789003", "--out", pupilPath])
        let school = try screenshot(schoolPath, in: t, name: "school")
        let pupil = try screenshot(pupilPath, in: t, name: "pupil")
        for (name, png) in [("blank", blank), ("school", school), ("pupil", pupil)] {
            let dimensions = try #require(pngSize(png), "\(name): a PNG")
            #expect(dimensions.0 >= 900 && dimensions.1 >= 2400, "\(name): rendered at the window's size, got \(dimensions)")
        }
        #expect(blank.count < 20_000, "a blank page compresses to almost nothing (\(blank.count) bytes)")
        #expect(school.count > 10 * blank.count, "the school report is a picture (\(school.count) bytes; blank \(blank.count))")
        #expect(pupil.count > 10 * blank.count, "the pupil report is a picture (\(pupil.count) bytes; blank \(blank.count))")
        #expect(school != pupil, "the two reports differ")
    }
}
