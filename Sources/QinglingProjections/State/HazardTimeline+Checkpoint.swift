import Dispatch
import QinglingEvents

/// A hazard's timeline as a checkpoint keeps it: a fixed record of every field but its later
/// steps, which follow the records of all hazards, hazard by hazard, as `Step`s lie in memory.
/// Restoring a hazard copies its record and steps; nothing is parsed field by field.
struct TimelineRecord: BitwiseCopyable {
    var region: Int32
    var industry: Int32
    var discoveredOn: Int32
    /// -1 for none, as in `HazardTimeline`.
    var lead: Int32
    var principalName: Int32
    var principalPerson: Int32
    var officerName: Int32
    var officerPerson: Int32
    var report: HazardTimeline.Step
    /// How many of the steps after all records are this hazard's.
    var stepCount: UInt32

    init(_ hazard: HazardTimeline) {
        region = hazard.region
        industry = hazard.industry
        discoveredOn = hazard.discoveredOn.daysSinceEpoch
        lead = hazard.leadDepartment ?? -1
        (principalName, principalPerson) = (hazard.enterprisePrincipal?.name ?? -1, hazard.enterprisePrincipal?.person ?? -1)
        (officerName, officerPerson) = (hazard.departmentOfficer?.name ?? -1, hazard.departmentOfficer?.person ?? -1)
        report = hazard.report
        stepCount = UInt32(hazard.steps.count)
    }
}

extension HazardTimeline {
    /// Writes `hazards`: their records, then all their later steps.
    static func write(_ hazards: [HazardTimeline], to out: inout BinaryWriter) {
        out.unsigned(UInt64(hazards.count))
        for hazard in hazards { withUnsafeBytes(of: TimelineRecord(hazard)) { out.unprefixed($0) } }
        out.unsigned(UInt64(hazards.reduce(0) { $0 + $1.steps.count }))
        for hazard in hazards {
            for step in hazard.steps { withUnsafeBytes(of: step) { out.unprefixed($0) } }
        }
    }

    /// The hazards `write(_:to:)` wrote, checked (else the checkpoint's damage): every name one
    /// of `names`, every responsible person one of `persons`, every date storable and every step
    /// well formed, and the steps exactly those the records count. Read where they lie in the
    /// checkpoint's bytes: copying them first would cost as much.
    static func read(_ input: inout CheckpointReader, names: Int, persons: Int) throws(CheckpointDamage) -> [HazardTimeline] {
        let records = try input.arrayInPlace(of: TimelineRecord.self), steps = try input.arrayInPlace(of: Step.self)
        return try TimelineReading(records: records.bytes, count: records.count, steps: steps.bytes, count: steps.count,
                                   names: names, persons: persons).hazards()
    }
}

/// Reads the hazards of a checkpoint's timelines section from its records and steps as they lie
/// (not aligned), in parts side by side (`EngineTuning.checkpointTimelineParts`), each into its
/// place in the one array returned. The damage reported is the first a reading in order would
/// find: a part starts where the steps counted by the records before it end, so a count that
/// runs past the steps is found by the part holding it.
private struct TimelineReading: @unchecked Sendable {  // its buffers only read, from every part
    let records: UnsafeRawBufferPointer, recordCount: Int
    let steps: UnsafeRawBufferPointer, stepCount: Int
    let names: Int, persons: Int

    init(records: UnsafeRawBufferPointer, count recordCount: Int, steps: UnsafeRawBufferPointer, count stepCount: Int, names: Int, persons: Int) {
        (self.records, self.recordCount, self.steps, self.stepCount, self.names, self.persons) = (records, recordCount, steps, stepCount, names, persons)
    }

    func record(_ index: Int) -> TimelineRecord {
        records.loadUnaligned(fromByteOffset: index * MemoryLayout<TimelineRecord>.stride, as: TimelineRecord.self)
    }

    func hazards() throws(CheckpointDamage) -> [HazardTimeline] {
        let parts = recordCount < EngineTuning.checkpointPartMinimum ? 1 : EngineTuning.checkpointTimelineParts
        let bounds = (0...parts).map { recordCount * $0 / parts }
        // Where each part's steps start: the steps its records' predecessors count (at most
        // 2³² each, so the sum cannot overflow).
        let stepStarts = (1..<parts).reduce(into: [0]) { starts, part in
            starts.append(starts[part - 1] + (bounds[part - 1]..<bounds[part]).reduce(0) { $0 + Int(record($1).stepCount) })
        }
        let outcomes = (0..<parts).map { _ in PartOutcome() }
        let hazards = [HazardTimeline](unsafeUninitializedCapacity: EngineTuning.checkpointRoom(for: recordCount)) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            adviseHugePages(UnsafeMutableRawPointer(base), bytes: buffer.count * MemoryLayout<HazardTimeline>.stride)
            nonisolated(unsafe) let destination = base
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                read(bounds[part]..<bounds[part + 1], stepsFrom: stepStarts[part], into: destination, outcome: outcomes[part])
            }
            if outcomes.allSatisfy({ $0.damage == nil }) {
                initialized = recordCount
            } else {
                for (part, outcome) in outcomes.enumerated() { (base + bounds[part]).deinitialize(count: outcome.initialized) }
            }
        }
        if let damage = outcomes.lazy.compactMap(\.damage).first { throw damage }
        let end = outcomes.last?.stepsEnd ?? 0
        guard end == stepCount else { throw .inconsistent(.steps, at: end, .wrongCount) }
        return hazards
    }

    /// Initialises the hazards of `indexes` at their places from `destination`, their steps
    /// from `stepsFrom` on; what it initialised, where its steps ended and any damage go to
    /// `outcome`.
    private func read(_ indexes: Range<Int>, stepsFrom: Int, into destination: UnsafeMutablePointer<HazardTimeline>, outcome: PartOutcome) {
        var next = stepsFrom
        for index in indexes {
            do throws(CheckpointDamage) {
                (destination + index).initialize(to: try hazard(index, steps: &next))
                outcome.initialized += 1
            } catch {
                outcome.damage = error
                return
            }
        }
        outcome.stepsEnd = next
    }

    /// The hazard of record `index`, checked, with its steps from `next` on (`next` moved past
    /// them).
    private func hazard(_ index: Int, steps next: inout Int) throws(CheckpointDamage) -> HazardTimeline {
        let record = record(index)
        func named(_ name: Int32) -> Bool { name >= 0 && Int(name) < names }
        func responsible(_ name: Int32, _ person: Int32) -> Bool {
            name == -1 && person == -1 || named(name) && person >= 0 && Int(person) < persons
        }
        guard named(record.region), named(record.industry), record.lead == -1 || named(record.lead),
              responsible(record.principalName, record.principalPerson), responsible(record.officerName, record.officerPerson),
              next <= stepCount, Int(record.stepCount) <= stepCount - next else {
            throw .inconsistent(.hazards, at: index, .indexOutOfRange)
        }
        guard CalendarDate.storableDays.contains(record.discoveredOn) else { throw .inconsistent(.hazards, at: index, .dateOutOfRange) }
        guard record.report.isWellFormed else { throw .inconsistent(.hazards, at: index, .malformedStep) }
        var hazard = HazardTimeline(region: record.region, industry: record.industry,
                                    discoveredOn: CalendarDate(daysSinceEpoch: record.discoveredOn), report: record.report)
        hazard.leadDepartment = record.lead >= 0 ? record.lead : nil
        if record.principalName >= 0 { hazard.enterprisePrincipal = .init(name: record.principalName, person: record.principalPerson) }
        if record.officerName >= 0 { hazard.departmentOfficer = .init(name: record.officerName, person: record.officerPerson) }
        for position in next..<next + Int(record.stepCount) {
            let step = steps.loadUnaligned(fromByteOffset: position * MemoryLayout<HazardTimeline.Step>.stride, as: HazardTimeline.Step.self)
            guard step.isWellFormed else { throw .inconsistent(.steps, at: position, .malformedStep) }
            hazard.steps.append(step)
        }
        next += Int(record.stepCount)
        return hazard
    }
}

/// What one part of a `TimelineReading` did: set by its thread, read after all have finished
/// (`DispatchQueue.concurrentPerform` returns only then).
private final class PartOutcome: @unchecked Sendable {
    var initialized = 0
    var stepsEnd = 0
    var damage: CheckpointDamage?
}
