import RollbookDomain

/// Rules about text a person types into the ledger: names, positions, reasons, notes.
public enum Rules {
    /// The author of a write, trimmed, or an error naming the option when the name or position is
    /// blank (whitespace, newlines) or holds control characters.
    public static func identity(name: String, position: String) throws(LedgerError) -> Author {
        try checkText(name, at: .option("--author"), optional: false)
        try checkText(position, at: .option("--position"), optional: false)
        return Author(name: trimmed(name), position: trimmed(position))
    }

    /// The text without leading and trailing whitespace (newlines included).
    public static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// Refuses statutory text that is blank (only whitespace, newlines included) or holds control
    /// characters (which could forge a line of a report); `optional` text may be absent or empty.
    public static func checkText(_ text: String?, at place: InputPlace, optional: Bool) throws(LedgerError) {
        guard let text, !text.isEmpty else {
            if optional { return }
            throw .rejected("the value is missing", at: place)
        }
        if !optional && trimmed(text).isEmpty { throw .rejected("the value is blank", at: place) }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .rejected("the value holds a control character (such as a line break or escape)", at: place)
        }
    }
}
