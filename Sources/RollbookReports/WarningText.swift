/// Warnings as standard error shows them: `warning: ` and the sentence, wrapped at word boundaries to
/// fit 100 columns, continuation lines indented by two spaces.
public enum WarningText {
    /// The widest line.
    public static let width = 100

    /// One warning, wrapped (a word longer than a line stays whole on its own line).
    public static func wrapped(_ warning: String) -> String {
        var lines: [String] = []
        var line = "warning:"
        for word in warning.split(separator: " ", omittingEmptySubsequences: true) {
            if line.count + 1 + word.count > width && line.count > 2 {
                lines.append(line)
                line = "  " + word
            } else {
                line += " " + word
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
