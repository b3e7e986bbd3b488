import QinglingEvents

/// One hazard as the projections keep it: where it counts (region, industry, discovery date)
/// and the dated steps of its life, each with its log position and recorded time. Queries fold
/// the steps up to a date (see `HazardTimeline.state(at:knowledge:)`), so any period, any
/// business date and any recording time can be answered from the same timeline.
public struct HazardTimeline: Sendable, Equatable {
    public var id: String
    /// Interned region and industry names (`ProjectionState.names`).
    public var region: Int32
    public var industry: Int32
    public var discoveredOn: CalendarDate
    /// The report: its business date, recorded time and sequence.
    public var report: Step
    /// Every later step, in log order (the first five kept inside this entry: `Steps`).
    public var steps = Steps()
    /// Interned lead department name and responsible persons, from the latest supervision.
    public var leadDepartment: Int32?
    public var enterprisePrincipal: Int32?
    public var departmentOfficer: Int32?

    public init(id: String, region: Int32, industry: Int32, discoveredOn: CalendarDate, report: Step) {
        self.id = id
        self.region = region
        self.industry = industry
        self.discoveredOn = discoveredOn
        self.report = report
    }

    /// Adds a supervision step and who it names.
    mutating func supervise(_ step: Step, leadDepartment: Int32, enterprisePrincipal: Int32?, departmentOfficer: Int32) {
        steps.append(step)
        self.leadDepartment = leadDepartment
        self.enterprisePrincipal = enterprisePrincipal
        self.departmentOfficer = departmentOfficer
    }

    /// One dated action on a hazard.
    public struct Step: Sendable, Equatable {
        public enum Kind: UInt8, Sendable, CaseIterable {
            case reported, supervised, extended, rectified, verifiedPassed, verifiedFailed, closed, reopened, withdrawn, escalated
        }
        public var kind: Kind
        /// The business date (the Asia/Shanghai date of `occurredAt`).
        public var on: CalendarDate
        /// When the log recorded it, µs since the Unix epoch.
        public var recordedAt: Int64
        public var sequence: UInt64
        /// The deadline it sets (supervised, extended, reopened).
        public var deadline: CalendarDate?
        /// The escalation level's rank (escalated), else 0.
        public var level: UInt8

        public init(kind: Kind, on: CalendarDate, recordedAt: Int64, sequence: UInt64, deadline: CalendarDate? = nil, level: UInt8 = 0) {
            self.kind = kind
            self.on = on
            self.recordedAt = recordedAt
            self.sequence = sequence
            self.deadline = deadline
            self.level = level
        }
    }
}
