/// Where a log keeps its files:
///
/// ```
/// DIR/log.meta                         identity: format version, clock kind, creation time
/// DIR/LOCK                             the writer's lock; holds the writer's pid
/// DIR/segments/<year>-<base>.qlseg     the segments (the only primary data)
/// DIR/index/<year>-<base>.qlidx        each segment's derived index
/// DIR/index/append-<random>.spool.tmp  an append's spooled records (`AppendSpool`), removed
///                                      from the folder as soon as it is open
/// DIR/recovered/<year>-<base>@<offset>.tail  bytes cut from a torn tail on recovery
/// DIR/archive/<year>/                  a sealed year: its re-packed segments and their
///                                      indexes, `chain.qllink`, and the archive job's files
/// DIR/archive/<year>/attachments/<sha256>  the evidence files the year's events name
/// DIR/attachments/                     the blob store of evidence files (QinglingEvidence);
///                                      the log never reads it
/// ```
///
/// A sealed year's directory appears by one rename of `archive/<year>.tmp` (the commit point);
/// from then on its segments replace the year's segments in `segments/`.
///
/// Files are first written under their name plus `.tmp`, synced where they hold primary data,
/// and renamed into place; a `.tmp` file left by a crash is removed when the writer opens.
public struct LogLayout: Sendable {
    public let directory: String
    /// The suffix of a file being written before it is renamed into place.
    public static let temporarySuffix = ".tmp"
    /// The one folder inside a sealed year's directory: the evidence files its events name,
    /// each under its SHA-256 (written by the archive job).
    public static let sealedAttachmentsFolder = "attachments"

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
    public var archive: String { directory + "/archive" }

    /// The directory of sealed year `year`.
    public func sealedYear(_ year: Int) -> String { archive + "/\(year)" }
    /// Where a year is assembled before its directory is renamed into place.
    public func sealingDirectory(_ year: Int) -> String { sealedYear(year) + LogLayout.temporarySuffix }
    /// The link of sealed year `year` to the live hash chain.
    public func link(_ year: Int) -> String { sealedYear(year) + "/" + SealedYearLink.fileName }

    public func segment(_ name: SegmentName) -> String {
        (name.sealed ? sealedYear(name.year) : segments) + "/" + name.fileName
    }
    public func index(_ name: SegmentName) -> String {
        name.sealed ? sealedYear(name.year) + "/" + name.stem + ".qlidx" : indexes + "/" + name.stem + ".qlidx"
    }
    /// A side file for bytes cut at `offset`; `attempt` tells apart repeated cuts at one offset.
    public func recoveredTail(_ name: SegmentName, offset: Int64, attempt: Int = 0) -> String {
        recovered + "/" + name.stem + "@\(offset)" + (attempt == 0 ? "" : "-\(attempt)") + ".tail"
    }

    /// The years sealed (committed) so far, ascending.
    public func sealedYears(_ fileSystem: any FileSystem) throws(LogError) -> [Int] {
        guard fileSystem.fileExists(archive) else { return [] }
        return try fileSystem.contentsOfDirectory(archive).compactMap { name in
            name.count == 4 && name.allSatisfy { $0.isASCII && $0.isNumber } ? Int(name) : nil
        }.sorted()
    }

    /// The segments that make up the log, in sequence order: a sealed year's archive segments,
    /// and the live segments of every year not sealed. (Live segments of a sealed year are
    /// left over from a seal interrupted after its commit; they are not part of the log.)
    func listSegments(_ fileSystem: any FileSystem) throws(LogError) -> [SegmentName] {
        try listSegments(fileSystem, sealed: try sealedYears(fileSystem))
    }

    /// The same, for the years `sealed` as listed once (so that a check made beside it sees the
    /// same years sealed, whatever a seal does meanwhile).
    func listSegments(_ fileSystem: any FileSystem, sealed: [Int]) throws(LogError) -> [SegmentName] {
        var names: [SegmentName] = []
        for year in sealed {
            names += try fileSystem.contentsOfDirectory(sealedYear(year)).compactMap(SegmentName.init(fileName:))
                .filter { $0.year == year }.map { SegmentName(year: $0.year, baseSequence: $0.baseSequence, sealed: true) }
        }
        if fileSystem.fileExists(segments) {
            names += try fileSystem.contentsOfDirectory(segments).compactMap(SegmentName.init(fileName:)).filter { !sealed.contains($0.year) }
        }
        return names.sorted()
    }

    /// Live segments of sealed years: left over by a seal interrupted after its commit.
    func leftoverSegments(_ fileSystem: any FileSystem) throws(LogError) -> [SegmentName] {
        let sealed = try sealedYears(fileSystem)
        guard !sealed.isEmpty, fileSystem.fileExists(segments) else { return [] }
        return try fileSystem.contentsOfDirectory(segments).compactMap(SegmentName.init(fileName:)).filter { sealed.contains($0.year) }
    }
}
