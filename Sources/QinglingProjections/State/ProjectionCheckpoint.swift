import QinglingEvents
import QinglingLog

/// The saved form of a `ProjectionState`: the magic `QLPJ`, a format version, the body, and
/// the CRC-32C of everything before it (little-endian; the checksum of the log's batches, ten
/// times faster than a SHA-256 here, where loading is what an analyst waits for). A checkpoint is derived data: one that does not read
/// back exactly (torn, garbled, another version) is discarded and the state rebuilt.
///
/// The body keeps the state's large parts as they lie in memory (its look-up tables, hazard
/// records and steps, party links: little-endian, as on every machine Qingling runs on), so
/// that loading copies them in and checks them, instead of parsing field by field and hashing
/// every key into fresh tables. Each part's checks (`ByteTable`, `HazardNumbering`,
/// `HazardTimeline.read`, `PartyLinks`) make a state no fold could write an error, never a
/// trap, a loop or a look-up that misses what the table lists.
public enum ProjectionCheckpoint {
    /// Bumped whenever the body's layout or the meaning of a field changes. 2: the fold reads
    /// stored bytes; a party is linked to an escalation's hazards once each, and a hazard
    /// reported twice keeps its first report (version 1 states are rebuilt). 3: the parties
    /// listed are every party an event named, some with no hazards (a tip-off's actor; version
    /// 2 states are rebuilt). 4: a hazard's responsible persons are each a name and a person's
    /// place in the parties' list, no longer an interned `name (id)` label. 5: a step keeps no
    /// sequence. 7: the tables, hazards and links as they lie in memory.
    public static let formatVersion: UInt64 = 7
    static let magic: [UInt8] = Array("QLPJ".utf8)

    /// The checkpoint bytes of `state`.
    public static func encode(_ state: ProjectionState) -> [UInt8] {
        var out = BinaryWriter(capacity: byteEstimate(state))
        for byte in magic { out.byte(byte) }
        out.unsigned(formatVersion)
        out.unsigned(state.nextSequence)
        out.bytes(state.lastEventHash)
        out.signed(state.lastRecordedAt)
        out.optional(state.latestBusinessDate) { $0.date($1) }
        state.names.write(to: &out)
        state.partyNumbering.persons.write(to: &out)
        state.partyNumbering.organizations.write(to: &out)
        HazardTimeline.write(state.hazards, to: &out)
        state.hazardNumbering.write(to: &out)
        state.personLinks.write(to: &out)
        state.organizationLinks.write(to: &out)
        let penalties = state.penalties.sorted { ($0.key.department, $0.key.quarter, $0.key.kind.rawValue) < ($1.key.department, $1.key.quarter, $1.key.kind.rawValue) }
        out.unsigned(UInt64(penalties.count))
        for (key, total) in penalties {
            out.string(key.department)
            out.unsigned(UInt64(key.quarter.year))
            out.byte(UInt8(key.quarter.number))
            out.code(key.kind)
            out.string(total.departmentName)
            out.unsigned(UInt64(total.count))
            out.signed(total.amountFen)
        }
        let tipOffs = state.tipOffs.values.sorted { $0.id < $1.id }
        out.unsigned(UInt64(tipOffs.count))
        for tip in tipOffs {
            out.string(tip.id)
            out.optional(tip.receivedOn) { $0.date($1) }
            out.optional(tip.channel) { $0.code($1) }
            out.strings(tip.hazardIds)
            out.unsigned(UInt64(tip.confirmingPenalties))
            out.unsigned(UInt64(tip.payments))
            out.signed(tip.paidFen)
            out.optional(tip.lastPaidOn) { $0.date($1) }
            out.optional(tip.identityDestroyedOn) { $0.date($1) }
        }
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
        var input = try body(of: bytes)
        return try input.unsigned()
    }

    /// The state saved in `bytes`; throws when they are not an intact checkpoint of this version.
    public static func decode(_ bytes: [UInt8]) throws(CheckpointDamage) -> ProjectionState {
        var input = try body(of: bytes)
        let nextSequence = try input.unsigned()
        let lastEventHash = try input.bytes()
        let lastRecordedAt = try input.signed()
        let latest = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
        let names = try KeyNumbering(checkpoint: &input, part: .names)
        var parties = PartyNumbering()
        parties.persons = try KeyNumbering(checkpoint: &input, part: .persons)
        parties.organizations = try KeyNumbering(checkpoint: &input, part: .organizations)
        let hazards = try HazardTimeline.read(&input, names: names.count, persons: parties.persons.count)
        let numbering = try HazardNumbering(checkpoint: &input)
        guard numbering.count == hazards.count else { throw .inconsistent(.hazardIds, at: numbering.count, .wrongCount) }
        let personLinks = try PartyLinks(checkpoint: &input, parties: parties.persons.count, hazards: hazards.count, part: .personLinks)
        let organizationLinks = try PartyLinks(checkpoint: &input, parties: parties.organizations.count, hazards: hazards.count,
                                               part: .organizationLinks)
        var penalties: [PenaltyKey: PenaltyTotal] = [:]
        for _ in 0..<(try input.count()) {
            let department = try input.string()
            let year = try input.integer()
            let number = Int(try input.byte())
            guard (1...4).contains(number) else { throw .quarterOutOfRange(number, offset: input.offset - 1) }
            let key = PenaltyKey(department: department, quarter: Quarter(year: year, number: number), kind: try input.code(PenaltyKind.self))
            var total = PenaltyTotal(departmentName: try input.string())
            total.count = try input.integer()
            total.amountFen = try input.signed()
            penalties[key] = total
        }
        var tipOffs: [String: TipOffSummary] = [:]
        for _ in 0..<(try input.count()) {
            var tip = TipOffSummary(id: try input.string())
            tip.receivedOn = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
            tip.channel = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.code(TipOffChannel.self) }
            tip.hazardIds = try input.strings()
            tip.confirmingPenalties = try input.integer()
            tip.payments = try input.integer()
            tip.paidFen = try input.signed()
            tip.lastPaidOn = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
            tip.identityDestroyedOn = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
            tipOffs[tip.id] = tip
        }
        guard input.isAtEnd else { throw .bytesLeftOver(input.remaining) }
        return ProjectionState(nextSequence: nextSequence, lastEventHash: lastEventHash, lastRecordedAt: lastRecordedAt, latestBusinessDate: latest,
                               names: names, partyNumbering: parties, hazards: hazards, hazardNumbering: numbering, personLinks: personLinks,
                               organizationLinks: organizationLinks, penalties: penalties, tipOffs: tipOffs)
    }

    /// The body of the checkpoint in `bytes` (all but its checksum), read from after its
    /// version: throws unless the magic, the checksum and the version are right.
    private static func body(of bytes: [UInt8]) throws(CheckpointDamage) -> CheckpointReader {
        guard bytes.count >= magic.count + 4, Array(bytes.prefix(magic.count)) == magic else { throw .notACheckpoint }
        let body = bytes.dropLast(4)
        let stored = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard body.withUnsafeBytes({ CRC32C.checksum($0) }) == stored else { throw .checksumMismatch }
        var input = CheckpointReader(body)
        for _ in magic { _ = try input.byte() }
        let version = try input.unsigned()
        guard version == formatVersion else { throw .formatVersion(found: version, expected: formatVersion) }
        return input
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

    mutating func bytes(_ bytes: [UInt8]) {
        unsigned(UInt64(bytes.count))
        for byte in bytes { self.byte(byte) }
    }
}
