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
    /// A torn tail that was cut off the last segment, its bytes saved first.
    public struct CutTail: Equatable, Sendable {
        public var segment: String
        public var offset: Int64
        public var bytes: Int64
        public var savedTo: String
        public var reason: String
    }

    public var cutTails: [CutTail] = []
    /// Segments removed because they held no batch (a roll interrupted by a crash).
    public var removedEmptySegments: [String] = []
    /// Index files that were missing or stale and were rebuilt from their segments.
    public var rebuiltIndexes: [String] = []
    /// Live segments of a sealed year, left by a seal interrupted after its commit, and
    /// sealing directories left by one interrupted before it: removed.
    public var removedSealingLeftovers: [String] = []
    /// Batches whose checksums were validated on open.
    public var batchesValidated = 0

    /// Whether opening changed any file of the log.
    public var changedFiles: Bool { !cutTails.isEmpty || !removedEmptySegments.isEmpty }

    public init() {}
}
