#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a log stands: how many records it holds, its last recorded time, and the head of its
/// hash chain (`docs/format.md` §5).
public struct LogHead: Equatable, Sendable {
    /// The number of records, which is the next sequence number.
    public var size: UInt64
    /// The recorded time of the last record (`nil` for an empty log).
    public var lastRecordedAt: Int64?
    /// The hash the next batch will name: the SHA-256 of the batch that holds the last record;
    /// when the newest records are in a sealed year, the hash of that year's last *live* batch,
    /// kept in its `chain.qllink`; 32 zero bytes for an empty log.
    public var chainHead: [UInt8]
    /// The sealed year whose link gives `chainHead`, when the newest records are sealed.
    public var sealedYear: Int?

    /// The sequence number of the last record (`nil` for an empty log).
    public var lastSequence: UInt64? { size == 0 ? nil : size - 1 }

    public init(size: UInt64, lastRecordedAt: Int64?, chainHead: [UInt8], sealedYear: Int?) {
        self.size = size
        self.lastRecordedAt = lastRecordedAt
        self.chainHead = chainHead
        self.sealedYear = sealedYear
    }
}

/// What the hash chain says after the first `size` records of a log (`LogReader.chainBoundary`).
public enum ChainBoundary: Equatable, Sendable {
    /// `size` is 0: the first batch names 32 zero bytes.
    case start
    /// A live batch ends with record `size − 1`; `hash` is its SHA-256.
    case liveBatch(hash: [UInt8])
    /// Sealed year `year` ends with record `size − 1`; `hash` is its last live batch's, from its link.
    case sealedYear(Int, hash: [UInt8])
    /// Record `size − 1` lies inside sealed year `year`, whose re-packing left no batch ending there.
    case repacked(year: Int)
    /// Record `size − 1` lies inside the live batch at `offset` of `path`, which holds `records`.
    case insideLiveBatch(path: String, offset: Int64, records: Range<UInt64>)
    /// The log holds fewer than `size` records.
    case beyondEnd

    /// The chain's hash at this boundary, when there is one.
    public var hash: [UInt8]? {
        switch self {
        case .start: [UInt8](repeating: 0, count: 32)
        case .liveBatch(let hash), .sealedYear(_, let hash): hash
        case .repacked, .insideLiveBatch, .beyondEnd: nil
        }
    }
}

extension ChainBoundary: CustomStringConvertible {
    /// Where the boundary lies, for messages.
    public var description: String {
        switch self {
        case .start: "the start of the log"
        case .liveBatch: "the live batch that ends there"
        case .sealedYear(let year, _): "the link of sealed year \(year), archive/\(year)/\(SealedYearLink.fileName)"
        case .repacked(let year): "inside sealed year \(year), whose re-packed batches keep no boundary there"
        case let .insideLiveBatch(path, offset, records): "inside the live batch at offset \(offset) of \(path), records \(records.lowerBound)–\(records.upperBound - 1)"
        case .beyondEnd: "beyond the log's end"
        }
    }
}

extension LogReader {
    /// The log's head, read from the end of its newest segment (through its index). When the
    /// head lies in a live segment, that segment is made durable (`fdatasync`) before the head
    /// is returned, so that a head never names bytes a power cut could still take back.
    public func head() throws(LogError) -> LogHead {
        let size = try nextSequence()
        guard size > 0 else { return LogHead(size: 0, lastRecordedAt: nil, chainHead: [UInt8](repeating: 0, count: 32), sealedYear: nil) }
        guard let (boundary, batch, path) = try boundary(afterSize: size) else {
            throw .corrupt(path: layout.directory, offset: 0, reason: "record \(size - 1), the last one a moment ago, is no longer in the log")
        }
        switch boundary {
        case .liveBatch(let hash):
            try makeDurable(path)
            return LogHead(size: size, lastRecordedAt: batch.header.lastRecordedAt, chainHead: hash, sealedYear: nil)
        case let .sealedYear(year, hash):
            return LogHead(size: size, lastRecordedAt: batch.header.lastRecordedAt, chainHead: hash, sealedYear: year)
        case .repacked(let year):
            throw .corrupt(path: layout.link(year), offset: 10, reason: "the link does not end the year at sequence \(size), where its archive segments end")
        case .start, .insideLiveBatch, .beyondEnd:
            throw .corrupt(path: path, offset: batch.offset, reason: "the batch holding the last record \(size - 1) does not end the log")
        }
    }

    /// What the hash chain says after the first `size` records: the hash a batch starting at
    /// sequence `size` names, where the log still has a boundary there.
    public func chainBoundary(afterSize size: UInt64) throws(LogError) -> ChainBoundary {
        guard size > 0 else { return .start }
        return try boundary(afterSize: size)?.boundary ?? .beyondEnd
    }

    /// Syncs the segment at `path`. A file system that cannot sync (read-only media: `EROFS`,
    /// `EINVAL`) holds a copy that no writer changes, which needs none.
    private func makeDurable(_ path: String) throws(LogError) {
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        do throws(LogError) { try file.sync() } catch {
            guard case let .io(_, _, code) = error, code == EROFS || code == EINVAL else { throw error }
        }
    }

    /// The boundary after record `size − 1`, the batch holding that record and its segment's
    /// path; `nil` when the log holds fewer than `size` records.
    private func boundary(afterSize size: UInt64) throws(LogError) -> (boundary: ChainBoundary, batch: ScannedBatch, path: String)? {
        var found: (batch: ScannedBatch, path: String)?
        try forEachBatch(from: size - 1, stopAfter: size - 1) { batch, path, _ in
            if batch.header.baseSequence < size, size <= batch.header.nextSequence { found = (batch, path) }
        }
        guard let (batch, path) = found else { return nil }
        let year = ShanghaiTime.year(ofMicroseconds: batch.header.lastRecordedAt)
        if try layout.sealedYears(fileSystem).contains(year) {
            // Readers take a sealed year's records from its archive only.
            let link = try SealedYearLink.read(year, layout: layout, fileSystem: fileSystem)
            return (link.nextSequence == size ? .sealedYear(year, hash: link.lastLiveBatchHash) : .repacked(year: year), batch, path)
        }
        if batch.header.nextSequence == size { return (.liveBatch(hash: batch.hash()), batch, path) }
        return (.insideLiveBatch(path: path, offset: batch.offset, records: batch.header.baseSequence..<batch.header.nextSequence), batch, path)
    }
}
