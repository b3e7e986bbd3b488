/// Every tuning constant of the projection engine, each with why it has its value. The
/// figures behind them are in `docs/performance.md`; change one only with a measurement.
enum EngineTuning {
    // MARK: Room reserved for a rebuild

    /// A rebuild reserves its tables for the events it will fold, in the proportions of the
    /// generated county logs, rounded up a little: a hazard per six events.
    static let eventsPerHazard = 6
    /// A person per six events (one per 6.6 at 1M, 4M and 16M events). A table's slots are all
    /// touched as keys come, so one reserved twice too large (as at a person per five) costs
    /// memory and time.
    static let eventsPerPerson = 6
    /// An organisation per fourteen events.
    static let eventsPerOrganization = 14
    /// About two links to persons per event (1.3 measured) and one and a half to organisations
    /// (1.0): links reserve address space only, so rounding up costs nothing.
    static let personLinksPerEvent = (numerator: 2, denominator: 1)
    static let organizationLinksPerEvent = (numerator: 3, denominator: 2)
    /// A rebuild reserves for at most this many events (the count is read from the log's files).
    static let maxReservedEvents = 1 << 26
    /// Bytes of room reserved per key for keys too long for their slot: only address space
    /// until used.
    static let reservedLongKeyBytes = 32

    // MARK: Queries

    /// A query over fewer hazards than this runs on one thread; over more, in parts on every
    /// processor, at most `maxQueryParts` (`SideBySide`).
    static let queryPartMinimum = 100_000
    static let maxQueryParts = 8

    // MARK: The checkpoint

    /// A command that caught up on fewer events than this since the checkpoint it loaded does
    /// not save a new one: the next command folds them again, in a few milliseconds (about 0.7
    /// µs an event on one thread), while saving writes the whole state (about a tenth of a
    /// second at 1M events, a second at 16M). A checkpoint missing, discarded or rebuilt is
    /// always saved.
    static let checkpointRefreshEvents = 10_000

    /// A checkpoint's timelines are read in this many parts side by side (one per processor of
    /// the machines measured), when there are at least `checkpointPartMinimum` hazards: warm
    /// `stats` waits for little else (1M: 64 → 58 ms).
    static let checkpointTimelineParts = 2

    /// Arrays read from a checkpoint keep room for this fraction more (1/16): a catch-up's new
    /// hazards and links are appended without first copying the whole array (1M: catch-up
    /// after 1,000 events 112 → 84 ms). Only address space until used.
    static func checkpointRoom(for count: Int) -> Int { count + count / 16 }
    static let checkpointPartMinimum = 4_096

    // MARK: Hash tables

    /// A `ByteTable` grows when more than `maxLoad` of its slots are taken: linear probing
    /// reads 2.5 slots on average at three quarters full.
    static let maxLoad = (numerator: 3, denominator: 4)
    /// The fewest slots a table has once it holds a key.
    static let minimumSlots = 16

    // MARK: Hazard id series

    /// At most this many id series are indexed by number (a county's log has one per year).
    static let maxSeries = 1_024
    /// A series' array grows to at most twice its filled elements plus this many, so that its
    /// memory stays within a few bytes per hazard whatever ids a log holds.
    static let seriesSlack = 1_024

    // MARK: The two-thread replay

    /// Events per chunk handed from the reading thread to the folding one: few enough that a
    /// chunk (its events' bytes and facts, about 600 KiB) is still in a core's cache when the
    /// chunk's parties (reading thread) or hazards (folding thread) are numbered.
    static let chunkCapacity = 1_024
    /// How many chunks may wait: enough to cover the reading thread's bursts (it decompresses
    /// and numbers a whole batch, up to a day's events, before handing on) and the folding
    /// thread's stalls on fresh pages (32 waited 6.13 s against 6.59 s with 16, median of ten
    /// interleaved 16M rebuilds). About 20 MiB.
    static let maxQueuedChunks = 32
    /// The reading thread's stack.
    static let readingThreadStackBytes = 8 << 20
    /// How often (in events folded) a rebuild reports its progress.
    static let progressInterval = 65_536

    // MARK: Prefetch distances

    /// How many events ahead the fold prefetches what it writes (its follow-up stage at half
    /// that): folding an event takes tens of nanoseconds, a miss to memory a few hundred.
    static let foldPrefetchDistance = 8
    /// How many events ahead numbering prefetches its look-ups' slots (long keys at half
    /// that): numbering an event takes a few dozen nanoseconds, a random read from memory over
    /// 300, so it must start much further ahead than the fold.
    static let numberingPrefetchDistance = 32

    // MARK: Memory

    /// A transparent huge page on x86-64 and arm64 Linux.
    static let hugePageBytes = 2 << 20
}
