/// Where a log keeps its files:
///
/// ```
/// DIR/log.meta                         identity: format version, clock kind, creation time
/// DIR/LOCK                             the writer's lock; holds the writer's pid
/// DIR/segments/<year>-<base>.qlseg     the segments (the only primary data)
/// DIR/index/<year>-<base>.qlidx        each segment's derived index
/// DIR/recovered/<segment>@<offset>.tail  bytes cut from a torn tail on recovery
/// ```
public struct LogLayout: Sendable {
    public let directory: String

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
    public func recoveredTail(_ name: SegmentName, offset: Int64) -> String {
        recovered + "/" + name.stem + "@\(offset).tail"
    }

    /// The segments present, in sequence order.
    func listSegments(_ fileSystem: any FileSystem) throws(LogError) -> [SegmentName] {
        guard fileSystem.fileExists(segments) else { return [] }
        return try fileSystem.contentsOfDirectory(segments).compactMap(SegmentName.init(fileName:)).sorted()
    }
}
