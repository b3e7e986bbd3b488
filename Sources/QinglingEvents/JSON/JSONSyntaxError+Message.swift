extension JSONSyntaxError.Kind {
    /// What is wrong, in Chinese (`.zh`) or English (`.en`); without the place.
    public func message(_ language: Language) -> String {
        let zh = language == .zh
        switch self {
        case .unexpectedEnd: return zh ? "输入意外结束" : "unexpected end of input"
        case .unexpectedCharacter: return zh ? "意外的字符" : "unexpected character"
        case .invalidLiteral(let word): return zh ? "无效的字面量（应为 \(word)）" : "invalid literal (expected \(word))"
        case .textAfterValue: return zh ? "JSON 值之后还有多余内容" : "unexpected text after the JSON value"
        case .nestedTooDeep(let limit): return zh ? "嵌套超过 \(limit) 层" : "nested deeper than \(limit) levels"
        case .expectedKey: return zh ? "应为字符串键" : "expected a string key"
        case .duplicateKey(let key): return zh ? "重复的键 \"\(key)\"" : "duplicate key \"\(key)\""
        case .expectedColon: return zh ? "键后应为 ':'" : "expected ':' after a key"
        case .unfinishedObject: return zh ? "对象未结束，输入就结束了" : "unexpected end of input in an object"
        case .expectedCommaOrBrace: return zh ? "对象中应为 ',' 或 '}'" : "expected ',' or '}' in an object"
        case .unfinishedArray: return zh ? "数组未结束，输入就结束了" : "unexpected end of input in an array"
        case .expectedCommaOrBracket: return zh ? "数组中应为 ',' 或 ']'" : "expected ',' or ']' in an array"
        case .invalidNumber: return zh ? "无效的数字" : "invalid number"
        case .digitsAfterPoint: return zh ? "无效的数字：'.' 后应有数字" : "invalid number: digits must follow '.'"
        case .digitsAfterExponent: return zh ? "无效的数字：指数后应有数字" : "invalid number: digits must follow the exponent"
        case .unterminatedString: return zh ? "字符串未结束" : "unterminated string"
        case .invalidUTF8: return zh ? "字符串不是有效的 UTF-8" : "string is not valid UTF-8"
        case .controlCharacter: return zh ? "字符串中有控制字符" : "control character in a string"
        case .unterminatedEscape: return zh ? "转义不完整" : "unterminated escape"
        case .invalidEscape: return zh ? "无效的转义" : "invalid escape"
        case .truncatedUnicodeEscape: return zh ? "\\u 转义不完整" : "truncated \\u escape"
        case .invalidHexDigit: return zh ? "\\u 转义中有无效的十六进制数字" : "invalid hex digit in \\u escape"
        case .unpairedSurrogate: return zh ? "\\u 转义中有不成对的代理" : "unpaired surrogate in \\u escape"
        case .invalidLowSurrogate: return zh ? "\\u 转义中的低位代理无效" : "invalid low surrogate in \\u escape"
        case .invalidUnicodeEscape: return zh ? "无效的 \\u 转义" : "invalid \\u escape"
        }
    }
}
