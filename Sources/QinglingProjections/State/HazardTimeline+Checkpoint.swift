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
    /// well formed, and the steps exactly those the records count.
    static func read(_ input: inout CheckpointReader, names: Int, persons: Int) throws(CheckpointDamage) -> [HazardTimeline] {
        // Read where they lie in the checkpoint's bytes: copying them first would cost as much.
        let records = try input.arrayInPlace(of: TimelineRecord.self), steps = try input.arrayInPlace(of: Step.self)
        return try records.bytes.withUnsafeBytes { recordBytes in
            steps.bytes.withUnsafeBytes { stepBytes in
                Result { () throws(CheckpointDamage) in
                    try read(records: recordBytes, count: records.count, steps: stepBytes, count: steps.count, names: names, persons: persons)
                }
            }
        }.get()
    }

    /// `read(_:names:persons:)` of `recordCount` records and `stepCount` steps as they lie (not
    /// aligned) in `records` and `steps`.
    private static func read(records: UnsafeRawBufferPointer, count recordCount: Int, steps: UnsafeRawBufferPointer, count stepCount: Int,
                             names: Int, persons: Int) throws(CheckpointDamage) -> [HazardTimeline] {
        var hazards: [HazardTimeline] = []
        hazards.reserveCapacityInHugePages(recordCount)
        var next = 0
        for index in 0..<recordCount {
            let record = records.loadUnaligned(fromByteOffset: index * MemoryLayout<TimelineRecord>.stride, as: TimelineRecord.self)
            func named(_ name: Int32) -> Bool { name >= 0 && Int(name) < names }
            func responsible(_ name: Int32, _ person: Int32) -> Bool {
                name == -1 && person == -1 || named(name) && person >= 0 && Int(person) < persons
            }
            guard named(record.region), named(record.industry), record.lead == -1 || named(record.lead),
                  responsible(record.principalName, record.principalPerson), responsible(record.officerName, record.officerPerson),
                  Int(record.stepCount) <= stepCount - next else {
                throw .inconsistent(.hazards, at: index, .indexOutOfRange)
            }
            guard CalendarDate.storableDays.contains(record.discoveredOn) else { throw .inconsistent(.hazards, at: index, .dateOutOfRange) }
            guard record.report.isWellFormed else { throw .inconsistent(.hazards, at: index, .malformedStep) }
            var hazard = HazardTimeline(region: record.region, industry: record.industry,
                                        discoveredOn: CalendarDate(daysSinceEpoch: record.discoveredOn), report: record.report)
            hazard.leadDepartment = record.lead >= 0 ? record.lead : nil
            if record.principalName >= 0 { hazard.enterprisePrincipal = Responsible(name: record.principalName, person: record.principalPerson) }
            if record.officerName >= 0 { hazard.departmentOfficer = Responsible(name: record.officerName, person: record.officerPerson) }
            for position in next..<next + Int(record.stepCount) {
                let step = steps.loadUnaligned(fromByteOffset: position * MemoryLayout<Step>.stride, as: Step.self)
                guard step.isWellFormed else { throw .inconsistent(.steps, at: position, .malformedStep) }
                hazard.steps.append(step)
            }
            next += Int(record.stepCount)
            hazards.append(hazard)
        }
        guard next == stepCount else { throw .inconsistent(.steps, at: next, .wrongCount) }
        return hazards
    }
}
