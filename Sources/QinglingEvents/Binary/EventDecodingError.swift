/// Why stored bytes are not an event this program reads, and where: offsets are bytes from the
/// start of the record (of the buffer a `BinaryReader` reads). The message is derived from the
/// case (`reason`; `description` adds "stored event: ").
///
/// Two readers throw it: the codec (`EventBinaryCodec.decode`, `EventView`, `BinaryReader`),
/// for bytes that break the stored form (`docs/format.md`, "Stored events"); and the
/// projections' fold, for a record the codec reads but whose values the projections cannot hold
/// (the last group of cases). Those are cases of this error, not an error of the projections'
/// own, because they mean the same thing to whoever meets them: a record of the log that this
/// program cannot read, reported by its sequence (`StoreError.undecodable`) and with the
/// corruption exit status. No log written through the workflow comes near them: ids and
/// names are far shorter than a table's key (`FieldLength`), amounts at most `10^15` fen.
public enum EventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    // The record as a whole.
    /// More bytes than a log record holds (`LogLimits.maxRecordBytes`, the `limit`).
    case tooLarge(bytes: Int, limit: Int)
    /// A codec version this program does not read (it reads 1 to `newest`).
    case unreadableVersion(UInt8, newest: UInt8)
    /// A type tag that names no event type.
    case unknownEventType(tag: UInt8)
    /// `count` bytes after the last field of an event of `type`.
    case trailingBytes(count: Int, after: EventType)

    // A field.
    /// The bytes end at `at`, inside a field.
    case endsEarly(at: Int)
    /// A varint, starting at `at`, of more than 64 bits.
    case varintTooLong(at: Int)
    /// A length-prefixed value (`what`) whose length prefix, at `at`, claims `length` bytes or
    /// items: more than the bytes that remain.
    case runsPastTheEnd(LengthPrefixed, length: UInt64, at: Int)
    /// Text whose bytes are not valid UTF-8 (`at`: where they start, when the reader knows).
    case notUTF8(Text, at: Int?)
    /// A presence flag other than 0 or 1.
    case presenceFlag(UInt8, at: Int)
    /// A vocabulary code (of the Swift type named `vocabulary`) past the vocabulary's last value.
    case unknownCode(vocabulary: String, code: Int, at: Int)
    /// A value outside what its field stores.
    case outOfRange(StoredValue, at: Int)
    /// An attachment's media type that is not one of `AttachmentMediaType`'s.
    case unknownMediaType(at: Int)

    // A value the projections cannot hold (the fold).
    /// More links between parties and hazards than an `Int32` numbers.
    case tooManyPartyLinks
    /// Amounts that add up to more fen than an `Int64` counts: the `total` so far and `adding`.
    case fenOverflow(FenTotal, total: Int64, adding: Int64)

    /// Which length-prefixed value.
    public enum LengthPrefixed: Equatable, Sendable {
        case string
        case rawBytes
        /// A list of strings.
        case list
        case attachments
    }

    /// Which text: a string of the stored form, or one the projections keep, named.
    public enum Text: String, Equatable, Sendable {
        case string
        case hazardId = "hazard id"
        case partyId = "party id"
        case name
    }

    /// A field whose value lies outside what it stores.
    public enum StoredValue: Equatable, Sendable {
        /// Days from 1970-01-01 outside `CalendarDate.storableDays`.
        case date(days: Int64)
        /// Microseconds from 1970 outside `ShanghaiDateTime.storableMicroseconds`.
        case occurredAt(microseconds: Int64)
        /// Above `EventBinaryCodec.expectedVersions`.
        case expectedVersion(UInt64)
        /// Above `Int64.max`.
        case attachmentSize(UInt64)
    }

    /// Which total of fen the fold keeps.
    public enum FenTotal: Equatable, Sendable {
        /// A department's penalties of one quarter and kind (the department by its name).
        case penalties(of: String)
        case rewards(forTipOff: String)
    }

    /// What is wrong and where, in English.
    public var reason: String {
        switch self {
        case let .tooLarge(bytes, limit):
            return "\(bytes) bytes: larger than a log record can be (\(limit))"
        case let .unreadableVersion(version, newest):
            return "codec version \(version); this program reads up to \(newest)"
        case .unknownEventType(let tag):
            return "unknown event type tag \(tag)"
        case let .trailingBytes(count, type):
            return "\(count) unexpected bytes after the \(type.rawValue) fields"
        case .endsEarly(let offset):
            return "ends early at byte \(offset)"
        case .varintTooLong(let offset):
            return "varint too long at byte \(offset)"
        case let .runsPastTheEnd(what, length, offset):
            switch what {
            case .string: return "string of \(length) bytes at byte \(offset) runs past the end"
            case .rawBytes: return "\(length) bytes at byte \(offset) run past the end"
            case .list: return "list of \(length) items at byte \(offset) runs past the end"
            case .attachments: return "list of \(length) attachments at byte \(offset) runs past the end"
            }
        case let .notUTF8(text, offset):
            return "\(Self.named(text, at: offset)) is not valid UTF-8"
        case let .presenceFlag(flag, offset):
            return "presence flag \(flag) at byte \(offset)"
        case let .unknownCode(vocabulary, code, offset):
            return "unknown \(vocabulary) code \(code) at byte \(offset)"
        case let .outOfRange(value, offset):
            switch value {
            case .date(let days):
                return "date at byte \(offset) is \(days) days from 1970-01-01, outside the years 1 to 9999"
            case .occurredAt(let microseconds):
                return "occurredAt at byte \(offset) is \(microseconds) µs from 1970, outside the years 1 to 9999"
            case .expectedVersion(let version):
                return "expected version at byte \(offset) is \(version), above \(EventBinaryCodec.expectedVersions.upperBound)"
            case .attachmentSize(let size):
                return "attachment size \(size) at byte \(offset) is too large"
            }
        case .unknownMediaType(let offset):
            return "attachment media type at byte \(offset) is not one of \(AttachmentMediaType.allCases.map(\.rawValue).joined(separator: ", "))"
        case .tooManyPartyLinks:
            return "more party links than the projections can hold (\(Int32.max))"
        case let .fenOverflow(total, sum, adding):
            let what = switch total {
            case .penalties(let department): "the penalties of \(department)"
            case .rewards(let tipOff): "the rewards for tip-off \(tipOff)"
            }
            return "\(what) add up to more fen than can be counted (\(sum) + \(adding))"
        }
    }

    public var description: String { "stored event: \(reason)" }

    private static func named(_ text: Text, at offset: Int?) -> String {
        offset.map { "\(text.rawValue) at byte \($0)" } ?? text.rawValue
    }
}
