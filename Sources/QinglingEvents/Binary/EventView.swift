#if canImport(Glibc)
import Glibc
#endif
import QinglingLog

/// A stored event read in place: its type, dates and the identifiers and names that tie it to
/// hazards, people, organisations and tip-offs, as spans of its stored bytes. Nothing is
/// copied and no string is built; free text (descriptions, reasons, measures, findings…) is
/// only checked for length. This is what a full replay of the projections reads: building an
/// `Event` costs several string allocations per event, most of them for text never looked at.
///
/// The layout is `EventBinaryCodec`'s; `EventViewTests` checks, for every event type, that the
/// spans hold exactly the bytes of the decoded event's fields. Strings are not checked for
/// UTF-8 here: a reader that keeps one builds it with `string(_:)`, which does.
public struct EventView {
    /// The stored bytes the spans point into.
    public let bytes: UnsafeRawBufferPointer
    public let type: EventType
    /// Business time, µs since the Unix epoch.
    public let occurredAt: Int64
    public let organizationId: ByteSpan
    public let organizationName: ByteSpan
    public let personId: ByteSpan
    public let body: Body

    /// A person named in a supervision.
    public struct Person {
        public let id: ByteSpan
        public let name: ByteSpan
    }

    /// What the event says, by type (free text left out).
    public enum Body {
        case hazardReported(hazard: ByteSpan, region: ByteSpan, industry: ByteSpan, discoveredOn: CalendarDate, tipOff: ByteSpan?)
        case hazardSupervised(hazard: ByteSpan, departmentId: ByteSpan, departmentName: ByteSpan, deadline: CalendarDate,
                              principal: Person?, controller: Person?, departmentOfficer: Person, townOfficer: Person)
        case deadlineExtended(hazard: ByteSpan, newDeadline: CalendarDate)
        case hazardRectified(hazard: ByteSpan)
        case hazardVerified(hazard: ByteSpan, passed: Bool)
        case hazardClosed(hazard: ByteSpan)
        case hazardReopened(hazard: ByteSpan, newDeadline: CalendarDate)
        case hazardWithdrawn(hazard: ByteSpan)
        case escalationIssued(level: EscalationLevel, targetId: ByteSpan, hazards: SpanList)
        case penaltyImposed(kind: PenaltyKind, amountFen: Int64, hazards: SpanList, tipOff: ByteSpan?)
        case tipOffReceived(tipOff: ByteSpan, channel: TipOffChannel)
        case rewardPaid(tipOff: ByteSpan, amountFen: Int64)
        /// `keyId` is the destroyed key's name.
        case reporterKeyDestroyed(tipOff: ByteSpan, keyId: ByteSpan)
    }

    /// Reads the event stored in `bytes`, checking the whole record as `EventBinaryCodec.decode`
    /// does except for the UTF-8 of its strings.
    public init(_ bytes: UnsafeRawBufferPointer) throws(EventDecodingError) {
        // Spans (and the tables that keep them) count on an event fitting in a log record.
        guard bytes.count <= LogLimits.maxRecordBytes else {
            throw .tooLarge(bytes: bytes.count, limit: LogLimits.maxRecordBytes)
        }
        var r = SpanReader(bytes)
        let codecVersion = try r.byte()
        guard codecVersion >= 1, codecVersion <= EventBinaryCodec.version else {
            throw .unreadableVersion(codecVersion, newest: EventBinaryCodec.version)
        }
        let tag = try r.byte()
        guard let type = EventType(tag: tag) else { throw .unknownEventType(tag: tag) }
        try r.skipString()  // event id
        occurredAt = try r.occurredAt()
        try r.code(below: Vocabularies.organizationKinds)
        organizationId = try r.span()
        organizationName = try r.span()
        personId = try r.span()
        try r.skipString()  // person name
        if try r.flag() { _ = try r.expectedVersion() }
        switch type {
        case .hazardReported:
            let hazard = try r.span()
            if try r.flag() {  // enterprise: credit code, name
                try r.skipString()
                try r.skipString()
            }
            let region = try r.span(), industry = try r.span()
            try r.skipString()  // criterion clause
            try r.skipString()  // description
            try r.code(below: Vocabularies.hazardSources)
            let discoveredOn = try r.date()
            let tipOff = try r.optionalSpan()
            if codecVersion >= 2 { try r.skipAttachments() }
            body = .hazardReported(hazard: hazard, region: region, industry: industry, discoveredOn: discoveredOn, tipOff: tipOff)
        case .hazardSupervised:
            let hazard = try r.span(), departmentId = try r.span(), departmentName = try r.span()
            try r.code(below: Vocabularies.supervisionLevels)
            let deadline = try r.date()
            let principal = try r.flag() ? try r.person() : nil
            let controller = try r.flag() ? try r.person() : nil
            body = .hazardSupervised(hazard: hazard, departmentId: departmentId, departmentName: departmentName, deadline: deadline,
                                     principal: principal, controller: controller, departmentOfficer: try r.person(), townOfficer: try r.person())
        case .deadlineExtended:
            let hazard = try r.span(), newDeadline = try r.date()
            try r.skipString()  // reason
            body = .deadlineExtended(hazard: hazard, newDeadline: newDeadline)
        case .hazardRectified:
            let hazard = try r.span()
            _ = try r.date()    // completed on
            try r.skipString()  // measures
            _ = try r.signed()  // funds
            if codecVersion >= 2 { try r.skipAttachments() }
            body = .hazardRectified(hazard: hazard)
        case .hazardVerified:
            let hazard = try r.span(), outcome = try r.code(Vocabularies.verificationOutcomes)
            try r.skipString()  // findings
            if codecVersion >= 2 { try r.skipAttachments() }
            body = .hazardVerified(hazard: hazard, passed: outcome == .passed)
        case .hazardClosed:
            let hazard = try r.span()
            try r.skipString()  // note
            body = .hazardClosed(hazard: hazard)
        case .hazardReopened:
            let hazard = try r.span()
            try r.skipString()  // reason
            body = .hazardReopened(hazard: hazard, newDeadline: try r.date())
        case .hazardWithdrawn:
            let hazard = try r.span()
            try r.skipString()  // reason
            body = .hazardWithdrawn(hazard: hazard)
        case .escalationIssued:
            let level = try r.code(Vocabularies.escalationLevels)
            try r.code(below: Vocabularies.organizationKinds)
            let targetId = try r.span()
            try r.skipString()  // target name
            let hazards = try r.list()
            if try r.flag() { try r.skipString() }  // reason
            body = .escalationIssued(level: level, targetId: targetId, hazards: hazards)
        case .penaltyImposed:
            try r.skipString()  // enterprise credit code
            try r.skipString()  // enterprise name
            let kind = try r.code(Vocabularies.penaltyKinds), amount = try r.signed()
            try r.skipString()  // legal basis
            try r.skipString()  // case number
            let hazards = try r.list()
            let tipOff = try r.optionalSpan()
            if codecVersion >= 2 { try r.skipAttachments() }
            body = .penaltyImposed(kind: kind, amountFen: amount, hazards: hazards, tipOff: tipOff)
        case .tipOffReceived:
            let tipOff = try r.span(), channel = try r.code(Vocabularies.tipOffChannels)
            try r.skipString()  // summary
            try r.skipString()  // reporter pseudonym
            if codecVersion >= 2, try r.flag() {  // sealed reporter: key id, ciphertext
                try r.skipString()
                try r.skipString()
            }
            body = .tipOffReceived(tipOff: tipOff, channel: channel)
        case .rewardPaid:
            body = .rewardPaid(tipOff: try r.span(), amountFen: try r.signed())
        case .reporterKeyDestroyed:
            let tipOff = try r.span(), keyId = try r.span()
            try r.skipString()  // reason
            body = .reporterKeyDestroyed(tipOff: tipOff, keyId: keyId)
        }
        guard r.offset == bytes.count else {
            throw .trailingBytes(count: bytes.count - r.offset, after: type)
        }
        self.bytes = bytes
        self.type = type
    }

    /// The one hazard a lifecycle event (a report to a withdrawal) acts on.
    public var hazardId: ByteSpan? {
        switch body {
        case .hazardReported(let hazard, _, _, _, _), .hazardSupervised(let hazard, _, _, _, _, _, _, _), .deadlineExtended(let hazard, _),
             .hazardRectified(let hazard), .hazardVerified(let hazard, _), .hazardClosed(let hazard), .hazardReopened(let hazard, _),
             .hazardWithdrawn(let hazard):
            hazard
        case .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
            nil
        }
    }

    /// The bytes of `span`.
    public subscript(span: ByteSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(span.start)..<Int(span.start + span.count)])
    }

    /// The string in `span`; throws when its bytes are not valid UTF-8.
    public func string(_ span: ByteSpan) throws(EventDecodingError) -> String {
        let source = self[span]
        guard let text = String(validatingUTF8Bytes: source) else {
            throw .notUTF8(.string, at: Int(span.start))
        }
        return text
    }

    /// Calls `body` with the span of each string of `list`, in order.
    public func forEach(in list: SpanList, _ body: (ByteSpan) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        try Self.forEach(in: list, of: bytes, body)
    }

    /// Calls `body` with the span of each string of `list`, in order, in an event's stored
    /// `bytes` (those a view of it was read from).
    public static func forEach(in list: SpanList, of bytes: UnsafeRawBufferPointer,
                               _ body: (ByteSpan) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        var r = SpanReader(bytes, at: Int(list.start))
        for _ in 0..<list.count { try body(try r.span()) }
    }
}

/// Where a string's UTF-8 bytes lie in a stored event.
public struct ByteSpan: Sendable, Equatable {
    public var start: Int32
    public var count: Int32
}

/// Where a list of strings lies in a stored event (after its count), and how many it holds.
public struct SpanList: Sendable, Equatable {
    public var start: Int32
    public var count: Int32
}

extension String {
    /// Whether `bytes` are valid UTF-8, building no string when they are ASCII (eight bytes
    /// at a time): how a reader checks an id it keeps as bytes.
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0, high: UInt64 = 0
        while offset + 8 <= bytes.count {
            high |= bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < bytes.count {
            high |= UInt64(bytes[offset])
            offset += 1
        }
        return high & 0x8080_8080_8080_8080 == 0 || String(validatingUTF8Bytes: bytes) != nil
    }

    /// The string of `bytes` if they are valid UTF-8. (`String(decoding:)` repairs invalid
    /// UTF-8; the bytes were valid exactly when the repaired string has the same bytes. This is
    /// several times faster here than `String(validating:)`.)
    public init?(validatingUTF8Bytes bytes: UnsafeRawBufferPointer) {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.utf8.count == bytes.count
            && text.withUTF8 { decoded in
                guard let a = decoded.baseAddress, let b = bytes.baseAddress else { return bytes.isEmpty }
                return memcmp(a, b, bytes.count) == 0
            }
        guard same else { return nil }
        self = text
    }
}

/// The primitives of the stored form over raw bytes, giving spans instead of strings
/// (`BinaryReader` reads its varints with them too, and the projections' checkpoint reader).
package struct SpanReader {
    package let bytes: UnsafeRawBufferPointer
    package var offset: Int

    package init(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    @inline(__always)
    package mutating func byte() throws(EventDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw .endsEarly(at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A varint. One-byte values (most lengths, codes and flags) are read inline; longer ones
    /// by `longUnsigned`.
    @inline(__always)
    package mutating func unsigned() throws(EventDecodingError) -> UInt64 {
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        return try longUnsigned()
    }

    @inline(never)
    private mutating func longUnsigned() throws(EventDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var at = offset
        while at < bytes.count {
            let next = bytes[at]
            at += 1
            guard shift < 63 || (shift == 63 && next <= 1) else { throw .varintTooLong(at: offset) }
            value |= UInt64(next & 0x7F) &<< shift
            if next & 0x80 == 0 {
                offset = at
                return value
            }
            shift += 7
        }
        throw .endsEarly(at: at)
    }

    @inline(__always)
    package mutating func signed() throws(EventDecodingError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inline(__always)
    mutating func span() throws(EventDecodingError) -> ByteSpan {
        let start = offset
        let length = try unsigned()
        guard length <= UInt64(bytes.count - offset) else { throw .runsPastTheEnd(.string, length: length, at: start) }
        defer { offset += Int(length) }
        return ByteSpan(start: Int32(offset), count: Int32(length))
    }

    @inline(__always)
    mutating func skipString() throws(EventDecodingError) { _ = try span() }

    /// Skips a version 2 attachment list (a count, then per item hash, size, media type,
    /// caption), refusing what `EventBinaryCodec.decode` refuses: a count past the end, a size
    /// above `Int64.max`, an unknown media type.
    mutating func skipAttachments() throws(EventDecodingError) {
        let listStart = offset
        let count = try unsigned()
        guard count <= UInt64((bytes.count - offset) / 4) else { throw .runsPastTheEnd(.attachments, length: count, at: listStart) }
        for _ in 0..<count {
            try skipString()
            let start = offset
            let size = try unsigned()
            guard size <= UInt64(Int64.max) else { throw .outOfRange(.attachmentSize(size), at: start) }
            let typeStart = offset
            let type = try span()
            let text = UnsafeRawBufferPointer(rebasing: bytes[Int(type.start)..<Int(type.start + type.count)])
            guard AttachmentMediaType.allCases.contains(where: { $0.rawValue.utf8.elementsEqual(text) }) else {
                throw .unknownMediaType(at: typeStart)
            }
            try skipString()
        }
    }

    @inline(__always)
    mutating func flag() throws(EventDecodingError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let flag: throw .presenceFlag(flag, at: offset - 1)
        }
    }

    @inline(__always)
    mutating func optionalSpan() throws(EventDecodingError) -> ByteSpan? { try flag() ? try span() : nil }

    @inline(__always)
    mutating func person() throws(EventDecodingError) -> EventView.Person { EventView.Person(id: try span(), name: try span()) }

    mutating func list() throws(EventDecodingError) -> SpanList {
        let prefix = offset
        let count = try unsigned()
        guard count <= UInt64(bytes.count - offset) else { throw .runsPastTheEnd(.list, length: count, at: prefix) }
        let start = offset
        for _ in 0..<count { try skipString() }
        return SpanList(start: Int32(start), count: Int32(count))
    }

    /// A vocabulary value by its position in `all`.
    @inline(__always)
    mutating func code<T>(_ all: [T]) throws(EventDecodingError) -> T {
        let index = Int(try byte())
        guard index < all.count else { throw .unknownCode(vocabulary: "\(T.self)", code: index, at: offset - 1) }
        return all[index]
    }

    /// A vocabulary value only checked, not kept.
    @inline(__always)
    mutating func code<T>(below all: [T]) throws(EventDecodingError) { _ = try code(all) }

    /// A date within `CalendarDate.storableDays`.
    @inline(__always)
    package mutating func date() throws(EventDecodingError) -> CalendarDate {
        let start = offset
        let days = try signed()
        guard days >= Int64(CalendarDate.storableDays.lowerBound), days <= Int64(CalendarDate.storableDays.upperBound) else {
            throw .outOfRange(.date(days: days), at: start)
        }
        return CalendarDate(daysSinceEpoch: Int32(days))
    }

    /// An event's moment, within `ShanghaiDateTime.storableMicroseconds`.
    @inline(__always)
    mutating func occurredAt() throws(EventDecodingError) -> Int64 {
        let start = offset
        let moment = try signed()
        guard ShanghaiDateTime.storableMicroseconds.contains(moment) else {
            throw .outOfRange(.occurredAt(microseconds: moment), at: start)
        }
        return moment
    }

    /// An expected hazard version, within `EventBinaryCodec.expectedVersions`.
    @inline(__always)
    mutating func expectedVersion() throws(EventDecodingError) -> Int {
        let start = offset
        let version = try unsigned()
        guard version <= UInt64(EventBinaryCodec.expectedVersions.upperBound) else {
            throw .outOfRange(.expectedVersion(version), at: start)
        }
        return Int(version)
    }
}

/// The vocabularies' cases, built once (a synthesised `allCases` is a new array at each call).
private enum Vocabularies {
    static let organizationKinds = OrganizationKind.allCases
    static let hazardSources = HazardSource.allCases
    static let supervisionLevels = SupervisionLevel.allCases
    static let verificationOutcomes = VerificationOutcome.allCases
    static let escalationLevels = EscalationLevel.allCases
    static let penaltyKinds = PenaltyKind.allCases
    static let tipOffChannels = TipOffChannel.allCases
}
