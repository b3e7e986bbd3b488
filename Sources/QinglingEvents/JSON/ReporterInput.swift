/// Reads `data.reporter` of a `TipOffReceived` (`{"name", "phone", "idNumber", "bankAccount"}`,
/// each optional, at least one) and refuses `data.reporterSealed` on input. A problem names
/// the field, never its value: an identity must not reach an error message or a log.
///
/// - name: 1 to 50 characters, not blank, no control characters;
/// - phone: 5 to 20 characters: digits, a leading `+`, spaces and hyphens, at least 5 digits;
/// - idNumber: 6 to 30 ASCII letters and digits; 18 of them shaped as a resident identity card
///   number (17 digits and a digit or `X`) must pass its check character (GB 11643-1999);
/// - bankAccount: 8 to 34 ASCII letters, digits and spaces, at least 8 digits.
enum ReporterInput {
    /// The identity given, `.some(nil)` when there is none, `nil` after a problem.
    static func read(_ r: inout ObjectReader) -> ReporterIdentity?? {
        let path = r.path.isEmpty ? "" : r.path + "."
        var failed = false
        if r.has("reporterSealed") {
            _ = r.value("reporterSealed", required: false)
            r.problems.add(path + "reporterSealed", .reporterSealedOnInput)
            failed = true
        }
        guard r.has("reporter") else { return failed ? nil : .some(nil) }
        guard var object = r.object("reporter", required: false) else { return nil }
        defer { object.finish() }
        let fieldPath = path + "reporter."
        func checked(_ key: String, minLength: Int = 1, maxLength: Int, _ form: DocumentProblem.ReporterFieldForm?,
                     _ problem: (String) -> DocumentProblem.ReporterFieldForm?) -> String?? {
            let present = object.has(key)
            guard let value = object.string(key, minLength: minLength, maxLength: maxLength, required: false) else { return present ? nil : .some(nil) }
            if let found = problem(value) {
                object.problems.add(fieldPath + key, .reporterField(found))
                return nil
            }
            return .some(value)
        }
        let name = checked("name", maxLength: FieldLength.personName, nil) { _ in nil }
        let phone = checked("phone", maxLength: 20, .phone) { phoneProblem($0) }
        let idNumber = checked("idNumber", maxLength: 30, .idNumber) { idNumberProblem($0) }
        let bankAccount = checked("bankAccount", maxLength: 34, .bankAccount) { bankAccountProblem($0) }
        guard let name, let phone, let idNumber, let bankAccount, !failed else { return nil }
        let identity = ReporterIdentity(name: name, phone: phone, idNumber: idNumber, bankAccount: bankAccount)
        guard !identity.fields.isEmpty else {
            object.problems.add(path + "reporter", .reporterEmpty)
            return nil
        }
        return .some(identity)
    }

    /// The problem of `value` as the identity's field `key` (`name`, `phone`, `idNumber`,
    /// `bankAccount`), or `nil`: for inputs other than JSON (the web form). Never names the value.
    static func problem(_ key: String, _ value: String) -> DocumentProblem.Kind? {
        let length = value.unicodeScalars.count
        let maxLength = ["name": FieldLength.personName, "phone": 20, "idNumber": 30, "bankAccount": 34][key] ?? 0
        guard length >= 1, length <= maxLength else { return .length(1...maxLength, found: length) }
        if let control = ControlCharacters.first(in: value, freeText: false) { return .controlCharacter(control.scalar, position: control.position) }
        switch key {
        case "phone": return phoneProblem(value).map { .reporterField($0) }
        case "idNumber": return idNumberProblem(value).map { .reporterField($0) }
        case "bankAccount": return bankAccountProblem(value).map { .reporterField($0) }
        default: return nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
    private static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }

    static func phoneProblem(_ text: String) -> DocumentProblem.ReporterFieldForm? {
        let bytes = Array(text.utf8)
        let body = bytes.first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes[...]
        let allowed = body.allSatisfy { isDigit($0) || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") }
        return allowed && bytes.count >= 5 && body.filter(isDigit).count >= 5 ? nil : .phone
    }

    static func idNumberProblem(_ text: String) -> DocumentProblem.ReporterFieldForm? {
        let bytes = Array(text.utf8)
        guard (6...30).contains(bytes.count), bytes.allSatisfy({ isDigit($0) || isLetter($0) }) else { return .idNumber }
        let looksResident = bytes.count == 18 && bytes.prefix(17).allSatisfy(isDigit)
            && (isDigit(bytes[17]) || bytes[17] == UInt8(ascii: "X") || bytes[17] == UInt8(ascii: "x"))
        guard looksResident else { return nil }
        // ISO 7064 MOD 11-2, as GB 11643-1999 gives it.
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(bytes.prefix(17), weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        let expected = Array("10X98765432".utf8)[sum % 11]
        let last = bytes[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : bytes[17]
        return last == expected ? nil : .idNumberCheck
    }

    static func bankAccountProblem(_ text: String) -> DocumentProblem.ReporterFieldForm? {
        let bytes = Array(text.utf8)
        let allowed = bytes.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: " ") }
        return allowed && bytes.filter(isDigit).count >= 8 ? nil : .bankAccount
    }
}
