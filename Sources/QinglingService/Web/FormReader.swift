import Foundation
import QinglingEvents

/// Reads a posted form's fields as the values an event holds, collecting a Chinese message per
/// field that is missing or not a valid date, amount or choice of its list. The event is built
/// only when no field has a message.
struct FormReader {
    let form: FormBody
    /// The message of each refused field, by its name.
    private(set) var errors: [String: String] = [:]
    /// A message about the form as a whole, not one of its fields.
    private(set) var message: String?

    init(_ form: FormBody) {
        self.form = form
    }

    /// Refuses `field` with `message`.
    mutating func refuse(field: FormField, _ message: String) {
        errors[field.name] = message
    }

    /// Refuses the form as a whole with `message`.
    mutating func refuse(_ message: String) {
        self.message = message
    }

    /// The text of `field`, trimmed; `nil` (with a message when required) when empty.
    mutating func text(_ field: FormField) -> String? {
        let value = (form[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            if field.required { errors[field.name] = "请填写「\(field.label)」。" }
            return nil
        }
        return value
    }

    /// The date of `field` (`YYYY-MM-DD`, as a date picker sends it).
    mutating func date(_ field: FormField) -> CalendarDate? {
        guard let text = text(field) else { return nil }
        guard let date = CalendarDate(text) else {
            errors[field.name] = "「\(field.label)」不是有效的日期，请用日期选择器选择（年-月-日）。"
            return nil
        }
        return date
    }

    /// The code of `field` chosen from its list; anything not on the list is refused.
    mutating func choice(_ field: FormField) -> String? {
        guard let value = text(field) else { return nil }
        guard case .choice(let choices) = field.input, choices.contains(where: { $0.value == value }) else {
            errors[field.name] = "「\(field.label)」须从列表中选择。"
            return nil
        }
        return value
    }

    /// The value of a vocabulary chosen in `field`.
    mutating func code<T: RawRepresentable>(_ field: FormField, as type: T.Type) -> T? where T.RawValue == String {
        choice(field).flatMap(T.init(rawValue:))
    }

    /// The amount of `field` in yuan, as integer fen; an empty optional field is 0.
    mutating func fen(_ field: FormField) -> Int64? {
        guard let text = text(field) else { return field.required ? nil : 0 }
        guard let fen = Self.fen(yuan: text) else {
            errors[field.name] = "「\(field.label)」须是以元为单位的金额，最多两位小数，如 1500 或 1500.50。"
            return nil
        }
        return fen
    }

    /// `1500.5` yuan as 150050 fen, without floating point; `nil` for anything else than
    /// digits with at most two decimals, or more than a trillion yuan.
    static func fen(yuan text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, (1...12).contains(whole.count), whole.allSatisfy(\.isASCIIDigit), let yuan = Int64(whole) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard (1...2).contains(decimals.count), decimals.allSatisfy(\.isASCIIDigit), let value = Int64(decimals) else { return nil }
            cents = decimals.count == 1 ? value * 10 : value
        }
        return yuan * 100 + cents
    }
}

extension Character {
    /// Whether the character is one of the ASCII digits 0–9.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
