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
    /// 8: in two halves. 9: in sections, each with its checksum. 10: the clearance figures of
    /// every calendar period.
    public static let formatVersion: UInt64 = 10
    static let magic: [UInt8] = Array("QLPJ".utf8)
    /// The preamble's size: magic, version, section count, the sections' table, its checksum.
    static let preambleSize = magic.count + 2 + CheckpointSection.allCases.count * 16 + 8

    /// The checkpoint bytes of `state`, which must hold every part (one folded from the log).
    public static func encode(_ state: ProjectionState) -> [UInt8] { Array(pieces(of: state).joined()) }

    /// The checkpoint of `state` in pieces, in the file's order: the preamble, then each
    /// section, the sections encoded and checksummed side by side, the largest first.
    static func pieces(of state: ProjectionState) -> [[UInt8]] {
        precondition(state.parts == .all, "a state read in part is never saved")
        let sections = CheckpointSection.allCases
        let encoded = sections.map { _ in EncodedSection() }
        let estimates = sections.map { byteEstimate($0, of: state) }
        let order = sections.sorted { estimates[$0.rawValue] > estimates[$1.rawValue] }
        DispatchQueue.concurrentPerform(iterations: order.count) { index in
            let section = order[index]
            var out = BinaryWriter(capacity: estimates[section.rawValue])
            write(section, of: state, to: &out)
            encoded[section.rawValue].bytes = out.bytes
            encoded[section.rawValue].checksum = CRC32C.checksum(out.bytes)
        }
        var preamble = BinaryWriter(capacity: preambleSize)
        for byte in magic { preamble.byte(byte) }
        preamble.unsigned(formatVersion)
        preamble.byte(UInt8(sections.count))
        for section in encoded {
            preamble.fixed64(UInt64(section.bytes.count))
            preamble.fixed64(UInt64(section.checksum))
        }
        preamble.fixed64(UInt64(CRC32C.checksum(preamble.bytes)))
        return [preamble.bytes] + encoded.map(\.bytes)
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
        case .calendarFigures: CalendarFigures(state.hazards, latestBusinessDate: state.latestBusinessDate).write(to: &out)
        }
    }

    /// A little more than the bytes of `section` of `state`: the room its encoding reserves, so
    /// that megabytes are not copied as the buffer grows. (A key in a table takes its slot of
    /// 32 bytes at most three quarters full, its location and a long key's bytes.)
    private static func byteEstimate(_ section: CheckpointSection, of state: ProjectionState) -> Int {
        switch section {
        case .summary: return 256
        case .names: return 64 + state.names.count * 96
        case .persons: return 64 + state.partyNumbering.persons.count * 96
        case .organizations: return 64 + state.partyNumbering.organizations.count * 96
        case .timelines:
            let steps = state.hazards.reduce(0) { $0 + $1.steps.count }
            return 64 + state.hazards.count * MemoryLayout<TimelineRecord>.stride + steps * MemoryLayout<HazardTimeline.Step>.stride
        case .hazardIds: return 64 + state.hazards.count * 16
        case .personLinks: return 64 + (state.personLinks.linkCount + state.partyNumbering.persons.count) * 8
        case .organizationLinks: return 64 + (state.organizationLinks.linkCount + state.partyNumbering.organizations.count) * 8
        case .enforcement: return 64 + (state.penalties.count + state.tipOffs.count) * 128
        case .calendarFigures: return 64 * 1024
        }
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

/// A section encoded by one of the threads encoding a checkpoint: set once by it, read after
/// all have finished (`DispatchQueue.concurrentPerform` returns only then).
private final class EncodedSection: @unchecked Sendable {
    var bytes: [UInt8] = []
    var checksum: UInt32 = 0
}

extension BinaryWriter {
    /// `value` as 8 little-endian bytes (`CheckpointReader.fixed64()`).
    mutating func fixed64(_ value: UInt64) {
        for index in 0..<8 { byte(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    /// `values` as they lie in memory, after their count (`CheckpointReader.array(of:)`).
    mutating func array<T: BitwiseCopyable>(_ values: some Collection<T>) {
        unsigned(UInt64(values.count))
        if values.withContiguousStorageIfAvailable({ unprefixed(UnsafeRawBufferPointer($0)) }) == nil {
            Array(values).withUnsafeBytes { unprefixed($0) }
        }
    }
}
