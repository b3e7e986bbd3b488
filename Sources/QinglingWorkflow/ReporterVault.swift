import Crypto
import QinglingEvents
import QinglingKeyStore

/// Seals tip-off reporters' identities with keys of their own, kept in a `KeyStore`; opens them
/// again (a reveal); destroys their keys (a shred). One key per `TipOffReceived`, named by its
/// event id: a retry of the event finds the same key, and `DeterministicSeal` gives the same
/// bytes for the same identity, so the retry is recognised as the same event, while a retry
/// with another identity differs, and is refused as a reused event id.
public final class ReporterVault: Sendable {
    public let keyStore: KeyStore

    public init(keyStore: KeyStore) {
        self.keyStore = keyStore
    }

    /// The name of the key that seals the identity given with event `eventId`.
    public static func keyId(forEvent eventId: String) -> String { eventId }

    /// Why an identity cannot be revealed.
    public enum RevealFailure: Error, Equatable, Sendable {
        /// The tip-off has no sealed identity.
        case noSealedReporter
        /// Its key was destroyed (`qingling tipoff shred`): nobody can recover it.
        case keyDestroyed(keyId: String)
        /// The key store does not hold its key (another key store?).
        case keyMissing(keyId: String)
        /// The key does not open the sealed bytes (damaged, or another key of that name).
        case unopenable(keyId: String)
    }

    /// Whether the key of event `eventId` was destroyed.
    public func wasDestroyed(eventId: String) -> Bool { keyStore.isDestroyed(Self.keyId(forEvent: eventId)) }

    /// `identity` sealed for event `eventId`: with the key the store holds for it, else one
    /// already put in `staged`, else a new random key put in `staged` (to be stored durably
    /// with `store` before the event is appended).
    public func seal(_ identity: ReporterIdentity, eventId: String, staged: inout [String: SymmetricKey]) -> SealedReporter {
        let keyId = Self.keyId(forEvent: eventId)
        let key: SymmetricKey
        if let stored = keyStore.key(keyId) ?? staged[keyId] {
            key = stored
        } else {
            key = SymmetricKey(size: .bits256)
            staged[keyId] = key
        }
        return SealedReporter(keyId: keyId, ciphertext: DeterministicSeal.seal(identity.plaintext, key: key, context: Array(keyId.utf8)))
    }

    /// Stores the keys `seal` staged, durably (before the events sealed with them are appended).
    public func store(_ staged: [String: SymmetricKey]) throws(KeyStoreError) {
        try keyStore.add(staged)
    }

    /// The identity sealed in `tipOff`.
    public func reveal(_ tipOff: TipOffReceived) throws(RevealFailure) -> ReporterIdentity {
        guard let sealed = tipOff.reporterSealed else { throw .noSealedReporter }
        guard let key = keyStore.key(sealed.keyId) else {
            throw keyStore.isDestroyed(sealed.keyId) ? .keyDestroyed(keyId: sealed.keyId) : .keyMissing(keyId: sealed.keyId)
        }
        let plaintext: [UInt8]
        do throws(KeyStoreError) {
            plaintext = try DeterministicSeal.open(sealed.ciphertext, key: key, context: Array(sealed.keyId.utf8))
        } catch {
            throw .unopenable(keyId: sealed.keyId)
        }
        guard let identity = ReporterIdentity(plaintext: plaintext) else { throw .unopenable(keyId: sealed.keyId) }
        return identity
    }

    /// Destroys key `keyId` durably; whether a key was there to destroy.
    @discardableResult
    public func destroy(keyId: String) throws(KeyStoreError) -> Bool {
        try keyStore.destroy(keyId)
    }
}
