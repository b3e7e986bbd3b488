/// What is wrong with bytes that are not an intact checkpoint of this version
/// (`CheckpointError.damaged`).
public enum CheckpointDamage: Error, Equatable, Sendable, CustomStringConvertible {
    /// Too short, or not starting with the magic `QLPJ`.
    case notACheckpoint
    /// The CRC-32C of a section (`nil`: of the preamble) does not match its bytes: torn or
    /// changed.
    case checksumMismatch(CheckpointSection?)
    /// A preamble listing `found` sections where this version has `expected`.
    case sectionCount(found: Int, expected: Int)
    /// The file's size is not that of its preamble and the sections it lists: torn or changed.
    case wrongSize(expected: Int, found: Int)
    /// The `count` bytes at byte `offset` could not be read (the file changed or failed).
    case unreadableBytes(offset: Int, count: Int)
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
    /// A part of the state that does not hold together, at element `at` of it (a key's number,
    /// a slot, a link, a hazard): what a fold could never have written.
    case inconsistent(Part, at: Int, Flaw)

    /// The parts of a checkpoint's state.
    public enum Part: String, Sendable {
        case names, persons, organizations, hazards, steps
        case hazardIds = "hazard ids"
        case hazardSeries = "hazard id series"
        case personLinks = "person links"
        case organizationLinks = "organization links"
        case calendarFigures = "calendar figures"
    }

    /// What is wrong with an element of a part.
    public enum Flaw: String, Sendable {
        /// A number beyond the list it indexes (a name, a person, a hazard, a key's place).
        case indexOutOfRange = "refers beyond its list"
        /// A key whose place, hash or length a look-up would not find it by, or a number given
        /// to two keys.
        case misplacedKey = "is not where a look-up finds it"
        /// A key that is not UTF-8 text.
        case notUTF8 = "is not UTF-8"
        /// A table fuller than the projections leave one, or counts that disagree.
        case wrongCount = "has the wrong count"
        /// A link that does not point back to an earlier one, or links not in one chain per
        /// party (two parties' chains joined, a chain no party starts).
        case linkOrder = "is not in one party's chain of earlier links"
        /// A step whose kind, date or deadline no fold writes.
        case malformedStep = "is not a step a fold writes"
        /// A date outside the storable dates.
        case dateOutOfRange = "has a date out of range"
        /// A hazard id series that is not of the workflow's form.
        case malformedSeries = "is not a series of the workflow's form"
        /// A count below zero.
        case negativeCount = "is negative"
        /// A count above what the events covered can make.
        case countsTooMuch = "counts more than the events covered"
        /// An entry listed twice.
        case repeated = "is listed twice"
    }

    public var description: String {
        switch self {
        case .notACheckpoint: return "not a projection checkpoint (no QLPJ magic)"
        case .checksumMismatch(let section): return "checksum mismatch in the \(section.map { "\($0) section" } ?? "preamble") (torn or changed)"
        case let .sectionCount(found, expected): return "\(found) sections where this version has \(expected)"
        case let .wrongSize(expected, found): return "\(found) bytes where its preamble lists \(expected) (torn or changed)"
        case let .unreadableBytes(offset, count): return "\(count) bytes at byte \(offset) could not be read"
        case let .formatVersion(found, expected): return "format version \(found), this program reads \(expected)"
        case .unreadableField(let offset): return "a field at byte \(offset) does not read"
        case let .countTooLarge(count, offset): return "count \(count) at byte \(offset) exceeds the bytes left"
        case let .outOfRange(value, offset, limit): return "number \(value) at byte \(offset) is out of range (\(limit))"
        case let .quarterOutOfRange(number, offset): return "quarter \(number) at byte \(offset)"
        case .bytesLeftOver(let count): return "\(count) bytes left over"
        case let .inconsistent(part, index, flaw): return "\(part.rawValue) element \(index) \(flaw.rawValue)"
        }
    }
}
