import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// The 32-byte key that encrypts the whole key store, given as 64 hexadecimal digits in a
/// file (`--master-key-file`) or in `$QINGLING_MASTER_KEY`. Never stored beside the key store
/// by this program.
public struct MasterKey: Sendable {
    private let bytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// The key written as 64 hexadecimal digits (white space around them ignored).
    public init(hex text: String, source: String) throws(KeyStoreError) {
        let digits = Array(text.utf8).filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard digits.count == 64 else { throw .malformedMasterKey(source: source) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { throw .malformedMasterKey(source: source) }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// Reads the key from `path`.
    public static func load(file path: String) throws(KeyStoreError) -> MasterKey {
        let bytes = try KeyStoreFiles.read(path)
        guard bytes.count <= 4096, let text = String(validating: bytes, as: UTF8.self) else { throw .malformedMasterKey(source: path) }
        return try MasterKey(hex: text, source: path)
    }

    /// The key of `file` if given, else of `$QINGLING_MASTER_KEY`; `nil` when neither is set.
    public static func given(file: String?, environment: [String: String]) throws(KeyStoreError) -> MasterKey? {
        if let file { return try load(file: file) }
        guard let text = environment["QINGLING_MASTER_KEY"] else { return nil }
        return try MasterKey(hex: text, source: "$QINGLING_MASTER_KEY")
    }

    /// Writes a new random key to `path` as 64 hexadecimal digits (mode 0600, durably; never
    /// over an existing file) and returns it.
    public static func writeNew(to path: String) throws(KeyStoreError) -> MasterKey {
        let hex = SymmetricKey(size: .bits256).withUnsafeBytes { bytes in
            bytes.map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined()
        }
        try KeyStoreFiles.replace(path, with: Array((hex + "\n").utf8), exclusive: true)
        return try MasterKey(hex: hex, source: path)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 97...102: byte - 87
        case 65...70: byte - 55
        default: nil
        }
    }
}
