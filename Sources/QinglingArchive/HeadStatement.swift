import QinglingEvents

/// What a signed head states about a log at one moment (after RFC 6962 §3.5's signed tree
/// head): which log, how many records it held, its hash chain head, and the RFC 6962 Merkle
/// root over all those records, whose leaves are `ArchiveLeaf`s as in a sealed year's tree.
/// The signature covers `encoded()` exactly. See `docs/archive.md`.
public struct HeadStatement: Equatable, Sendable {
    public static let format = "qingling-head/1"

    /// The log's creation time from its `log.meta` (µs, by the log's own clock): which log.
    public var logCreatedAt: Int64
    /// Whether the log runs on the simulated clock (demo and test logs).
    public var simulatedClock: Bool
    /// The number of records: the head covers sequences `0..<size`.
    public var size: UInt64
    /// The recorded time of record `size − 1` (µs; `nil` when `size` is 0).
    public var lastRecordedAt: Int64?
    /// The hash chain's head after record `size − 1` (`LogHead.chainHead`).
    public var chainHead: [UInt8]
    /// The RFC 6962 root over the leaves of records `0..<size`.
    public var merkleRoot: [UInt8]
    /// When the head was signed (µs since the Unix epoch, by the signer's real clock).
    public var signedAt: Int64
    /// The Ed25519 public key that signs it.
    public var publicKey: [UInt8]

    public init(logCreatedAt: Int64, simulatedClock: Bool, size: UInt64, lastRecordedAt: Int64?, chainHead: [UInt8],
                merkleRoot: [UInt8], signedAt: Int64, publicKey: [UInt8]) {
        self.logCreatedAt = logCreatedAt
        self.simulatedClock = simulatedClock
        self.size = size
        self.lastRecordedAt = lastRecordedAt
        self.chainHead = chainHead
        self.merkleRoot = merkleRoot
        self.signedAt = signedAt
        self.publicKey = publicKey
    }

    /// The canonical bytes: compact JSON (no spaces), the keys in this order, integers in
    /// decimal, hashes and keys in lowercase hexadecimal, no newline.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.write(.object([
            JSONMember("format", .string(Self.format)),
            JSONMember("logCreatedAt", .number(String(logCreatedAt))),
            JSONMember("simulatedClock", .bool(simulatedClock)),
            JSONMember("size", .number(String(size))),
            JSONMember("lastRecordedAt", lastRecordedAt.map { .number(String($0)) } ?? .null),
            JSONMember("chainHead", .string(chainHead.hexString)),
            JSONMember("merkleRoot", .string(merkleRoot.hexString)),
            JSONMember("signedAt", .number(String(signedAt))),
            JSONMember("publicKey", .string(publicKey.hexString)),
        ]), to: &bytes)
        return bytes
    }

    /// Parses statement bytes, which must be the canonical encoding of what they say; `path`
    /// names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ArchiveError) -> HeadStatement {
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONParser.parse(bytes) } catch {
            throw .invalid(path: path, reason: "the head statement is not JSON: \(error)")
        }
        let fields = Fields(value, path: path + " head")
        guard try fields.string("format") == format else { throw .invalid(path: fields.path, reason: "format is not \(format)") }
        let statement = HeadStatement(
            logCreatedAt: try fields.integer("logCreatedAt"), simulatedClock: try fields.bool("simulatedClock"),
            size: try fields.unsigned("size"), lastRecordedAt: try fields.isNull("lastRecordedAt") ? nil : try fields.integer("lastRecordedAt"),
            chainHead: try fields.hexBytes("chainHead", count: 32), merkleRoot: try fields.hexBytes("merkleRoot", count: 32),
            signedAt: try fields.integer("signedAt"), publicKey: try fields.hexBytes("publicKey", count: 32))
        guard (statement.size == 0) == (statement.lastRecordedAt == nil) else {
            throw .invalid(path: fields.path, reason: "lastRecordedAt must be null exactly when size is 0")
        }
        guard statement.encoded() == bytes else {
            throw .invalid(path: fields.path, reason: "the statement is not in its canonical form (keys, order, spacing or digits differ)")
        }
        return statement
    }
}
