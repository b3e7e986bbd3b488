/// A tip-off reporter's identity as the log keeps it: encrypted (AES-GCM) under a key of its
/// own that lives outside the log, in the key store, under `keyId`. Destroying that key
/// (`ReporterKeyDestroyed`) makes the identity unrecoverable while the event, its hash and
/// every proof over it stay as they were. See `docs/security.md`.
public struct SealedReporter: Hashable, Sendable {
    /// The name of the key in the key store.
    public var keyId: String
    /// Nonce (12 bytes), ciphertext and tag (16 bytes), as AES-GCM's combined form.
    public var ciphertext: [UInt8]

    public init(keyId: String, ciphertext: [UInt8]) {
        self.keyId = keyId
        self.ciphertext = ciphertext
    }
}

/// A tip-off reporter's real identity, as given on input (`data.reporter`) and as a reveal
/// prints it: never stored in plain text. At least one field is present.
public struct ReporterIdentity: Hashable, Sendable {
    public var name: String?
    public var phone: String?
    public var idNumber: String?
    public var bankAccount: String?

    public init(name: String? = nil, phone: String? = nil, idNumber: String? = nil, bankAccount: String? = nil) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
        self.bankAccount = bankAccount
    }

    /// What is wrong with `value` as the field `key` (`name`, `phone`, `idNumber`,
    /// `bankAccount`) by the rules of `data.reporter` (`docs/events.md`), or `nil`. The problem
    /// never repeats the value.
    public static func problem(field key: String, _ value: String) -> DocumentProblem.Kind? {
        ReporterInput.problem(key, value)
    }

    /// The fields that are present, by their interchange names, in a fixed order.
    public var fields: [(key: String, value: String)] {
        [("name", name), ("phone", phone), ("idNumber", idNumber), ("bankAccount", bankAccount)].compactMap { key, value in
            value.map { (key, $0) }
        }
    }

    /// The plaintext that is sealed: the identity as a compact JSON object, members in a fixed
    /// order (so that the same identity always gives the same bytes).
    public var plaintext: [UInt8] {
        var json = JSONOutput()
        json.beginObject()
        if let name { json.key("name"); json.string(name) }
        if let phone { json.key("phone"); json.string(phone) }
        if let idNumber { json.key("idNumber"); json.string(idNumber) }
        if let bankAccount { json.key("bankAccount"); json.string(bankAccount) }
        json.endObject()
        return json.bytes
    }

    /// The identity of an opened plaintext, or `nil` when the bytes are not one.
    public init?(plaintext bytes: [UInt8]) {
        guard case .object(let members)? = try? JSONParser.parse(bytes) else { return nil }
        var identity = ReporterIdentity()
        for member in members {
            guard case .string(let text) = member.value else { return nil }
            switch member.key {
            case "name": identity.name = text
            case "phone": identity.phone = text
            case "idNumber": identity.idNumber = text
            case "bankAccount": identity.bankAccount = text
            default: return nil
            }
        }
        guard !identity.fields.isEmpty else { return nil }
        self = identity
    }
}

/// Standard base64 (RFC 4648, with padding), for the ciphertext in the interchange form.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let a = UInt32(bytes[index])
            let b = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let c = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = a << 16 | b << 8 | c
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(index + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
