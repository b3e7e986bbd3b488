import Crypto
import Foundation
import QinglingLog

/// Ed25519 keys of the archive job. The private key is a file outside the log directory
/// (64 hexadecimal digits, mode 0600); the public key is kept in the log directory
/// (`signing.pub`) so that anyone can check the archives, and handed to outside auditors.
public enum SigningKeys {
    /// `DIR/signing.pub`.
    public static func publicKeyPath(forLog directory: String) -> String { LogLayout(directory: directory).directory + "/signing.pub" }

    /// Creates a key pair: the private key at `privateKeyPath` (refused inside the log
    /// directory, or over an existing file), the public key in the log directory. Returns the
    /// public key.
    public static func generate(privateKeyPath: String, logDirectory: String) throws(ArchiveError) -> [UInt8] {
        let privatePath = URL(fileURLWithPath: privateKeyPath).standardizedFileURL.path
        guard !isInside(privateKeyPath, logDirectory: logDirectory) else {
            throw .key(path: privateKeyPath, reason: "the private key must live outside the log directory \(logDirectory)")
        }
        guard !FileManager.default.fileExists(atPath: privatePath) else {
            throw .key(path: privateKeyPath, reason: "a file is already there; move it away or choose another path")
        }
        do throws(LogError) { _ = try LogMetadata.read(directory: logDirectory) } catch { throw .log(error) }
        guard !FileManager.default.fileExists(atPath: publicKeyPath(forLog: logDirectory)) else {
            throw .key(path: publicKeyPath(forLog: logDirectory), reason: "the log already has a public key, which its sealed years are checked against; to change keys, move it away first (and keep it to verify the years it signed)")
        }
        let key = Curve25519.Signing.PrivateKey()
        do throws(LogError) {
            try createDirectories(URL(fileURLWithPath: privatePath).deletingLastPathComponent().path)
            try writeNewFile(privatePath, Array((Array(key.rawRepresentation).hexString + "\n").utf8), mode: 0o600)
        } catch {
            throw .log(error)
        }
        let publicKey = Array(key.publicKey.rawRepresentation)
        do throws(ArchiveError) {
            try writePublicKey(publicKey, logDirectory: logDirectory)
        } catch {
            // Without its public key beside the log the private key is of no use: take it away, so that keygen can run again.
            unlink(privatePath)
            throw error
        }
        return publicKey
    }

    static func writePublicKey(_ key: [UInt8], logDirectory: String) throws(ArchiveError) {
        do throws(LogError) {
            try writeNewFile(publicKeyPath(forLog: logDirectory), Array((key.hexString + "\n").utf8), mode: 0o644)
        } catch {
            throw .log(error)
        }
    }

    /// Creates every missing directory of `path` with mode 0700 (a key's directory is nobody
    /// else's business); the first that cannot be created is named with its errno.
    static func createDirectories(_ path: String) throws(LogError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw .io(operation: "create directory", path: prefix, errno: errno)
            }
        }
    }

    /// Writes `bytes` to a file at `path` that must not exist yet (nor be a link), with
    /// `mode`, and syncs it; a failure names the path and the errno, and leaves no file behind.
    static func writeNewFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(LogError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .io(operation: "create", path: path, errno: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                unlink(path)
                throw .io(operation: "write", path: path, errno: code)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            let code = errno
            unlink(path)
            throw .io(operation: "fsync", path: path, errno: code)
        }
    }

    /// Whether `path` lies inside the log directory `logDirectory`.
    public static func isInside(_ path: String, logDirectory: String) -> Bool {
        let file = URL(fileURLWithPath: path).standardizedFileURL.path
        let log = URL(fileURLWithPath: logDirectory).standardizedFileURL.path
        return (file + "/").hasPrefix(log + "/")
    }

    /// The signing key at `path` for the log in `logDirectory`: refused when it lies inside the
    /// log directory, or when its public key is not the one the log keeps.
    public static func loadSigningKey(_ path: String, forLog logDirectory: String) throws(ArchiveError) -> Curve25519.Signing.PrivateKey {
        guard !isInside(path, logDirectory: logDirectory) else {
            throw .key(path: path, reason: "a private key inside the log directory \(logDirectory) is refused: keep it outside the log and its backups")
        }
        let key = try loadPrivateKey(path)
        let publicPath = publicKeyPath(forLog: logDirectory)
        if FileManager.default.fileExists(atPath: publicPath), try loadPublicKey(publicPath) != Array(key.publicKey.rawRepresentation) {
            throw .key(path: path, reason: "its public key is not the log's (\(publicPath)); sign with the key that made the log's public key")
        }
        return key
    }

    /// Reads a private key file.
    public static func loadPrivateKey(_ path: String) throws(ArchiveError) -> Curve25519.Signing.PrivateKey {
        let raw = try readHexKey(path)
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
            throw .key(path: path, reason: "not an Ed25519 private key")
        }
    }

    /// Reads a public key file (64 hexadecimal digits).
    public static func loadPublicKey(_ path: String) throws(ArchiveError) -> [UInt8] {
        let raw = try readHexKey(path)
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else { throw .key(path: path, reason: "not an Ed25519 public key") }
        return raw
    }

    private static func readHexKey(_ path: String) throws(ArchiveError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .key(path: path, reason: "cannot be read (missing?)") }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = [UInt8](hexString: text), raw.count == 32 else { throw .key(path: path, reason: "expected 64 hexadecimal digits") }
        return raw
    }

    /// Whether `signature` is `publicKey`'s Ed25519 signature of `message`.
    public static func isValid(signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
