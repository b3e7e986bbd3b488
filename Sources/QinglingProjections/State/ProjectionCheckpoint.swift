import Dispatch
import QinglingEvents
import QinglingLog

/// The saved form of a `ProjectionState`: a preamble, then its sections (`CheckpointSection`),
/// little-endian, each with its own CRC-32C (the checksum of the log's batches, ten times
/// faster than a SHA-256 here, where loading is what an analyst waits for). A checkpoint is
/// derived data: one that does not read back exactly (torn, garbled, another version) is
/// discarded and the state rebuilt.
///
/// The preamble: the magic `QLPJ`, the format version (one byte), the number of sections (one
/// byte), each section's length and CRC-32C (two 8-byte words), and the CRC-32C of the preamble
/// before it (8 bytes). A reader checks the preamble and the file's size, then reads and checks
/// only the sections it needs: an answer that needs the timelines alone reads 40% of the file.
///
/// The sections keep the state's large parts as they lie in memory (its look-up tables,
/// hazard records and steps, party links), so that loading copies them in and checks them,
/// instead of parsing field by field and hashing every key into fresh tables. Each part's
/// checks (`ByteTable`, `HazardNumbering`, `HazardTimeline.read`, `PartyLinks`,
/// `EnforcementCheckpoint`) refuse, as damage, a state on which a query, an accessor or a later
/// fold could trap or loop, or a look-up miss what the table lists; counts that sections share
/// are in the summary, so each section is checked alone, and they are read side by side.
public enum ProjectionCheckpoint {
    /// Bumped whenever the layout or the meaning of a field changes. 2: the fold reads stored
    /// bytes; a party is linked to an escalation's hazards once each, and a hazard reported
    /// twice keeps its first report (version 1 states are rebuilt). 3: the parties listed are
    /// every party an event named, some with no hazards (a tip-off's actor; version 2 states
    /// are rebuilt). 4: a hazard's responsible persons are each a name and a person's place in
    /// the parties' list, no longer an interned `name (id)` label. 5: a step keeps no sequence.
    /// 6: the checkpoint error typed. 7: the tables, hazards and links as they lie in memory.
    /// 8: in two halves. 9: in sections, each with its checksum.
    public static let formatVersion: UInt64 = 9
    static let magic: [UInt8] = Array("QLPJ".utf8)
    /// The preamble's size: magic, version, section count, the sections' table, its checksum.
    static let preambleSize = magic.count + 2 + CheckpointSection.allCases.count * 16 + 8

    /// The checkpoint bytes of `state`, which must hold every part (one folded from the log).
    public static func encode(_ state: ProjectionState) -> [UInt8] {
        precondition(state.parts == .all, "a state read in part is never saved")
        var out = BinaryWriter(capacity: byteEstimate(state))
        for byte in magic { out.byte(byte) }
        out.unsigned(formatVersion)
        out.byte(UInt8(CheckpointSection.allCases.count))
        let table = out.bytes.count
        for _ in table..<preambleSize { out.byte(0) }  // the table and checksum, filled in below
        for section in CheckpointSection.allCases {
            let start = out.bytes.count
            write(section, of: state, to: &out)
            let checksum = CRC32C.checksum(out.bytes[start...])
            out.overwrite(UInt64(out.bytes.count - start), at: table + section.rawValue * 16)
            out.overwrite(UInt64(checksum), at: table + section.rawValue * 16 + 8)
        }
        out.overwrite(UInt64(CRC32C.checksum(out.bytes[..<(preambleSize - 8)])), at: preambleSize - 8)
        return out.bytes
    }

    private static func write(_ section: CheckpointSection, of state: ProjectionState, to out: inout BinaryWriter) {
        switch section {
        case .summary: CheckpointSummary(state).write(to: &out)
        case .names: state.names.write(to: &out)
        case .persons: state.partyNumbering.persons.write(to: &out)
        case .timelines: HazardTimeline.write(state.hazards, to: &out)
        case .organizations: state.partyNumbering.organizations.write(to: &out)
        case .hazardIds: state.hazardNumbering.write(to: &out)
        case .personLinks: state.personLinks.write(to: &out)
        case .organizationLinks: state.organizationLinks.write(to: &out)
        case .enforcement: EnforcementCheckpoint.write(penalties: state.penalties, tipOffs: state.tipOffs, to: &out)
        }
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

    /// How many events the checkpoint in `bytes` covers, its preamble and summary checked, its
    /// other sections not read; throws when they are not those of a checkpoint of this version.
    public static func coveredEvents(_ bytes: [UInt8]) throws(CheckpointDamage) -> UInt64 {
        try CheckpointLayout(size: bytes.count) { bytes[$0] }.summary.nextSequence
    }

    /// The state saved in `bytes`, holding `parts` (its other sections neither read nor
    /// checked); throws when what is read is not intact (a section's checksum that does not
    /// match is reported before anything else found wrong in it).
    public static func decode(_ bytes: [UInt8], parts: ProjectionParts = .all) throws(CheckpointDamage) -> ProjectionState {
        try CheckpointLayout(size: bytes.count) { bytes[$0] }.state(parts: parts) { bytes[$0] }
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
