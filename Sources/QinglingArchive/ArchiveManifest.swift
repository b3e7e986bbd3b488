import QinglingEvents

/// `archive/<year>/manifest.json`: what a sealed year holds, signed with Ed25519 in
/// `manifest.sig`. The signature covers the manifest file's exact bytes. See `docs/archive.md`.
public struct ArchiveManifest: Equatable, Sendable {
    public static let fileName = "manifest.json"
    public static let signatureFileName = "manifest.sig"
    public static let format = "qingling-archive/1"

    /// One file of the sealed year (segments, indexes, the chain link).
    public struct File: Equatable, Sendable {
        public var name: String
        public var bytes: Int64
        public var sha256: [UInt8]
    }

    public var year: Int
    public var firstSequence: UInt64
    public var lastSequence: UInt64
    public var eventCount: UInt64
    /// RFC 6962 root over the year's events (`ArchiveLeaf`).
    public var merkleRoot: [UInt8]
    /// The previous sealed year and its root: the chain of yearly roots.
    public var previousYear: Int?
    public var previousRoot: [UInt8]?
    /// The hash the year's first batch named (the live chain before the year, or zeros).
    public var firstPreviousBatchHash: [UInt8]
    /// The hash of the year's last batch in the live log: links to the live hash chain.
    public var lastBatchHash: [UInt8]
    public var lastRecordedAt: Int64
    /// Whether the log runs on the simulated clock (demo and test logs).
    public var simulatedClock: Bool
    /// Bytes of the year's live segments before sealing, and of its archive segments.
    public var liveBytes: Int64
    public var archiveBytes: Int64
    public var files: [File]
    /// The evidence files the year's events name, each once, by hash (ascending), kept as
    /// `attachments/<sha256>`; written only when there is one (older manifests have none).
    public var attachments: [AttachmentFile] = []
    /// The Ed25519 public key that signed it.
    public var publicKey: [UInt8]

    /// One evidence file of the sealed year: its SHA-256 (also its file name) and size.
    public struct AttachmentFile: Equatable, Sendable {
        public var sha256: [UInt8]
        public var bytes: Int64
        public init(sha256: [UInt8], bytes: Int64) {
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    /// The manifest file's bytes: compact JSON, keys in this order, then a newline.
    public func encoded() -> [UInt8] {
        let value = JSONValue.object([
            JSONMember("format", .string(Self.format)),
            JSONMember("year", .number(String(year))),
            JSONMember("firstSequence", .number(String(firstSequence))),
            JSONMember("lastSequence", .number(String(lastSequence))),
            JSONMember("eventCount", .number(String(eventCount))),
            JSONMember("merkleRoot", .string(merkleRoot.hexString)),
            JSONMember("previousYear", previousYear.map { .number(String($0)) } ?? .null),
            JSONMember("previousRoot", previousRoot.map { .string($0.hexString) } ?? .null),
            JSONMember("firstPreviousBatchHash", .string(firstPreviousBatchHash.hexString)),
            JSONMember("lastBatchHash", .string(lastBatchHash.hexString)),
            JSONMember("lastRecordedAt", .number(String(lastRecordedAt))),
            JSONMember("simulatedClock", .bool(simulatedClock)),
            JSONMember("liveBytes", .number(String(liveBytes))),
            JSONMember("archiveBytes", .number(String(archiveBytes))),
            JSONMember("files", .array(files.map { file in
                .object([JSONMember("name", .string(file.name)), JSONMember("bytes", .number(String(file.bytes))),
                         JSONMember("sha256", .string(file.sha256.hexString))])
            })),
        ] + (attachments.isEmpty ? [] : [
            JSONMember("attachments", .array(attachments.map { file in
                .object([JSONMember("sha256", .string(file.sha256.hexString)), JSONMember("bytes", .number(String(file.bytes)))])
            })),
        ]) + [
            JSONMember("publicKey", .string(publicKey.hexString)),
        ])
        return Array((JSONWriter.string(value) + "\n").utf8)
    }

    /// Parses manifest bytes; `path` names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ArchiveError) -> ArchiveManifest {
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONParser.parse(bytes) } catch {
            throw .invalid(path: path, reason: "not JSON: \(error)")
        }
        let fields = Fields(value, path: path)
        guard try fields.string("format") == format else { throw .invalid(path: path, reason: "format is not \(format)") }
        var files: [File] = []
        for item in try fields.array("files") {
            let file = Fields(item, path: path + " files[]")
            files.append(File(name: try file.string("name"), bytes: try file.integer("bytes"), sha256: try file.hexBytes("sha256", count: 32)))
        }
        var attachments: [AttachmentFile] = []
        if fields.members["attachments"] != nil {
            for item in try fields.array("attachments") {
                let file = Fields(item, path: path + " attachments[]")
                attachments.append(AttachmentFile(sha256: try file.hexBytes("sha256", count: 32), bytes: try file.integer("bytes")))
            }
        }
        var manifest = ArchiveManifest(
            year: Int(try fields.integer("year")), firstSequence: try fields.unsigned("firstSequence"),
            lastSequence: try fields.unsigned("lastSequence"), eventCount: try fields.unsigned("eventCount"),
            merkleRoot: try fields.hexBytes("merkleRoot", count: 32),
            previousYear: try fields.isNull("previousYear") ? nil : Int(try fields.integer("previousYear")),
            previousRoot: try fields.isNull("previousRoot") ? nil : try fields.hexBytes("previousRoot", count: 32),
            firstPreviousBatchHash: try fields.hexBytes("firstPreviousBatchHash", count: 32),
            lastBatchHash: try fields.hexBytes("lastBatchHash", count: 32), lastRecordedAt: try fields.integer("lastRecordedAt"),
            simulatedClock: try fields.bool("simulatedClock"), liveBytes: try fields.integer("liveBytes"),
            archiveBytes: try fields.integer("archiveBytes"), files: files, publicKey: try fields.hexBytes("publicKey", count: 32))
        manifest.attachments = attachments
        return manifest
    }
}

/// Typed access to the members of a JSON object, each failure naming the file and the member.
struct Fields {
    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) {
        if case .object(let list) = value {
            members = Dictionary(list.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        } else {
            members = [:]
        }
        self.path = path
    }

    func value(_ key: String) throws(ArchiveError) -> JSONValue {
        guard let value = members[key] else { throw .invalid(path: path, reason: "\(key) is missing") }
        return value
    }

    func string(_ key: String) throws(ArchiveError) -> String {
        guard case .string(let text) = try value(key) else { throw .invalid(path: path, reason: "\(key) is not a string") }
        return text
    }

    func integer(_ key: String) throws(ArchiveError) -> Int64 {
        guard case .number(let text) = try value(key), let number = Int64(text) else { throw .invalid(path: path, reason: "\(key) is not a whole number") }
        return number
    }

    /// A whole number that is not negative.
    func unsigned(_ key: String) throws(ArchiveError) -> UInt64 {
        guard case .number(let text) = try value(key), let number = UInt64(text) else {
            throw .invalid(path: path, reason: "\(key) is not a whole number ≥ 0")
        }
        return number
    }

    func bool(_ key: String) throws(ArchiveError) -> Bool {
        guard case .bool(let flag) = try value(key) else { throw .invalid(path: path, reason: "\(key) is not true or false") }
        return flag
    }

    func isNull(_ key: String) throws(ArchiveError) -> Bool {
        if case .null = try value(key) { return true }
        return false
    }

    func array(_ key: String) throws(ArchiveError) -> [JSONValue] {
        guard case .array(let items) = try value(key) else { throw .invalid(path: path, reason: "\(key) is not an array") }
        return items
    }

    func object(_ key: String) throws(ArchiveError) -> Fields { Fields(try value(key), path: path + " " + key) }

    func hexBytes(_ key: String, count: Int? = nil) throws(ArchiveError) -> [UInt8] {
        guard let decoded = [UInt8](hexString: try string(key)), count.map({ decoded.count == $0 }) ?? true else {
            throw .invalid(path: path, reason: "\(key) is not \(count.map { "\($0) bytes of " } ?? "")hexadecimal")
        }
        return decoded
    }
}
