import Crypto
import Foundation

/// Data keys by name, kept in one file outside the log, the whole file encrypted (AES-256-GCM)
/// under a master key. Also remembers the names of keys destroyed, so that a name is never
/// given a key again and destroying twice is recognised.
///
/// File: the 8 bytes `QLKEYS1\n`, then AES-GCM's combined form (nonce, ciphertext, tag) of the
/// contents, with those 8 bytes as associated data. Contents: a u32 count of keys, each a u8
/// name length, the name (UTF-8) and 32 key bytes; a u32 count of destroyed names, each a u8
/// length and the name. Integers are big-endian.
///
/// Each change re-reads the file under a lock (`<file>.lock`), applies itself and replaces the
/// file atomically and durably (`KeyStoreFiles.replace`): a crash leaves the old or the new
/// version whole.
public final class KeyStore: @unchecked Sendable {
    public let path: String
    private let master: SymmetricKey
    private let lock = NSLock()
    private var contents: Contents

    struct Contents: Equatable {
        var keys: [String: [UInt8]] = [:]
        var destroyed: Set<String> = []
    }

    private static let magic = Array("QLKEYS1\n".utf8)

    /// The longest key name (bytes).
    public static let maxNameBytes = 255

    /// Creates an empty key store at `path` (mode 0600); refuses when a file is there.
    @discardableResult
    public static func create(at path: String, master: MasterKey) throws(KeyStoreError) -> KeyStore {
        let key = Self.fileKey(master)
        try KeyStoreFiles.replace(path, with: encrypt(Contents(), key: key), exclusive: true)
        return KeyStore(path: path, master: key, contents: Contents())
    }

    /// Opens the key store at `path`: `.wrongMasterKey` when `master` does not open it.
    public static func open(at path: String, master: MasterKey) throws(KeyStoreError) -> KeyStore {
        let key = fileKey(master)
        return KeyStore(path: path, master: key, contents: try load(path, key: key))
    }

    private init(path: String, master: SymmetricKey, contents: Contents) {
        self.path = path
        self.master = master
        self.contents = contents
    }

    /// The key named `name`, if the store holds it.
    public func key(_ name: String) -> SymmetricKey? {
        lock.withLock { contents.keys[name].map { SymmetricKey(data: $0) } }
    }

    /// Whether the key named `name` was destroyed.
    public func isDestroyed(_ name: String) -> Bool {
        lock.withLock { contents.destroyed.contains(name) }
    }

    /// How many keys the store holds.
    public var count: Int { lock.withLock { contents.keys.count } }

    /// Stores `keys` durably (names already holding a key keep theirs; a name destroyed is
    /// refused by the caller beforehand and skipped here).
    public func add(_ keys: [String: SymmetricKey]) throws(KeyStoreError) {
        guard !keys.isEmpty else { return }
        try change { contents in
            for (name, key) in keys where contents.keys[name] == nil && !contents.destroyed.contains(name) {
                contents.keys[name] = key.withUnsafeBytes { Array($0) }
            }
        }
    }

    /// Destroys the key `name`: the store is rewritten without it, durably. Returns whether a
    /// key was there (`false` when it was already destroyed or never stored).
    @discardableResult
    public func destroy(_ name: String) throws(KeyStoreError) -> Bool {
        var removed = false
        try change { contents in
            removed = contents.keys.removeValue(forKey: name) != nil
            contents.destroyed.insert(name)
        }
        return removed
    }

    private func change(_ apply: (inout Contents) -> Void) throws(KeyStoreError) {
        try KeyStoreFiles.withLock(path) { () throws(KeyStoreError) in
            var latest = try Self.load(path, key: master)
            apply(&latest)
            try KeyStoreFiles.replace(path, with: Self.encrypt(latest, key: master))
            lock.withLock { contents = latest }
        }
    }

    /// Whether `path` would lie inside `directory`: resolved through symbolic links where
    /// they exist, else compared as absolute paths (a directory not created yet).
    public static func isInside(_ path: String, directory: String) -> Bool {
        if let file = KeyStoreFiles.canonical(path), let resolved = realpath(directory, nil) {
            defer { free(resolved) }
            let folder = String(cString: resolved)
            if file.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") { return true }
        }
        let file = KeyStoreFiles.absolute(path), folder = KeyStoreFiles.absolute(directory)
        return file.hasPrefix(folder + "/")
    }

    private static func fileKey(_ master: MasterKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: master.key, info: Array("qingling key store".utf8), outputByteCount: 32)
    }

    private static func load(_ path: String, key: SymmetricKey) throws(KeyStoreError) -> Contents {
        let bytes = try KeyStoreFiles.read(path)
        guard bytes.starts(with: magic) else { throw .notAKeyStore(path: path) }
        let plaintext: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(combined: bytes[magic.count...])
            plaintext = Array(try AES.GCM.open(box, using: key, authenticating: magic))
        } catch {
            throw .wrongMasterKey(path: path)
        }
        guard let contents = decode(plaintext) else { throw .notAKeyStore(path: path) }
        return contents
    }

    private static func encrypt(_ contents: Contents, key: SymmetricKey) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(encode(contents), using: key, authenticating: magic)
            guard let combined = box.combined else { preconditionFailure("AES-GCM with a 12-byte nonce has a combined form") }
            return magic + Array(combined)
        } catch {
            preconditionFailure("AES-GCM sealing with a 32-byte key cannot fail: \(error)")
        }
    }

    static func encode(_ contents: Contents) -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ value: Int) { out += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
        func name(_ text: String) {
            out.append(UInt8(text.utf8.count))
            out += text.utf8
        }
        u32(contents.keys.count)
        for (key, value) in contents.keys.sorted(by: { $0.key < $1.key }) {
            name(key)
            out += value
        }
        u32(contents.destroyed.count)
        for key in contents.destroyed.sorted() { name(key) }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> Contents? {
        var offset = 0
        func u32() -> Int? {
            guard offset + 4 <= bytes.count else { return nil }
            defer { offset += 4 }
            return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
        func name() -> String? {
            guard let length = take(1)?.first, let raw = take(Int(length)) else { return nil }
            return String(validating: raw, as: UTF8.self)
        }
        var contents = Contents()
        guard let keyCount = u32(), keyCount <= bytes.count else { return nil }
        for _ in 0..<keyCount {
            guard let name = name(), let key = take(32) else { return nil }
            contents.keys[name] = Array(key)
        }
        guard let destroyedCount = u32(), destroyedCount <= bytes.count else { return nil }
        for _ in 0..<destroyedCount {
            guard let name = name() else { return nil }
            contents.destroyed.insert(name)
        }
        return offset == bytes.count ? contents : nil
    }
}
