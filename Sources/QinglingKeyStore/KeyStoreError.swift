#if canImport(Glibc)
import Glibc
#endif

/// What went wrong with the key store or a master key; each case names the file or the
/// setting, never a key or a plaintext.
public enum KeyStoreError: Error, Equatable, Sendable {
    /// The master key does not open the key store: a wrong key (or a damaged file: the two
    /// cannot be told apart, by design). Nothing was revealed.
    case wrongMasterKey(path: String)
    /// A master key that is not 32 bytes written as 64 hexadecimal digits; `source` names
    /// where it came from (a file, `$QINGLING_MASTER_KEY`).
    case malformedMasterKey(source: String)
    /// No master key was given.
    case noMasterKey
    /// No key store was named (`--keystore`, `$QINGLING_KEYSTORE`): there is no default.
    case noKeyStore
    /// The key store file does not exist.
    case missing(path: String)
    /// `create` found a file already there.
    case exists(path: String)
    /// The file is not a key store (another file, or a newer format).
    case notAKeyStore(path: String)
    /// A key store placed inside the log directory it protects.
    case insideLogDirectory(path: String, logDirectory: String)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// A sealed value that its key does not open (damaged, or sealed under another key).
    case unopenable
}

extension KeyStoreError: CustomStringConvertible {
    /// What failed and where, in English; never a key or a plaintext.
    public var description: String {
        switch self {
        case .wrongMasterKey(let path): "the master key does not open this key store (\(path)); nothing was revealed"
        case .malformedMasterKey(let source): "\(source) does not hold a master key: 64 hexadecimal digits (32 bytes) are expected"
        case .noKeyStore: "no key store: give --keystore FILE or set $QINGLING_KEYSTORE (a file outside the log directory, kept apart from the log and its backups)"
        case .noMasterKey: "no master key: give --master-key-file FILE or set $QINGLING_MASTER_KEY (64 hexadecimal digits)"
        case .missing(let path): "no key store at \(path): create one with `qingling keystore init --keystore \(path)`"
        case .exists(let path): "\(path) already exists: a key store is never overwritten"
        case .notAKeyStore(let path): "\(path) is not a key store of this program"
        case let .insideLogDirectory(path, log): "the key store \(path) is inside the log directory \(log): keep it outside the log (and its backups)"
        case let .io(operation, path, code): "\(operation) \(path) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .unopenable: "a sealed value does not open with its key"
        }
    }
}
