extension String {
    /// The text as it may be printed on a terminal: every control character made visible and
    /// harmless, so that the free text of an event (a reason, a description, a name) can never
    /// move the cursor, erase a line, change colours or break a table's row.
    ///
    /// Tab, line feed and carriage return become a space (a cell stays on its line); every
    /// other C0 control character and DEL becomes its Unicode control picture (ESC is `␛`,
    /// U+241B); a C1 control character (U+0080–U+009F), which has no picture, becomes its
    /// escape `\u{9B}`. Everything else is kept. JSON and CSV keep the exact text (escaped or
    /// quoted as their formats say), so this is for the terminal table and plain-text lines only.
    public var terminalSafe: String {
        guard unicodeScalars.contains(where: \.isControlCharacter) else { return self }
        var safe = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: safe.append(" ")
            case 0x00...0x1F: safe.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
            case 0x7F: safe.append("\u{2421}")
            case 0x80...0x9F: safe.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: safe.append(scalar)
            }
        }
        return String(safe)
    }
}

extension Unicode.Scalar {
    /// A C0 control character, DEL or a C1 control character.
    public var isControlCharacter: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }
}
