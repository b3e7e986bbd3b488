/// The control characters no string of a document may hold (`docs/events.md`, Decisions): C0
/// (U+0000 to U+001F), DEL (U+007F) and C1 (U+0080 to U+009F), which a terminal or a log viewer
/// may obey instead of showing (`ESC [2K` clears a line, `CR` returns to its start). Long free
/// text (a description, reason, measures, findings, …) may hold a line feed or a tab: paragraphs
/// and pasted lists are ordinary there.
enum ControlCharacters {
    /// The first control character of `text` that it may not hold, with its position (in
    /// Unicode scalars, from 1); `nil` when there is none. `freeText` allows line feeds and tabs.
    static func first(in text: String, freeText: Bool) -> (scalar: Unicode.Scalar, position: Int)? {
        // Nearly every string has none: its UTF-8 bytes tell at once. Only a byte below 0x20,
        // DEL, or 0xC2 (which leads U+0080 to U+00BF, C1 among them) needs the scalars read.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() where isControl(scalar) {
            if freeText && (scalar == "\n" || scalar == "\t") { continue }
            return (scalar, offset + 1)
        }
        return nil
    }

    /// Whether `scalar` is C0, DEL or C1.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// How many Unicode scalars `text` holds, counted in its UTF-8 bytes (every byte but a
    /// continuation byte starts one): the same as `text.unicodeScalars.count`, without stepping
    /// through the scalars.
    static func scalarCount(of text: String) -> Int {
        text.utf8.reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }

    /// Whether `text` is empty or only white space: settled at once when it starts with an
    /// ASCII letter, digit or punctuation mark, else by its scalars' properties.
    static func isBlank(_ text: String) -> Bool {
        if let first = text.utf8.first, (0x21...0x7E).contains(first) { return false }
        return !text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// The scalar as `U+001B`.
    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
