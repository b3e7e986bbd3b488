import Crypto
import QinglingEvents
import QinglingLog

/// A head statement and its Ed25519 signature: what `qingling head --sign` writes and an
/// outside party keeps, to show later that the log still holds every record it held then.
/// The file is one line of JSON, `{"head":"<the statement's exact text>","signature":"<128
/// hexadecimal digits>"}`; the signature covers the statement's UTF-8 bytes. See `docs/archive.md`.
public struct SignedHead: Equatable, Sendable {
    /// The statement's exact bytes: what the signature covers.
    public let statementBytes: [UInt8]
    /// What those bytes say.
    public let statement: HeadStatement
    /// The Ed25519 signature of `statementBytes`.
    public let signature: [UInt8]

    /// Signs the head of the log in `directory` as it stands now with `key` (load it with
    /// `SigningKeys.loadSigningKey`, which refuses a key that is not the log's): its size, last
    /// recorded time and chain head (`LogReader.head()`), and the Merkle root over all its
    /// records, live and sealed. `signedAt` is the time of signing (µs since the Unix epoch).
    public static func sign(directory: String, key: Curve25519.Signing.PrivateKey, signedAt: Int64,
                            fileSystem: any FileSystem = PosixFileSystem()) throws(ArchiveError) -> SignedHead {
        let statement: HeadStatement
        do throws(LogError) {
            let reader = try LogReader(directory: directory, fileSystem: fileSystem)
            let head = try reader.head()
            let tree = try LogTree.prefix(head.size, of: reader)
            guard tree.count == head.size else {
                throw LogError.corrupt(path: directory, offset: 0, reason: "the head is at \(head.size) records, but only \(tree.count) could be read")
            }
            statement = HeadStatement(
                logCreatedAt: reader.metadata.createdAt, simulatedClock: reader.metadata.clock == .simulated, size: head.size,
                lastRecordedAt: head.lastRecordedAt, chainHead: head.chainHead, merkleRoot: tree.root, signedAt: signedAt,
                publicKey: Array(key.publicKey.rawRepresentation))
        } catch {
            throw .log(error)
        }
        let bytes = statement.encoded()
        do {
            return SignedHead(statementBytes: bytes, statement: statement, signature: Array(try key.signature(for: bytes)))
        } catch {
            throw .key(path: SigningKeys.publicKeyPath(forLog: directory), reason: "signing failed: \(error)")
        }
    }

    /// The file's bytes: one line of JSON.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.write(.object([
            JSONMember("head", .string(String(decoding: statementBytes, as: UTF8.self))),
            JSONMember("signature", .string(signature.hexString)),
        ]), to: &bytes)
        return bytes + [0x0A]
    }

    /// Parses a signed head file's bytes; `path` names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ArchiveError) -> SignedHead {
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONParser.parse(bytes) } catch {
            throw .invalid(path: path, reason: "not a signed head: not JSON: \(error)")
        }
        let fields = Fields(value, path: path)
        guard fields.members["head"] != nil else { throw .invalid(path: path, reason: "not a signed head (it has no \"head\" member)") }
        let statementBytes = Array(try fields.string("head").utf8)
        return SignedHead(statementBytes: statementBytes, statement: try HeadStatement.decode(statementBytes, path: path),
                          signature: try fields.hexBytes("signature", count: 64))
    }

    /// Every reason the head is not `publicKey`'s signed statement (empty when it is): what
    /// anyone can check without the log.
    public func problems(publicKey: [UInt8]) -> [String] {
        var problems: [String] = []
        if !SigningKeys.isValid(signature: signature, of: statementBytes, publicKey: publicKey) {
            problems.append("the signature does not verify with public key \(publicKey.hexString.prefix(16))…: the statement was changed, or signed by another key")
        }
        if statement.publicKey != publicKey {
            problems.append("the head names public key \(statement.publicKey.hexString.prefix(16))…, not the one it is checked against (\(publicKey.hexString.prefix(16))…)")
        }
        return problems
    }
}
