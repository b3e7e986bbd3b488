import Dispatch
import QinglingEvents
import QinglingLog

/// The saved form of a `ProjectionState`: the magic `QLPJ`, a format version, a header, the
/// body in two halves, and the CRC-32C of everything before it (little-endian: the checksum of
/// the log's batches, ten times faster than a SHA-256 here, where loading is what an analyst
/// waits for). A checkpoint is derived data: one that does not read back exactly (torn,
/// garbled, another version) is discarded and the state rebuilt.
///
/// The body keeps the state's large parts as they lie in memory (its look-up tables, hazard
/// records and steps, party links: little-endian, as on every machine Qingling runs on), so
/// that loading copies them in and checks them, instead of parsing field by field and hashing
/// every key into fresh tables. Each part's checks (`ByteTable`, `HazardNumbering`,
/// `HazardTimeline.read`, `PartyLinks`, `EnforcementCheckpoint`) refuse, as damage, a state
/// on which a query, an accessor or a later fold could trap or loop, or a look-up miss what
/// the table lists. The two halves (`HazardHalf`,
/// `PartyHalf`) need of each other only the counts the header gives, so they are read side by
/// side, the checksum with the second.
public enum ProjectionCheckpoint {
    /// Bumped whenever the body's layout or the meaning of a field changes. 2: the fold reads
    /// stored bytes; a party is linked to an escalation's hazards once each, and a hazard
    /// reported twice keeps its first report (version 1 states are rebuilt). 3: the parties
    /// listed are every party an event named, some with no hazards (a tip-off's actor; version
    /// 2 states are rebuilt). 4: a hazard's responsible persons are each a name and a person's
    /// place in the parties' list, no longer an interned `name (id)` label. 5: a step keeps no
    /// sequence. 6: the checkpoint error typed. 7: the tables, hazards and links as they lie in
    /// memory. 8: in two halves.
    public static let formatVersion: UInt64 = 8
    static let magic: [UInt8] = Array("QLPJ".utf8)

    /// The checkpoint bytes of `state`.
    public static func encode(_ state: ProjectionState) -> [UInt8] {
        var out = BinaryWriter(capacity: byteEstimate(state))
        for byte in magic { out.byte(byte) }
        out.unsigned(formatVersion)
        out.unsigned(state.nextSequence)
        out.rawBytes(state.lastEventHash)
        out.signed(state.lastRecordedAt)
        out.optional(state.latestBusinessDate) { $0.date($1) }
        out.unsigned(UInt64(state.hazards.count))
        out.unsigned(UInt64(state.partyNumbering.persons.count))
        let lengthAt = out.bytes.count
        for _ in 0..<8 { out.byte(0) }  // the first half's length, filled in below
        let firstHalf = out.bytes.count
        HazardHalf.write(state, to: &out)
        out.overwrite(UInt64(out.bytes.count - firstHalf), at: lengthAt)
        PartyHalf.write(state, to: &out)
        let checksum = out.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        for shift in stride(from: 0, to: 32, by: 8) { out.byte(UInt8(truncatingIfNeeded: checksum >> UInt32(shift))) }
        return out.bytes
    }

    /// A little more than the bytes of `state`'s checkpoint: the room its encoding reserves, so
    /// that tens of megabytes are not copied as the buffer grows. (A key in a table takes its
    /// slot of 32 bytes at most three quarters full, its location and a long key's bytes.)
    private static func byteEstimate(_ state: ProjectionState) -> Int {
        let steps = state.hazards.reduce(0) { $0 + $1.steps.count }
        let keys = state.names.count + state.partyNumbering.persons.count + state.partyNumbering.organizations.count
        let links = state.personLinks.linkCount + state.organizationLinks.linkCount
        return 1 << 16 + state.hazards.count * (MemoryLayout<TimelineRecord>.stride + 16) + steps * MemoryLayout<HazardTimeline.Step>.stride
            + keys * 96 + links * 8 + (state.penalties.count + state.tipOffs.count) * 64
    }

    /// How many events the checkpoint in `bytes` covers, its checksum and version checked but
    /// its state not decoded; throws when they are not an intact checkpoint of this version.
    public static func coveredEvents(_ bytes: [UInt8]) throws(CheckpointDamage) -> UInt64 {
        guard try checksumMatches(bytes) else { throw .checksumMismatch }
        var input = try body(of: bytes)
        return try input.unsigned()
    }

    /// The state saved in `bytes`; throws when they are not an intact checkpoint of this version
    /// (a checksum that does not match is reported before anything else found wrong).
    public static func decode(_ bytes: [UInt8]) throws(CheckpointDamage) -> ProjectionState {
        do throws(CheckpointDamage) {
            return try decodeHalves(bytes)
        } catch {
            if error != .checksumMismatch, try !checksumMatches(bytes) { throw .checksumMismatch }
            throw error
        }
    }

    /// `decode`, the halves read side by side, the checksum checked with the second.
    private static func decodeHalves(_ bytes: [UInt8]) throws(CheckpointDamage) -> ProjectionState {
        var input = try body(of: bytes)
        let nextSequence = try input.unsigned()
        let lastEventHash = try input.rawBytes()
        let lastRecordedAt = try input.signed()
        let latest = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
        let hazardCount = try input.integer(), personCount = try input.integer()
        let lengthAt = input.offset
        let length = try input.fixed64()
        guard length <= UInt64(input.remaining) else { throw .countTooLarge(length, offset: lengthAt) }
        let firstHalf = input.offset..<input.offset + Int(length)
        let secondHalf = firstHalf.upperBound..<bytes.count - 4

        let hazardHalf = Outcome<HazardHalf>(), partyHalf = Outcome<PartyHalf>()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            if half == 0 {
                hazardHalf.set { () throws(CheckpointDamage) in
                    var reader = CheckpointReader(bytes[firstHalf])
                    return try HazardHalf(checkpoint: &reader)
                }
            } else {
                partyHalf.set { () throws(CheckpointDamage) in
                    guard try checksumMatches(bytes) else { throw .checksumMismatch }
                    var reader = CheckpointReader(bytes[secondHalf])
                    return try PartyHalf(checkpoint: &reader, events: nextSequence, hazards: hazardCount, persons: personCount)
                }
            }
        }
        let parties = try partyHalf.get(), hazards = try hazardHalf.get()
        guard hazards.hazards.count == hazardCount else { throw .inconsistent(.hazards, at: hazards.hazards.count, .wrongCount) }
        guard hazards.persons.count == personCount else { throw .inconsistent(.persons, at: hazards.persons.count, .wrongCount) }
        var numbering = PartyNumbering()
        numbering.persons = hazards.persons
        numbering.organizations = parties.organizations
        return ProjectionState(nextSequence: nextSequence, lastEventHash: lastEventHash, lastRecordedAt: lastRecordedAt, latestBusinessDate: latest,
                               names: hazards.names, partyNumbering: numbering, hazards: hazards.hazards, hazardNumbering: parties.numbering,
                               personLinks: parties.personLinks, organizationLinks: parties.organizationLinks, penalties: parties.penalties,
                               tipOffs: parties.tipOffs)
    }

    /// Whether the CRC-32C at the end of `bytes` is that of the bytes before it.
    private static func checksumMatches(_ bytes: [UInt8]) throws(CheckpointDamage) -> Bool {
        guard bytes.count >= magic.count + 4 else { throw .notACheckpoint }
        let stored = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return bytes.dropLast(4).withUnsafeBytes { CRC32C.checksum($0) } == stored
    }

    /// The body of the checkpoint in `bytes` (all but its checksum), read from after its
    /// version: throws unless the magic and the version are right.
    private static func body(of bytes: [UInt8]) throws(CheckpointDamage) -> CheckpointReader {
        guard bytes.count >= magic.count + 4, Array(bytes.prefix(magic.count)) == magic else { throw .notACheckpoint }
        var input = CheckpointReader(bytes.dropLast(4))
        for _ in magic { _ = try input.byte() }
        let version = try input.unsigned()
        guard version == formatVersion else { throw .formatVersion(found: version, expected: formatVersion) }
        return input
    }
}

/// What one of the two threads reading a checkpoint's halves gives the other: set once, read
/// after both have finished (`DispatchQueue.concurrentPerform` returns only then).
private final class Outcome<Value>: @unchecked Sendable {
    private var result: Result<Value, CheckpointDamage>?

    func set(_ body: () throws(CheckpointDamage) -> Value) { result = Result(catching: body) }

    func get() throws(CheckpointDamage) -> Value {
        guard let result else { throw .notACheckpoint }  // never: both halves run before this
        return try result.get()
    }
}

extension BinaryWriter {
    /// `values` as they lie in memory, after their count (`CheckpointReader.array(of:)`).
    mutating func array<T: BitwiseCopyable>(_ values: some Collection<T>) {
        unsigned(UInt64(values.count))
        if values.withContiguousStorageIfAvailable({ unprefixed(UnsafeRawBufferPointer($0)) }) == nil {
            Array(values).withUnsafeBytes { unprefixed($0) }
        }
    }
}
