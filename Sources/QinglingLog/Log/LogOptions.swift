/// How a log is opened for writing.
public struct LogOptions: Sendable {
    /// The file system seam; tests pass a fault-injecting one.
    public var fileSystem: any FileSystem
    /// Where recorded times come from; a new log records this clock's kind for good.
    public var clock: any LogClock
    /// The size at which a segment is rolled (a segment also rolls at every year's turn).
    public var segmentBytes: Int64
    /// Whether to create the log when the directory holds none.
    public var createIfMissing: Bool

    public init(
        fileSystem: any FileSystem = PosixFileSystem(), clock: any LogClock = SystemClock(),
        segmentBytes: Int64 = LogLimits.defaultSegmentBytes, createIfMissing: Bool = true
    ) {
        self.fileSystem = fileSystem
        self.clock = clock
        self.segmentBytes = min(segmentBytes, LogLimits.maxSegmentBytes)
        self.createIfMissing = createIfMissing
    }
}

/// When an append returns.
public enum Durability: Sendable {
    /// After the batch is on stable storage (`fdatasync`); the default.
    case synced
    /// As soon as the batch is written; durable only after a later `sync()` or synced append.
    /// For bulk imports.
    case deferred
}

/// What an append wrote.
public struct AppendResult: Equatable, Sendable {
    /// The sequence numbers of the batch's records, in order.
    public var sequences: Range<UInt64>
    /// The recorded time of each record, in order (strictly increasing).
    public var recordedAt: [Int64]

    public init(sequences: Range<UInt64>, recordedAt: [Int64]) {
        self.sequences = sequences
        self.recordedAt = recordedAt
    }
}

/// What opening the log for writing found and did to its files.
public struct RecoveryReport: Equatable, Sendable {
    /// A torn tail of the last segment: provably never acknowledged (`docs/format.md` §7.2).
    /// It is cut, its bytes saved first, just before the writer first writes; a writer that
    /// writes nothing leaves it in place.
    public struct CutTail: Equatable, Sendable {
        public var segment: String
        public var offset: Int64
        public var bytes: Int64
        /// Where its bytes are (or will be) saved, in `recovered/`.
        public var savedTo: String?
        public var reason: String

        public init(segment: String, offset: Int64, bytes: Int64, savedTo: String? = nil, reason: String) {
            self.segment = segment
            self.offset = offset
            self.bytes = bytes
            self.savedTo = savedTo
            self.reason = reason
        }
    }

    public var cutTails: [CutTail] = []
    /// Index files that were missing or stale and were rebuilt from their segments.
    public var rebuiltIndexes: [String] = []
    /// Live segments of a sealed year, left by a seal interrupted after its commit, and
    /// sealing directories left by one interrupted before it: removed.
    public var removedSealingLeftovers: [String] = []
    /// Batches whose checksums were validated on open.
    public var batchesValidated = 0

    public init() {}
}
