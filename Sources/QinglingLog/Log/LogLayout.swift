/// Where a log keeps its files:
///
/// ```
/// DIR/log.meta                         identity: format version, clock kind, creation time
/// DIR/LOCK                             the writer's lock; holds the writer's pid
/// DIR/segments/<year>-<base>.qlseg     the segments (the only primary data)
/// DIR/index/<year>-<base>.qlidx        each segment's derived index
/// DIR/recovered/<year>-<base>@<offset>.tail  bytes cut from a torn tail on recovery
/// ```
///
/// Files are first written under their name plus `.tmp`, synced where they hold primary data,
/// and renamed into place; a `.tmp` file left by a crash is removed when the writer opens.
public struct LogLayout: Sendable {
    public let directory: String
    /// The suffix of a file being written before it is renamed into place.
    public static let temporarySuffix = ".tmp"

    public init(directory: String) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.directory = trimmed
    }

    public var metadata: String { directory + "/" + LogMetadata.fileName }
    public var lock: String { directory + "/LOCK" }
    public var segments: String { directory + "/segments" }
    public var indexes: String { directory + "/index" }
    public var recovered: String { directory + "/recovered" }

    public func segment(_ name: SegmentName) -> String { segments + "/" + name.fileName }
    public func index(_ name: SegmentName) -> String { indexes + "/" + name.stem + ".qlidx" }
    /// A side file for bytes cut at `offset`; `attempt` tells apart repeated cuts at one offset.
    public func recoveredTail(_ name: SegmentName, offset: Int64, attempt: Int = 0) -> String {
        recovered + "/" + name.stem + "@\(offset)" + (attempt == 0 ? "" : "-\(attempt)") + ".tail"
    }

    /// The segments present, in sequence order.
    func listSegments(_ fileSystem: any FileSystem) throws(LogError) -> [SegmentName] {
        guard fileSystem.fileExists(segments) else { return [] }
        return try fileSystem.contentsOfDirectory(segments).compactMap(SegmentName.init(fileName:)).sorted()
    }
}
