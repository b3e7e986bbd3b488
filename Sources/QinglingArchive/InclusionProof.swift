import QinglingEvents
import QinglingLog

/// Proof that one event is in a sealed year, checkable with nothing but the proof, the public
/// key and SHA-256/Ed25519 (see `docs/archive.md`).
public struct InclusionProof: Equatable, Sendable {
    public static let format = "qingling-proof/1"

    public var sequence: UInt64
    /// Microseconds since the Unix epoch.
    public var recordedAt: Int64
    /// The event's stored bytes (the leaf's content).
    public var storedEvent: [UInt8]
    /// The same event in the JSON interchange form, for people; must be what `storedEvent` says
    /// (`ProofEvent.matches`: the same JSON value, keys in any order).
    public var event: JSONValue
    public var leafIndex: UInt64
    public var treeSize: UInt64
    public var leafHash: [UInt8]
    public var auditPath: [[UInt8]]
    /// The evidence files the event names (hash and size), each listed in the signed
    /// manifest's `attachments`: a file whose SHA-256 is here is the one the event names.
    /// Written only when there is one.
    public var attachments: [ArchiveManifest.AttachmentFile] = []
    /// The signed manifest's exact text, and its signature.
    public var manifest: String
    public var signature: [UInt8]

    /// Builds the proof of the event at `sequence` from the sealed year that holds it.
    public static func prove(sequence: UInt64, directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(ArchiveError) -> InclusionProof {
        let sealed = SealedYears(layout: LogLayout(directory: directory), fileSystem: fileSystem)
        let reader: LogReader
        do throws(LogError) { reader = try LogReader(directory: directory, fileSystem: fileSystem) } catch { throw .log(error) }
        for year in try sealed.years() {
            let entry = try sealed.manifest(year)
            let manifest = entry.manifest
            guard manifest.firstSequence <= sequence, sequence <= manifest.lastSequence else { continue }
            let leaves = try sealed.leafHashes(year, firstPreviousHash: manifest.firstPreviousBatchHash)
            guard MerkleTree.root(leaves.hashes) == manifest.merkleRoot else {
                throw .invalid(path: sealed.layout.sealedYear(year), reason: "its events do not match its manifest's root; run qingling verify \(year)")
            }
            let record: LogRecord
            do throws(LogError) { record = try reader.record(at: sequence) } catch { throw .log(error) }
            let index = Int(sequence - manifest.firstSequence)
            let decoded: Event
            do throws(EventDecodingError) { decoded = try EventBinaryCodec.decode(record.payload) } catch {
                throw .invalid(path: sealed.layout.sealedYear(year), reason: "record \(sequence) is not an event: \(error.reason)")
            }
            return InclusionProof(sequence: sequence, recordedAt: record.recordedAt, storedEvent: record.payload,
                                  event: EventJSONEncoder.encode(decoded),
                                  leafIndex: UInt64(index), treeSize: UInt64(leaves.hashes.count), leafHash: leaves.hashes[index],
                                  auditPath: MerkleTree.auditPath(of: index, in: leaves.hashes),
                                  attachments: Self.files(of: decoded),
                                  manifest: String(decoding: entry.bytes, as: UTF8.self), signature: entry.signature)
        }
        let next: UInt64
        do throws(LogError) { next = try reader.nextSequence() } catch { throw .log(error) }
        guard sequence < next else {
            throw .notSealed(path: directory, reason: "event \(sequence) is not in a sealed year: the log holds \(next == 0 ? "no event" : "events 0–\(next - 1)")")
        }
        throw .notSealed(path: directory, reason: "event \(sequence) is not in a sealed year (only sealed events can be proved; seal its year first)")
    }

    /// The proof as JSON text.
    public func encoded() -> String {
        JSONWriter.string(.object([
            JSONMember("format", .string(Self.format)),
            JSONMember("sequence", .number(String(sequence))),
            JSONMember("recordedAt", .number(String(recordedAt))),
            JSONMember("storedEvent", .string(storedEvent.hexString)),
            JSONMember("event", event),
            JSONMember("leafIndex", .number(String(leafIndex))),
            JSONMember("treeSize", .number(String(treeSize))),
            JSONMember("leafHash", .string(leafHash.hexString)),
            JSONMember("auditPath", .array(auditPath.map { .string($0.hexString) })),
        ] + (attachments.isEmpty ? [] : [
            JSONMember("attachments", .array(attachments.map { file in
                .object([JSONMember("sha256", .string(file.sha256.hexString)), JSONMember("bytes", .number(String(file.bytes)))])
            })),
        ]) + [
            JSONMember("manifest", .string(manifest)),
            JSONMember("signature", .string(signature.hexString)),
        ])) + "\n"
    }

    /// Parses proof JSON; `path` names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ArchiveError) -> InclusionProof {
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONParser.parse(bytes) } catch { throw .invalid(path: path, reason: "not JSON: \(error)") }
        let fields = Fields(value, path: path)
        guard try fields.string("format") == format else { throw .invalid(path: path, reason: "format is not \(format)") }
        var path: [[UInt8]] = []
        for item in try fields.array("auditPath") {
            guard case .string(let text) = item, let node = [UInt8](hexString: text), node.count == 32 else {
                throw .invalid(path: fields.path, reason: "auditPath holds something that is not a 32-byte hash")
            }
            path.append(node)
        }
        var attachments: [ArchiveManifest.AttachmentFile] = []
        if fields.members["attachments"] != nil {
            for item in try fields.array("attachments") {
                let file = Fields(item, path: fields.path + " attachments[]")
                attachments.append(ArchiveManifest.AttachmentFile(sha256: try file.hexBytes("sha256", count: 32), bytes: try file.integer("bytes")))
            }
        }
        return InclusionProof(
            sequence: try fields.unsigned("sequence"), recordedAt: try fields.integer("recordedAt"),
            storedEvent: try fields.hexBytes("storedEvent"), event: try fields.value("event"),
            leafIndex: try fields.unsigned("leafIndex"), treeSize: try fields.unsigned("treeSize"),
            leafHash: try fields.hexBytes("leafHash", count: 32), auditPath: path, attachments: attachments, manifest: try fields.string("manifest"),
            signature: try fields.hexBytes("signature", count: 64))
    }

    /// The files `event` names, by hash and size, in its order.
    static func files(of event: Event) -> [ArchiveManifest.AttachmentFile] {
        event.body.attachments.compactMap { attachment in
            [UInt8](hexString: attachment.sha256).map { ArchiveManifest.AttachmentFile(sha256: $0, bytes: attachment.size) }
        }
    }

    /// Every reason the proof does not hold for `publicKey` (empty when it holds).
    public func problems(publicKey: [UInt8]) -> [String] {
        var problems: [String] = []
        let manifestBytes = Array(manifest.utf8)
        if !SigningKeys.isValid(signature: signature, of: manifestBytes, publicKey: publicKey) {
            problems.append("the manifest's signature does not verify with this public key")
        }
        let parsed: ArchiveManifest
        do throws(ArchiveError) { parsed = try ArchiveManifest.decode(manifestBytes, path: "manifest") } catch {
            return problems + [error.description]
        }
        if parsed.publicKey != publicKey { problems.append("the manifest names another public key") }
        if sequence < parsed.firstSequence || sequence > parsed.lastSequence {
            problems.append("sequence \(sequence) is outside the sealed year \(parsed.year) (\(parsed.firstSequence)–\(parsed.lastSequence))")
        }
        if leafIndex != sequence &- parsed.firstSequence { problems.append("leafIndex \(leafIndex) is not the sequence's place in the year") }
        if treeSize != parsed.eventCount { problems.append("treeSize \(treeSize) is not the year's event count \(parsed.eventCount)") }
        let computedLeaf = ArchiveLeaf.hash(sequence: sequence, recordedAt: recordedAt, stored: storedEvent)
        if computedLeaf != leafHash { problems.append("leafHash is not the hash of the sequence, recorded time and stored event") }
        let root = MerkleTree.root(fromPath: auditPath, leaf: computedLeaf, index: Int(clamping: leafIndex), size: Int(clamping: treeSize))
        if root != parsed.merkleRoot { problems.append("the audit path does not lead to the manifest's Merkle root") }
        do throws(EventDecodingError) {
            let decoded = try EventBinaryCodec.decode(storedEvent)
            if !ProofEvent.matches(event, canonical: EventJSONEncoder.encode(decoded)) {
                problems.append("the event's JSON form does not match its stored bytes")
            }
            if attachments != Self.files(of: decoded) {
                problems.append("attachments is not the list of files the stored event names")
            }
            for file in attachments where !parsed.attachments.contains(file) {
                problems.append("attachment \(file.sha256.hexString) (\(file.bytes) bytes) is not listed in the signed manifest")
            }
        } catch {
            problems.append("storedEvent is not an event: \(error.reason)")
        }
        return problems
    }
}
