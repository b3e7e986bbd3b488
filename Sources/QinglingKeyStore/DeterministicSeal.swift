import Crypto

/// AES-256-GCM with a synthetic nonce: the nonce is an HMAC of the plaintext (under a key
/// derived from the data key), so sealing the same plaintext under the same key and context
/// gives the same bytes (a retried append is recognised as the same event), while two
/// different plaintexts never share a nonce (but for a 96-bit HMAC collision). The context
/// (the key's name) is authenticated as associated data.
///
/// Output: nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes), AES-GCM's combined form.
public enum DeterministicSeal {
    public static func seal(_ plaintext: [UInt8], key: SymmetricKey, context: [UInt8]) -> [UInt8] {
        let (encryption, nonceKey) = subkeys(key)
        var message = context
        message.append(0)
        message += plaintext
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: nonceKey))
        do {
            let nonce = try AES.GCM.Nonce(data: mac.prefix(12))
            let box = try AES.GCM.seal(plaintext, using: encryption, nonce: nonce, authenticating: context)
            guard let combined = box.combined else { preconditionFailure("AES-GCM with a 12-byte nonce has a combined form") }
            return Array(combined)
        } catch {
            preconditionFailure("AES-GCM sealing with a 32-byte key and 12-byte nonce cannot fail: \(error)")
        }
    }

    /// The plaintext of `combined`, or `.unopenable` when `key` and `context` do not open it.
    public static func open(_ combined: [UInt8], key: SymmetricKey, context: [UInt8]) throws(KeyStoreError) -> [UInt8] {
        let (encryption, _) = subkeys(key)
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return Array(try AES.GCM.open(box, using: encryption, authenticating: context))
        } catch {
            throw .unopenable
        }
    }

    private static func subkeys(_ key: SymmetricKey) -> (encryption: SymmetricKey, nonce: SymmetricKey) {
        (HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("qingling seal encryption".utf8), outputByteCount: 32),
         HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("qingling seal nonce".utf8), outputByteCount: 32))
    }
}
