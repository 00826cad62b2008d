#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif

/// Text made safe for an XML 1.0 document, and documents written with every markup character escaped.
public enum XMLText {
    /// The text with every character XML 1.0 forbids (control characters other than tab, line feed and
    /// carriage return; U+FFFE and U+FFFF) replaced by U+FFFD, so a document never holds one, whatever
    /// reached the ledger. `&`, `<` and `>` are escaped by the XML writer itself.
    public static func safe(_ text: String) -> String { TextEscaping.xmlText(text) }

    /// The document as indented UTF-8 text ending in a newline, with `"` and `'` in element text
    /// escaped as `&quot;` and `&apos;` as well as the `&`, `<` and `>` FoundationXML escapes, so no
    /// reader can take a name for markup.
    ///
    /// Rollbook's documents carry no attributes, comments or processing instructions, so after the XML
    /// declaration every quote is element text; a document with attributes is written as FoundationXML
    /// writes it.
    public static func serialize(_ document: XMLDocument) -> String {
        var text = String(decoding: document.xmlData(options: [.nodePrettyPrint]), as: UTF8.self)
        if !text.hasSuffix("\n") { text += "\n" }
        guard let root = document.rootElement(), !hasAttributes(root),
              text.hasPrefix("<?xml"), let end = text.range(of: "?>") else { return text }
        let body = text[end.upperBound...].replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
        return String(text[..<end.upperBound]) + body
    }

    /// Whether the element or any element inside it has an attribute.
    static func hasAttributes(_ element: XMLElement) -> Bool {
        if let attributes = element.attributes, !attributes.isEmpty { return true }
        return (element.children ?? []).contains { ($0 as? XMLElement).map(hasAttributes) ?? false }
    }
}
