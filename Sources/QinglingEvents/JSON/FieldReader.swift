/// Reads the members of a JSON object strictly, collecting every problem with its path (e.g.
/// `data.responsible.townOfficer.name: required`) instead of stopping at the first.
final class Problems {
    private(set) var list: [String] = []
    func add(_ path: String, _ message: String) { list.append("\(path): \(message)") }
    var isEmpty: Bool { list.isEmpty }
}

struct ObjectReader {
    let path: String
    let members: [JSONMember]
    let problems: Problems
    private var used: Set<String> = []

    /// Reads `value` as an object; a problem (and `nil`) for anything else.
    init?(_ value: JSONValue, path: String, problems: Problems) {
        guard case .object(let members) = value else {
            problems.add(path, "expected an object, found \(value.kindName)")
            return nil
        }
        self.path = path
        self.members = members
        self.problems = problems
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// Whether the document has `key` (with any value, `null` included).
    func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// The raw value of `key`; a problem when required and missing. `null` is refused: an
    /// absent optional field is left out.
    mutating func value(_ key: String, required: Bool = true) -> JSONValue? {
        used.insert(key)
        guard let member = members.first(where: { $0.key == key }) else {
            if required { problems.add(child(key), "required") }
            return nil
        }
        guard member.value != .null else {
            problems.add(child(key), "null is not allowed; leave an absent field out")
            return nil
        }
        return member.value
    }

    /// A string of `minLength`...`maxLength` Unicode scalars, not blank.
    mutating func string(_ key: String, minLength: Int = 1, maxLength: Int, required: Bool = true) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value else {
            problems.add(child(key), "expected a string, found \(value.kindName)")
            return nil
        }
        let length = text.unicodeScalars.count
        guard length >= minLength, length <= maxLength else {
            problems.add(child(key), "must have \(minLength) to \(maxLength) characters, has \(length)")
            return nil
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            problems.add(child(key), "must not be blank")
            return nil
        }
        return text
    }

    /// A string matching one of the syntaxes the caller checks with `isValid`.
    mutating func identifier(_ key: String, required: Bool = true, describe: String, _ isValid: (String) -> Bool) -> String? {
        guard let text = string(key, maxLength: 64, required: required) else { return nil }
        guard isValid(text) else {
            problems.add(child(key), "\"\(text)\" is not \(describe)")
            return nil
        }
        return text
    }

    /// An integer written without fraction or exponent, in `range`.
    mutating func integer(_ key: String, in range: ClosedRange<Int64>, required: Bool = true, unit: String = "") -> Int64? {
        guard let value = value(key, required: required) else { return nil }
        guard case .number(let text) = value else {
            problems.add(child(key), "expected an integer\(unit), found \(value.kindName)")
            return nil
        }
        guard let number = Int64(text) else {
            problems.add(child(key), "expected an integer\(unit), found \(text)")
            return nil
        }
        guard range.contains(number) else {
            problems.add(child(key), "\(number) is outside \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return number
    }

    /// A member of a closed vocabulary, by its code.
    mutating func code<Vocabulary: RawRepresentable & CaseIterable>(_ key: String, as _: Vocabulary.Type, required: Bool = true) -> Vocabulary?
    where Vocabulary.RawValue == String {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value, let result = Vocabulary(rawValue: text) else {
            let allowed = Vocabulary.allCases.map(\.rawValue).joined(separator: ", ")
            problems.add(child(key), "expected one of \(allowed), found \(JSONWriter.string(value))")
            return nil
        }
        return result
    }

    /// A `YYYY-MM-DD` date.
    mutating func date(_ key: String, required: Bool = true) -> CalendarDate? {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value, let date = CalendarDate(text) else {
            problems.add(child(key), "expected a date YYYY-MM-DD, found \(JSONWriter.string(value))")
            return nil
        }
        return date
    }

    /// An RFC 3339 time with the +08:00 offset.
    mutating func dateTime(_ key: String, required: Bool = true) -> ShanghaiDateTime? {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value, let time = ShanghaiDateTime(text) else {
            problems.add(child(key), "expected a time YYYY-MM-DDTHH:MM:SS+08:00 (Asia/Shanghai), found \(JSONWriter.string(value))")
            return nil
        }
        return time
    }

    /// A nested object.
    mutating func object(_ key: String, required: Bool = true) -> ObjectReader? {
        guard let value = value(key, required: required) else { return nil }
        return ObjectReader(value, path: child(key), problems: problems)
    }

    /// An array of 1...`maxCount` distinct strings, each checked by `check` (a problem or `nil`).
    mutating func stringArray(_ key: String, maxCount: Int, required: Bool = true, check: (String) -> String?) -> [String]? {
        guard let value = value(key, required: required) else { return nil }
        guard case .array(let elements) = value else {
            problems.add(child(key), "expected an array, found \(value.kindName)")
            return nil
        }
        guard (1...maxCount).contains(elements.count) else {
            problems.add(child(key), "must hold 1 to \(maxCount) items, holds \(elements.count)")
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            let elementPath = child(key) + "[\(index)]"
            guard case .string(let text) = element else {
                problems.add(elementPath, "expected a string, found \(element.kindName)")
                continue
            }
            if let problem = check(text) { problems.add(elementPath, problem); continue }
            if result.contains(text) { problems.add(elementPath, "\"\(text)\" appears twice"); continue }
            result.append(text)
        }
        return result.count == elements.count ? result : nil
    }

    /// Reports members that no read asked for.
    func finish() {
        for member in members where !used.contains(member.key) {
            problems.add(child(member.key), "unknown field")
        }
    }
}
