import CPrefetch
import QinglingEvents

/// One hazard as the projections keep it (its id is `ProjectionState.hazardId(_:)`, kept once,
/// in `HazardNumbering`): where it counts (region, industry, discovery date) and the
/// dated steps of its life, each with its recorded time. Its names are kept interned, as
/// numbers; `ProjectionState.region(of:)` and the like read them as text. Queries fold
/// the steps up to a date (see `HazardTimeline.state(at:knowledge:)`), so any period, any
/// business date and any recording time can be answered from the same timeline.
public struct HazardTimeline: Sendable, Equatable {
    // The fields are in the order that leaves no padding (144 bytes in all): the 8-byte
    // aligned `steps` first, then the 4-byte ones from its end on.
    /// Every later step, in log order (the first five kept inside this entry: `Steps`).
    public var steps = Steps()
    /// Interned region and industry names (`ProjectionState.name(_:)`).
    var region: Int32
    var industry: Int32
    public var discoveredOn: CalendarDate
    // Who the latest supervision names, -1 for none (optionals would take twice the room):
    // the interned lead department name; the interned names and party numbers of the
    // responsible persons.
    private var lead: Int32 = -1
    private var principalName: Int32 = -1
    private var principalPerson: Int32 = -1
    private var officerName: Int32 = -1
    private var officerPerson: Int32 = -1
    /// The report: its business date, recorded time and sequence.
    public var report: Step

    /// A person a supervision names responsible: their name as the event gives it, interned
    /// (`ProjectionState.name(_:)`), and their number as a party. `ProjectionState.label(of:)`
    /// writes them as `name (id)`; `ProjectionState.enterprisePrincipal(of:)` and
    /// `departmentOfficer(of:)` as a `ResponsiblePerson`.
    struct Responsible: Sendable, Equatable {
        var name: Int32
        var person: Int32

        /// The number of a person named after a checkpoint was read without the persons
        /// (`ProjectionParts.persons`): such a state has no number to give them.
        static let notHeld: Int32 = -1

        init(name: Int32, person: Int32) {
            self.name = name
            self.person = person
        }
    }

    /// Interned lead department name and responsible persons, from the latest supervision.
    var leadDepartment: Int32? {
        get { lead < 0 ? nil : lead }
        set { lead = newValue ?? -1 }
    }
    var enterprisePrincipal: Responsible? {
        get { principalName < 0 ? nil : Responsible(name: principalName, person: principalPerson) }
        set { (principalName, principalPerson) = (newValue?.name ?? -1, newValue?.person ?? -1) }
    }
    var departmentOfficer: Responsible? {
        get { officerName < 0 ? nil : Responsible(name: officerName, person: officerPerson) }
        set { (officerName, officerPerson) = (newValue?.name ?? -1, newValue?.person ?? -1) }
    }

    init(region: Int32, industry: Int32, discoveredOn: CalendarDate, report: Step) {
        self.region = region
        self.industry = industry
        self.discoveredOn = discoveredOn
        self.report = report
    }

    /// Adds a supervision step and who it names.
    mutating func supervise(_ step: Step, leadDepartment: Int32, enterprisePrincipal: Responsible?, departmentOfficer: Responsible) {
        steps.append(step)
        lead = leadDepartment
        self.enterprisePrincipal = enterprisePrincipal
        self.departmentOfficer = departmentOfficer
    }

    /// Starts bringing into the cache the names and persons a supervision replaces in the entry
    /// at `entry` (`ProjectionState.prefetch`).
    static func prefetchResponsible(at entry: UnsafeRawPointer) {
        qingling_prefetch(entry + leadOffset)
        qingling_prefetch(entry + leadOffset + 5 * MemoryLayout<Int32>.stride - 1)
    }

    private static let leadOffset = MemoryLayout<HazardTimeline>.offset(of: \.lead) ?? 0

    /// One dated action on a hazard. Kept in 16 bytes (four 32-bit words: its kind, level and
    /// both dates in two, its recorded time in two), so that a timeline entry with its first
    /// five steps inside it stays small: the fold's memory traffic is mostly these entries.
    /// Its place in the log is not kept: the log's recorded times increase strictly with its
    /// sequence, so the recorded time orders steps as the log does.
    public struct Step: Sendable, Equatable, BitwiseCopyable {
        public enum Kind: UInt8, Sendable, CaseIterable {
            case reported, supervised, extended, rectified, verifiedPassed, verifiedFailed, closed, reopened, withdrawn, escalated
        }
        // The kind, level, business date and deadline (`packed`).
        private var packedLow: UInt32 = 0
        private var packedHigh: UInt32 = 0
        // When the log recorded it, µs since the Unix epoch (`recordedAt`).
        private var recordedLow: UInt32 = 0
        private var recordedHigh: UInt32 = 0

        /// `on` and `deadline` must be storable dates (`CalendarDate.storableDays`): every date
        /// an event or a checkpoint holds is.
        public init(kind: Kind, on: CalendarDate, recordedAt: Int64, deadline: CalendarDate? = nil, level: UInt8 = 0) {
            self.recordedAt = recordedAt
            self.kind = kind
            self.on = on
            self.deadline = deadline
            self.level = level
        }

        /// When the log recorded it, µs since the Unix epoch.
        public var recordedAt: Int64 {
            get { Int64(bitPattern: UInt64(recordedHigh) << 32 | UInt64(recordedLow)) }
            set {
                recordedLow = UInt32(truncatingIfNeeded: newValue)
                recordedHigh = UInt32(truncatingIfNeeded: newValue >> 32)
            }
        }

        private var packed: UInt64 {
            get { UInt64(packedHigh) << 32 | UInt64(packedLow) }
            set {
                packedLow = UInt32(truncatingIfNeeded: newValue)
                packedHigh = UInt32(truncatingIfNeeded: newValue >> 32)
            }
        }

        public var kind: Kind {
            // Always a valid raw value: only the setter writes these bits. (Inlined: a query reads
            // the kind of every step it walks.)
            @inline(__always) get { Kind(rawValue: UInt8(truncatingIfNeeded: packed >> Self.kindShift) & 0xF) ?? .reported }
            set { packed = packed & ~(0xF << Self.kindShift) | UInt64(newValue.rawValue) << Self.kindShift }
        }

        /// The business date (the Asia/Shanghai date of `occurredAt`).
        public var on: CalendarDate {
            get { Self.date(packed) }
            set { packed = packed & ~Self.dayMask | Self.bits(newValue) }
        }

        /// The deadline it sets (supervised, extended, reopened).
        public var deadline: CalendarDate? {
            get { packed & Self.deadlineFlag == 0 ? nil : Self.date(packed >> Self.deadlineShift) }
            set {
                packed &= ~(Self.dayMask << Self.deadlineShift | Self.deadlineFlag)
                if let newValue { packed |= Self.bits(newValue) << Self.deadlineShift | Self.deadlineFlag }
            }
        }

        /// The escalation level's rank (escalated), else 0.
        public var level: UInt8 {
            get { UInt8(truncatingIfNeeded: packed >> Self.levelShift) }
            set { packed = packed & ~(0xFF << Self.levelShift) | UInt64(newValue) << Self.levelShift }
        }

        /// Whether its bits are those a step is made of: a kind, storable dates, the deadline's
        /// flag with its date, an escalation's level a rank of `EscalationLevel` (0 for any
        /// other kind), no other bit set (a checkpoint's steps are checked so).
        var isWellFormed: Bool {
            let storable = UInt64(CalendarDate.storableDays.count)
            let deadlineDay = packed >> Self.deadlineShift & Self.dayMask
            let levels = kind == .escalated ? 1...EscalationLevel.allCases.count : 0...0
            return packed >> (Self.levelShift + 8) == 0 && packed >> Self.kindShift & 0xF < UInt64(Kind.allCases.count)
                && packed & Self.dayMask < storable && (packed & Self.deadlineFlag == 0 ? deadlineDay == 0 : deadlineDay < storable)
                && levels.contains(Int(level))
        }

        // The packed word: bits 0–21 the business date and 22–43 the deadline, each as days
        // after the first storable date (3,652,059 dates fit in 22 bits); bit 44 set when there
        // is a deadline; bits 45–48 the kind; 49–56 the level.
        private static let dayBits: UInt64 = 22
        private static let dayMask: UInt64 = 1 << dayBits - 1
        private static let deadlineShift = dayBits
        private static let deadlineFlag: UInt64 = 1 << 44
        private static let kindShift: UInt64 = 45
        private static let levelShift: UInt64 = 49

        private static func bits(_ date: CalendarDate) -> UInt64 {
            precondition(CalendarDate.storableDays.contains(date.daysSinceEpoch), "date \(date.daysSinceEpoch) days from 1970 is not storable")
            return UInt64(date.daysSinceEpoch - CalendarDate.storableDays.lowerBound)
        }

        private static func date(_ bits: UInt64) -> CalendarDate {
            CalendarDate(daysSinceEpoch: Int32(truncatingIfNeeded: bits & dayMask) + CalendarDate.storableDays.lowerBound)
        }
    }
}
