/// Reads the members of a JSON object strictly, collecting every problem with its path (e.g.
/// `data.responsible.townOfficer.name`, required) instead of stopping at the first.
final class Problems {
    private(set) var list: [DocumentProblem] = []
    func add(_ path: String, _ kind: DocumentProblem.Kind) { list.append(DocumentProblem(path: path, kind)) }
    /// Adds the problem of the first control character `text` may not hold (`ControlCharacters`;
    /// `freeText` allows line feeds and tabs) at `path`; whether there was one.
    func addControlCharacter(in text: String, at path: String, freeText: Bool = false) -> Bool {
        guard let control = ControlCharacters.first(in: text, freeText: freeText) else { return false }
        add(path, .controlCharacter(control.scalar, position: control.position))
        return true
    }
    var isEmpty: Bool { list.isEmpty }
}

struct ObjectReader {
    let path: String
    let members: [JSONMember]
    let problems: Problems
    /// The members some read asked for, by position (keys are distinct: the parser refuses a
    /// duplicate): the first 64 as bits, any others in a set.
    private var usedFirst: UInt64 = 0
    private var usedOthers: Set<Int> = []

    /// Reads `value` as an object; a problem (and `nil`) for anything else.
    init?(_ value: JSONValue, path: String, problems: Problems) {
        guard case .object(let members) = value else {
            problems.add(path, .expected(.object, found: .kind(value.kind)))
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
        guard let index = members.firstIndex(where: { $0.key == key }) else {
            if required { problems.add(child(key), .required) }
            return nil
        }
        if index < 64 { usedFirst |= 1 << UInt64(index) } else { usedOthers.insert(index) }
        let member = members[index]
        guard member.value != .null else {
            problems.add(child(key), .null)
            return nil
        }
        return member.value
    }

    /// A string of `minLength`...`maxLength` Unicode scalars, without control characters
    /// (`freeText` allows line feeds and tabs), not blank.
    mutating func string(_ key: String, minLength: Int = 1, maxLength: Int, required: Bool = true, freeText: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value else {
            problems.add(child(key), .expected(.string, found: .kind(value.kind)))
            return nil
        }
        let length = ControlCharacters.scalarCount(of: text)
        guard length >= minLength, length <= maxLength else {
            problems.add(child(key), .length(minLength...maxLength, found: length))
            return nil
        }
        if problems.addControlCharacter(in: text, at: child(key), freeText: freeText) { return nil }
        guard !ControlCharacters.isBlank(text) else {
            problems.add(child(key), .blank)
            return nil
        }
        return text
    }

    /// A string of the identifier `form`, which the caller checks with `isValid`.
    mutating func identifier(_ key: String, required: Bool = true, form: DocumentProblem.IdentifierForm, _ isValid: (String) -> Bool) -> String? {
        guard let text = string(key, maxLength: 64, required: required) else { return nil }
        guard isValid(text) else {
            problems.add(child(key), .notAn(form, found: text))
            return nil
        }
        return text
    }

    /// An integer written without fraction or exponent, in `range`; `expected` names it in a
    /// problem (an integer, or an amount of fen).
    mutating func integer(_ key: String, in range: ClosedRange<Int64>, required: Bool = true,
                          expected: DocumentProblem.Expectation = .integer) -> Int64? {
        guard let value = value(key, required: required) else { return nil }
        guard case .number(let text) = value else {
            problems.add(child(key), .expected(expected, found: .kind(value.kind)))
            return nil
        }
        guard let number = Int64(text) else {
            problems.add(child(key), .expected(expected, found: .value(text)))
            return nil
        }
        guard range.contains(number) else {
            problems.add(child(key), .outOfRange(number, range))
            return nil
        }
        return number
    }

    /// A member of a closed vocabulary, by its code.
    mutating func code<Vocabulary: RawRepresentable & CaseIterable>(_ key: String, as _: Vocabulary.Type, required: Bool = true) -> Vocabulary?
    where Vocabulary.RawValue == String {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value, let result = Vocabulary(rawValue: text) else {
            problems.add(child(key), .expected(.oneOf(Vocabulary.allCases.map(\.rawValue)), found: .value(JSONWriter.string(value))))
            return nil
        }
        return result
    }

    /// A `YYYY-MM-DD` date.
    mutating func date(_ key: String, required: Bool = true) -> CalendarDate? {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value, let date = CalendarDate(text) else {
            problems.add(child(key), .expected(.date, found: .value(JSONWriter.string(value))))
            return nil
        }
        return date
    }

    /// An RFC 3339 time with the +08:00 offset.
    mutating func dateTime(_ key: String, required: Bool = true) -> ShanghaiDateTime? {
        guard let value = value(key, required: required) else { return nil }
        guard case .string(let text) = value, let time = ShanghaiDateTime(text) else {
            problems.add(child(key), .expected(.dateTime, found: .value(JSONWriter.string(value))))
            return nil
        }
        return time
    }

    /// A nested object.
    mutating func object(_ key: String, required: Bool = true) -> ObjectReader? {
        guard let value = value(key, required: required) else { return nil }
        return ObjectReader(value, path: child(key), problems: problems)
    }

    /// An array of 1...`maxCount` distinct strings without control characters, each checked by
    /// `check` (a problem or `nil`).
    mutating func stringArray(_ key: String, maxCount: Int, required: Bool = true, check: (String) -> DocumentProblem.Kind?) -> [String]? {
        guard let value = value(key, required: required) else { return nil }
        guard case .array(let elements) = value else {
            problems.add(child(key), .expected(.array, found: .kind(value.kind)))
            return nil
        }
        guard (1...maxCount).contains(elements.count) else {
            problems.add(child(key), .itemCount(1...maxCount, found: elements.count))
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            let elementPath = child(key) + "[\(index)]"
            guard case .string(let text) = element else {
                problems.add(elementPath, .expected(.string, found: .kind(element.kind)))
                continue
            }
            if problems.addControlCharacter(in: text, at: elementPath) { continue }
            if let problem = check(text) { problems.add(elementPath, problem); continue }
            if result.contains(text) { problems.add(elementPath, .duplicate(text)); continue }
            result.append(text)
        }
        return result.count == elements.count ? result : nil
    }

    /// An array of 0...`maxCount` objects, each read by `read` (`nil` when it has a problem).
    mutating func objects<T>(_ key: String, maxCount: Int, required: Bool = true, _ read: (inout ObjectReader) -> T?) -> [T]? {
        guard let value = value(key, required: required) else { return nil }
        guard case .array(let elements) = value else {
            problems.add(child(key), .expected(.array, found: .kind(value.kind)))
            return nil
        }
        guard elements.count <= maxCount else {
            problems.add(child(key), .itemCount(0...maxCount, found: elements.count))
            return nil
        }
        var result: [T] = []
        for (index, element) in elements.enumerated() {
            guard var object = ObjectReader(element, path: child(key) + "[\(index)]", problems: problems) else { continue }
            if let item = read(&object) { result.append(item) }
            object.finish()
        }
        return result.count == elements.count ? result : nil
    }

    /// A string of 0...`maxLength` Unicode scalars without control characters: empty, or not
    /// blank; empty when the member is absent.
    mutating func optionalText(_ key: String, maxLength: Int) -> String? {
        guard has(key) else { return "" }
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value, text.isEmpty else { return string(key, maxLength: maxLength) }
        return text
    }

    /// Reports members that no read asked for.
    func finish() {
        for (index, member) in members.enumerated() where index < 64 ? usedFirst & 1 << UInt64(index) == 0 : !usedOthers.contains(index) {
            problems.add(child(member.key), .unknownField)
        }
    }
}
