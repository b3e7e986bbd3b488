/// What is wrong with bytes that are not an intact checkpoint of this version
/// (`CheckpointError.damaged`).
public enum CheckpointDamage: Error, Equatable, Sendable, CustomStringConvertible {
    /// Too short, or not starting with the magic `QLPJ`.
    case notACheckpoint
    /// The SHA-256 at its end does not match the bytes before it: torn or changed.
    case checksumMismatch
    /// Written in another format version (`ProjectionCheckpoint.formatVersion`).
    case formatVersion(found: UInt64, expected: UInt64)
    /// A field does not read at byte `offset`: the bytes end early, or a number, a date, a code
    /// or a text there is malformed.
    case unreadableField(offset: Int)
    /// A count at byte `offset` larger than the bytes left could hold.
    case countTooLarge(UInt64, offset: Int)
    /// A number at byte `offset` not below `limit`: an index beyond its list, a count too large.
    case outOfRange(UInt64, offset: Int, limit: UInt64)
    /// A quarter number at byte `offset` outside 1 to 4.
    case quarterOutOfRange(Int, offset: Int)
    /// Bytes after the last field.
    case bytesLeftOver(Int)
    /// A different number of hazard ids and hazards.
    case hazardIdCount(ids: Int, hazards: Int)
    /// A key listed twice where each is listed once.
    case listedTwice(Key, String)
    /// A key longer than the projections' tables take.
    case keyTooLong(Key, bytes: Int)
    /// A party listed as neither a person (`P:`) nor an organisation (`O:`).
    case partyOfNoKind(String)
    /// More party links than the projections hold (`Int32.max`).
    case tooManyLinks
    /// A hazard names a responsible person beyond the persons listed.
    case unknownPerson(hazardId: String, person: Int32, persons: Int)

    /// The kinds of key a checkpoint lists.
    public enum Key: String, Sendable {
        case hazardId = "hazard id", party, name
    }

    public var description: String {
        switch self {
        case .notACheckpoint: return "not a projection checkpoint (no QLPJ magic)"
        case .checksumMismatch: return "checksum mismatch (torn or changed)"
        case let .formatVersion(found, expected): return "format version \(found), this program reads \(expected)"
        case .unreadableField(let offset): return "a field at byte \(offset) does not read"
        case let .countTooLarge(count, offset): return "count \(count) at byte \(offset) exceeds the bytes left"
        case let .outOfRange(value, offset, limit): return "number \(value) at byte \(offset) is out of range (\(limit))"
        case let .quarterOutOfRange(number, offset): return "quarter \(number) at byte \(offset)"
        case .bytesLeftOver(let count): return "\(count) bytes left over"
        case let .hazardIdCount(ids, hazards): return "\(ids) hazard ids for \(hazards) hazards"
        case let .listedTwice(key, value): return "\(key.rawValue) \(value) is listed twice"
        case let .keyTooLong(key, bytes): return "a \(key.rawValue) of \(bytes) bytes"
        case .partyOfNoKind(let key): return "party \(key) is neither P: nor O:"
        case .tooManyLinks: return "more party links than the projections can hold (\(Int32.max))"
        case let .unknownPerson(hazardId, person, persons): return "hazard \(hazardId) names person \(person), of \(persons)"
        }
    }
}
