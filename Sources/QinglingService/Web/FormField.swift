/// One input of a step's form: its name (the event's field it fills), its Chinese label, how it
/// is entered (a list, a date, a line of text, a paragraph, an amount in yuan) and, when the
/// form comes back refused, what was typed and the message next to it.
struct FormField {
    /// How a field is entered. Codes and dates are never typed free: a list or a date picker.
    enum Input {
        case choice([Choice])
        case date
        case line
        case paragraph
        /// An amount in yuan (元) with at most two decimals, kept as integer fen.
        case yuan
    }

    /// One entry of a list: the code sent, the Chinese text shown.
    struct Choice {
        var value: String
        var label: String
    }

    var name: String
    var label: String
    var input: Input
    var required: Bool
    /// A hint shown under the input.
    var hint: String?

    init(_ name: String, _ label: String, _ input: Input, required: Bool = true, hint: String? = nil) {
        self.name = name
        self.label = label
        self.input = input
        self.required = required
        self.hint = hint
    }

    /// The values of a list whose codes are their own Chinese names (regions, industries).
    static func names(_ names: [String]) -> Input {
        .choice(names.map { Choice(value: $0, label: $0) })
    }
}

/// What the form shows of a field: the template reads these by name (`form.mustache`).
struct FieldView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    var name: String
    var id: String
    var label: String
    var isChoice: Bool
    var isDate: Bool
    var isLine: Bool
    var isParagraph: Bool
    var isYuan: Bool
    var options: [Option]
    var value: String
    var required: Bool
    var hint: String?
    var error: String?
    /// The ids of the hint and the error, which describe the input to a screen reader.
    var describedBy: String?

    /// `field` showing `value` (what was typed, or the default) and `error`, if any.
    init(_ field: FormField, value: String, error: String?) {
        name = field.name
        id = "f-" + field.name
        label = field.label
        required = field.required
        hint = field.hint
        self.value = value
        self.error = error
        let inputId = "f-" + field.name
        let described = [field.hint.map { _ in inputId + "-hint" }, error.map { _ in inputId + "-error" }].compactMap { $0 }
        describedBy = described.isEmpty ? nil : described.joined(separator: " ")
        isChoice = false
        isDate = false
        isLine = false
        isParagraph = false
        isYuan = false
        options = []
        switch field.input {
        case .choice(let choices):
            isChoice = true
            options = choices.map { Option(value: $0.value, label: $0.label, selected: $0.value == value) }
        case .date: isDate = true
        case .line: isLine = true
        case .paragraph: isParagraph = true
        case .yuan: isYuan = true
        }
    }
}
