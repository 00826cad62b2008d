/// Counts written as people write them: "1 day", "2 days", "0.5 days".
public enum Plural {
    /// "1 day", "3 days" (the plural is the singular plus "s" unless given).
    public static func of(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// A count written as text ("1", "1.5"), with the noun singular only when the text is exactly "1".
    public static func of(_ text: String, _ singular: String, _ plural: String? = nil) -> String {
        "\(text) \(text == "1" ? singular : plural ?? singular + "s")"
    }
}
