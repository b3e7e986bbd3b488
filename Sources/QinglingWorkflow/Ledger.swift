import Crypto
import QinglingEvents

/// What the workflow must know to check a new event: the state of the hazards and tip-offs it
/// names, and whether its event id was used before (with the sequence and content digest, for
/// idempotent retries).
///
/// A *complete* ledger knows everything in its log: the log was empty when the store opened it
/// and every event since went through the store. Otherwise the ledger is a cache of what the
/// store looked up in the log's index (`EventStore.lookUp`), kept current as events are appended:
/// opening a log of millions of events reads none of them.
///
/// Its tables grow a shard at a time (`ShardedDictionary`): a service appending into them never
/// waits for all of one to be rehashed.
public struct Ledger: Sendable {
    public private(set) var hazards = ShardedDictionary<String, HazardRecord>()
    public private(set) var tipOffs = ShardedDictionary<String, TipOffRecord>()
    public private(set) var eventIds = ShardedDictionary<String, RecordedId>()
    /// Whether an id missing here is missing from the log (no need to look it up).
    public let isComplete: Bool
    /// Where look-ups for this ledger stop reading the log: every event from this sequence on
    /// was appended through the store holding it and merged in (`merge`), so an id missing here
    /// is in no later event. `.max` (the whole log) unless the store says otherwise.
    public let lookUpsEndAt: UInt64
    /// Ids looked up in the log and not found there, so not looked up again: noted only by a
    /// store that holds the log's writer (no one else can append them while it does), for the
    /// events being checked (`EventStore.lookUp(_:)` forgets them first); an append that brings
    /// one in takes it out.
    private(set) var absentHazards = Set<String>()
    private(set) var absentTipOffs = Set<String>()
    private(set) var absentEventIds = Set<String>()

    /// Where an event id was first recorded, and a digest of its content.
    public struct RecordedId: Sendable, Equatable {
        public var sequence: UInt64
        public var digest: [UInt8]
    }

    public init(isComplete: Bool, lookUpsEndAt: UInt64 = .max) {
        self.isComplete = isComplete
        self.lookUpsEndAt = lookUpsEndAt
    }

    /// Records what a look-up in the log found.
    mutating func remember(eventId: String, _ recorded: RecordedId) { eventIds[eventId] = recorded }
    mutating func remember(hazard: HazardRecord) { hazards[hazard.hazardId] = hazard }
    mutating func remember(tipOff id: String, _ record: TipOffRecord) { tipOffs[id] = record }
    mutating func rememberAbsent(hazard id: String) { absentHazards.insert(id) }
    mutating func rememberAbsent(tipOff id: String) { absentTipOffs.insert(id) }
    mutating func rememberAbsent(eventId id: String) { absentEventIds.insert(id) }
    mutating func forgetAbsent() {
        absentHazards = []
        absentTipOffs = []
        absentEventIds = []
    }

    /// The digest that tells a retry (same content) from a reuse of an id (other content).
    public static func digest(ofStoredBytes bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Takes in the changes an append made (after they were written).
    mutating func merge(_ changes: Pending) {
        hazards.merge(changes.hazards)
        tipOffs.merge(changes.tipOffs)
        eventIds.merge(changes.eventIds)
        absentHazards.subtract(changes.hazards.keys)
        absentTipOffs.subtract(changes.tipOffs.keys)
        absentEventIds.subtract(changes.eventIds.keys)
    }

    /// The events of an append in progress, layered over the ledger without copying it: reads
    /// look at the pending changes first, then at the ledger.
    struct Pending {
        private(set) var hazards: [String: HazardRecord] = [:]
        private(set) var tipOffs: [String: TipOffRecord] = [:]
        private(set) var eventIds: [String: RecordedId] = [:]

        func hazard(_ id: String, in base: Ledger) -> HazardRecord? { hazards[id] ?? base.hazards[id] }
        func tipOff(_ id: String, in base: Ledger) -> TipOffRecord? { tipOffs[id] ?? base.tipOffs[id] }
        func recordedId(_ id: String, in base: Ledger) -> RecordedId? { eventIds[id] ?? base.eventIds[id] }

        /// Folds one checked event in, as `Ledger.apply` would.
        mutating func apply(_ event: Event, sequence: UInt64, digest: [UInt8], over base: Ledger) {
            eventIds[event.eventId] = RecordedId(sequence: sequence, digest: digest)
            if case .hazardReported(let report) = event.body {
                hazards[report.hazardId] = HazardRecord(report: report, reporter: event.actor, reportedOn: event.occurredAt.date)
            } else if let id = event.body.hazardId {
                if let index = hazards.index(forKey: id) {
                    hazards.values[index].apply(event)  // in place: the record is not copied out and back
                } else if var hazard = base.hazards[id] {
                    hazard.apply(event)
                    hazards[id] = hazard
                }
            }
            if let tip = event.body.tipOffId {
                var record = tipOff(tip, in: base) ?? TipOffRecord()
                record.apply(event)
                tipOffs[tip] = record
            }
        }
    }
}
