import RollbookLog

/// Dates and times typed by a person or read from a CSV: only years 1990–2100 are accepted, so no input
/// can reach arithmetic on absurd dates (PRODUCT.md section 5).
public enum InputDates {
    /// The years an input date or time may name.
    public static let years = 1990...2100

    /// The phrase error messages use for the range.
    public static let rangeText = "between 1990-01-01 and 2100-12-31"

    /// Parses `YYYY-MM-DD` naming a real date in 1990–2100, or returns nil.
    public static func date(_ text: some StringProtocol) -> SchoolDate? {
        guard let date = SchoolDate(text), years.contains(date.components.year) else { return nil }
        return date
    }

    /// Parses an ISO 8601 UTC time (or a date, meaning the end of that day) in 1990–2100, or returns nil.
    public static func time(_ text: String) -> Timestamp? {
        guard let time = Timestamp(parsing: text), years.contains(SchoolDate(day: time.dayNumber).components.year) else { return nil }
        return time
    }
}
