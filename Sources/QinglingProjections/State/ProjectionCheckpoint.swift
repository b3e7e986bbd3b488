import Crypto
import QinglingEvents

/// The saved form of a `ProjectionState`: the magic `QLPJ`, a format version, the body, and
/// the SHA-256 of everything before it. A checkpoint is derived data: one that does not read
/// back exactly (torn, garbled, another version) is discarded and the state rebuilt.
public enum ProjectionCheckpoint {
    /// Bumped whenever the body's layout or the meaning of a field changes. 2: the fold reads
    /// stored bytes; a party is linked to an escalation's hazards once each, and a hazard
    /// reported twice keeps its first report (version 1 states are rebuilt). 3: the parties
    /// listed are every party an event named, some with no hazards (a tip-off's actor; version
    /// 2 states are rebuilt). 4: a hazard's responsible persons are each a name and a person's
    /// place in the parties' list, no longer an interned `name (id)` label. 5: a step keeps no
    /// sequence.
    public static let formatVersion: UInt64 = 6
    static let magic: [UInt8] = Array("QLPJ".utf8)

    /// The checkpoint bytes of `state`.
    public static func encode(_ state: ProjectionState) -> [UInt8] {
        var out = BinaryWriter(capacity: 64 + state.hazards.count * 96)
        for byte in magic { out.byte(byte) }
        out.unsigned(formatVersion)
        out.unsigned(state.nextSequence)
        out.bytes(state.lastEventHash)
        out.signed(state.lastRecordedAt)
        out.optional(state.latestBusinessDate) { $0.date($1) }
        out.strings(state.internedNames)
        out.unsigned(UInt64(state.hazards.count))
        for (index, hazard) in state.hazards.enumerated() { write(hazard, id: state.hazardId(index), to: &out) }
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
        let parties = state.parties
        out.unsigned(UInt64(parties.count))
        for (party, indexes) in parties {
            out.string(party)
            out.unsigned(UInt64(indexes.count))
            for index in indexes { out.unsigned(UInt64(index)) }
        }
        let digest = SHA256.hash(data: out.bytes)
        for byte in digest { out.byte(byte) }
        return out.bytes
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
        let names = try input.strings()
        let hazardCount = try input.count()
        var hazards: [HazardTimeline] = [], hazardIds: [String] = []
        hazards.reserveCapacity(hazardCount)
        hazardIds.reserveCapacity(hazardCount)
        for _ in 0..<hazardCount {
            hazardIds.append(try input.string())
            hazards.append(try readHazard(&input, names: names.count))
        }
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
        var parties: [(key: String, hazards: [Int32])] = []
        for _ in 0..<(try input.count()) {
            let party = try input.string()
            var indexes: [Int32] = []
            for _ in 0..<(try input.count()) { indexes.append(try input.index(below: hazards.count)) }
            parties.append((party, indexes))
        }
        guard input.isAtEnd else { throw .bytesLeftOver(input.remaining) }
        return try ProjectionState(nextSequence: nextSequence, lastEventHash: lastEventHash, lastRecordedAt: lastRecordedAt, latestBusinessDate: latest,
                                   names: names, hazardIds: hazardIds, hazards: hazards, penalties: penalties, tipOffs: tipOffs, parties: parties)
    }

    /// The body of the checkpoint in `bytes` (all but its SHA-256), read from after its version:
    /// throws unless the magic, the SHA-256 and the version are right.
    private static func body(of bytes: [UInt8]) throws(CheckpointDamage) -> CheckpointReader {
        guard bytes.count >= magic.count + 32, Array(bytes.prefix(magic.count)) == magic else { throw .notACheckpoint }
        let body = bytes.dropLast(32)
        guard Array(SHA256.hash(data: body)) == Array(bytes.suffix(32)) else { throw .checksumMismatch }
        var input = CheckpointReader(body)
        for _ in magic { _ = try input.byte() }
        let version = try input.unsigned()
        guard version == formatVersion else { throw .formatVersion(found: version, expected: formatVersion) }
        return input
    }

    private static func write(_ hazard: HazardTimeline, id: String, to out: inout BinaryWriter) {
        out.string(id)
        out.unsigned(UInt64(hazard.region))
        out.unsigned(UInt64(hazard.industry))
        out.date(hazard.discoveredOn)
        out.optional(hazard.leadDepartment) { $0.unsigned(UInt64($1)) }
        for person in [hazard.enterprisePrincipal, hazard.departmentOfficer] {
            out.optional(person) {
                $0.unsigned(UInt64($1.name))
                $0.unsigned(UInt64($1.person))
            }
        }
        write(hazard.report, to: &out)
        out.unsigned(UInt64(hazard.steps.count))
        for step in hazard.steps { write(step, to: &out) }
    }

    private static func write(_ step: HazardTimeline.Step, to out: inout BinaryWriter) {
        out.code(step.kind)
        out.date(step.on)
        out.signed(step.recordedAt)
        out.optional(step.deadline) { $0.date($1) }
        out.byte(step.level)
    }

    /// A hazard's timeline, after its id.
    private static func readHazard(_ input: inout CheckpointReader, names: Int) throws(CheckpointDamage) -> HazardTimeline {
        let region = try input.index(below: names)
        let industry = try input.index(below: names)
        let discovered = try input.date()
        let lead = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.index(below: names) }
        // A person's place is checked once the parties are read (`ProjectionState.init`).
        var responsible: [HazardTimeline.Responsible?] = []
        for _ in 0..<2 {
            responsible.append(try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in
                HazardTimeline.Responsible(name: try r.index(below: names), person: try r.index(below: Int(Int32.max)))
            })
        }
        var hazard = HazardTimeline(region: region, industry: industry, discoveredOn: discovered, report: try readStep(&input))
        hazard.leadDepartment = lead
        hazard.enterprisePrincipal = responsible[0]
        hazard.departmentOfficer = responsible[1]
        for _ in 0..<(try input.count()) { hazard.steps.append(try readStep(&input)) }
        return hazard
    }

    private static func readStep(_ input: inout CheckpointReader) throws(CheckpointDamage) -> HazardTimeline.Step {
        let kind = try input.code(HazardTimeline.Step.Kind.self)
        let on = try input.date()
        let recordedAt = try input.signed()
        let deadline = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
        return HazardTimeline.Step(kind: kind, on: on, recordedAt: recordedAt, deadline: deadline, level: try input.byte())
    }
}

extension BinaryWriter {
    mutating func bytes(_ bytes: [UInt8]) {
        unsigned(UInt64(bytes.count))
        for byte in bytes { self.byte(byte) }
    }
}
