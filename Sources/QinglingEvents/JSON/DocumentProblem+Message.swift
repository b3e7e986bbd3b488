extension DocumentProblem {
    /// The field's path and what is wrong with it, in Chinese (`.zh`) or English (`.en`), e.g.
    /// `data.completedOn：必填` or `data.completedOn: required`; a problem of the document itself
    /// is its message alone.
    public func text(_ language: Language) -> String {
        guard !path.isEmpty else { return kind.message(language) }
        return path + language.pick(zh: "：", en: ": ") + kind.message(language)
    }
}

extension DocumentProblem.Kind {
    /// What is wrong, in Chinese (`.zh`) or English (`.en`); field names, values and codes as
    /// they are.
    public func message(_ language: Language) -> String {
        let zh = language == .zh
        switch self {
        case .unknownField: return zh ? "未知字段" : "unknown field"
        case .required: return zh ? "必填" : "required"
        case .null: return zh ? "不能为 null；可省略的字段不写即可" : "null is not allowed; leave an absent field out"
        case let .expected(expectation, found):
            guard zh else { return "expected \(expectation.message(.en)), found \(found.message(.en))" }
            if case .value = found { return "应为\(expectation.message(.zh))，实为 \(found.message(.zh))" }
            return "应为\(expectation.message(.zh))，实为\(found.message(.zh))"
        case let .length(range, found):
            return zh ? "应有 \(range.lowerBound) 至 \(range.upperBound) 个字符，实有 \(found) 个"
                : "must have \(range.lowerBound) to \(range.upperBound) characters, has \(found)"
        case .blank: return zh ? "不能为空白" : "must not be blank"
        case let .controlCharacter(scalar, position):
            let code = ControlCharacters.code(scalar)
            return zh ? "第 \(position) 个字符为控制字符 \(code)；字符串不得含控制字符（长文本可含换行符和制表符）"
                : "holds the control character \(code) at character \(position); no string may hold control characters (long free text may hold line feeds and tabs)"
        case let .notAn(form, found): return zh ? "\"\(found)\" 不是\(form.name(.zh))" : "\"\(found)\" is not \(form.name(.en))"
        case .duplicate(let value): return zh ? "\"\(value)\" 重复出现" : "\"\(value)\" appears twice"
        case let .outOfRange(number, range):
            return zh ? "\(number) 超出范围 \(range.lowerBound)...\(range.upperBound)" : "\(number) is outside \(range.lowerBound)...\(range.upperBound)"
        case let .itemCount(range, found):
            return zh ? "应有 \(range.lowerBound) 至 \(range.upperBound) 项，实有 \(found) 项"
                : "must hold \(range.lowerBound) to \(range.upperBound) items, holds \(found)"
        case .organizationKind(let allowed):
            return zh ? "应为以下之一：" + allowed.joined(separator: "、") : "must be one of " + allowed.joined(separator: ", ")
        case .outputFieldsApart:
            return zh ? "sequence、recordedAt 和 hash 须一起出现（来自导出）或都不出现"
                : "sequence, recordedAt and hash come together (from an export) or not at all"
        case .notASHA256: return zh ? "应为 64 位小写十六进制数字（SHA-256）" : "must be 64 lowercase hexadecimal digits (a SHA-256)"
        case let .creditCode(code, problem):
            return zh ? "\"\(code)\" 不是有效的统一社会信用代码：\(problem.message(.zh))"
                : "\"\(code)\" is not a valid unified social credit code: \(problem.message(.en))"
        case .reporterField(let form):
            switch form {
            case .phone: return zh ? "不是电话号码（数字，可含开头的 + 及空格、连字符，5 至 20 个字符）" : "is not a phone number (digits, maybe a leading + and spaces or hyphens; 5 to 20 characters)"
            case .idNumber: return zh ? "不是证件号码（字母和数字，6 至 30 个字符）" : "is not an identity document number (letters and digits, 6 to 30 characters)"
            case .idNumberCheck: return zh ? "居民身份证号码的校验码不符（GB 11643）" : "fails the check character of a resident identity card number (GB 11643)"
            case .bankAccount: return zh ? "不是银行账号（字母和数字，可含空格，8 至 34 个字符，至少 8 位数字）" : "is not a bank account number (letters and digits, maybe spaces; 8 to 34 characters, at least 8 digits)"
            }
        case .reporterEmpty:
            return zh ? "应至少含 name、phone、idNumber、bankAccount 之一" : "must hold at least one of name, phone, idNumber, bankAccount"
        case .reporterSealedOnInput:
            return zh ? "只有本程序加密举报人身份；请在 data.reporter 中给出身份" : "only this program seals a reporter's identity: give it as data.reporter"
        case .reporterNotSealedHere:
            return zh ? "此处不能加密举报人身份" : "a reporter's identity cannot be sealed here"
        case .notAnIndustry(let industry): return zh ? "\"\(industry)\" 不在行业列表中" : "\"\(industry)\" is not one of the industries"
        case let .industryAlreadyLed(industry, other):
            return zh ? "\"\(industry)\" 已由 \(other) 牵头；一个行业只有一个牵头部门"
                : "\"\(industry)\" is already led by \(other); an industry has one lead department"
        case .committeeLeadsIndustries:
            return zh ? "安委会办公室不牵头任何行业；应为 []" : "the committee's office leads no industry; expected []"
        }
    }
}

extension DocumentProblem.Expectation {
    /// What the field takes, as "expected …" (`.en`) or "应为…" (`.zh`) continues.
    func message(_ language: Language) -> String {
        let zh = language == .zh
        switch self {
        case .object: return zh ? "对象" : "an object"
        case .string: return zh ? "字符串" : "a string"
        case .array: return zh ? "数组" : "an array"
        case .nonEmptyArray: return zh ? "非空数组" : "a non-empty array"
        case .boolean: return zh ? "布尔值（true 或 false）" : "true or false"
        case .integer: return zh ? "整数" : "an integer"
        case .fen: return zh ? "整数（单位：分）" : "an integer number of fen"
        case .date: return zh ? "日期（YYYY-MM-DD）" : "a date YYYY-MM-DD"
        case .dateTime: return zh ? "时间（YYYY-MM-DDTHH:MM:SS+08:00，北京时间）" : "a time YYYY-MM-DDTHH:MM:SS+08:00 (Asia/Shanghai)"
        case .oneOf(let codes): return zh ? "以下之一：" + codes.joined(separator: "、") : "one of " + codes.joined(separator: ", ")
        case .nonBlankString(let maxLength):
            return zh ? "非空白字符串（1 至 \(maxLength) 个字符）" : "a non-blank string of 1 to \(maxLength) characters"
        }
    }
}

extension DocumentProblem.Found {
    /// What was found, as "found …" (`.en`) or "实为…" (`.zh`) continues; a value as JSON text.
    func message(_ language: Language) -> String {
        let zh = language == .zh
        switch self {
        case .value(let text): return text
        case .emptyArray: return zh ? "空数组" : "an empty one"
        case .kind(let kind):
            switch kind {
            case .null: return "null"
            case .boolean: return zh ? "布尔值" : "a boolean"
            case .number: return zh ? "数字" : "a number"
            case .string: return zh ? "字符串" : "a string"
            case .array: return zh ? "数组" : "an array"
            case .object: return zh ? "对象" : "an object"
            }
        }
    }
}

extension DocumentProblem.IdentifierForm {
    /// The form's name, as "is not …" (`.en`) or "不是…" (`.zh`) continues.
    func name(_ language: Language) -> String {
        let zh = language == .zh
        switch self {
        case .eventId: return zh ? "有效的事件编号（字母、数字及 . _ : -，最多 64 个字符）" : "an event id (letters, digits, . _ : -; up to 64)"
        case .hazardId: return zh ? "形如 LX-2024-0031 的隐患编号" : "a hazard id like LX-2024-0031"
        case .tipOffId: return zh ? "形如 JB-2024-0007 的举报编号" : "a tip-off id like JB-2024-0007"
        case .divisionCode: return zh ? "六位行政区划代码" : "a six-digit administrative division code"
        case .hazardIdPrefix: return zh ? "由 2 至 8 个大写字母（A-Z）组成的前缀" : "2 to 8 capital letters A-Z"
        }
    }
}
