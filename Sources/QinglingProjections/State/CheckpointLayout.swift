import Dispatch
import QinglingEvents
import QinglingLog

/// A checkpoint whose preamble and summary were read and checked: where each section lies and
/// its checksum. Its sections are read through `read`, a function from a range of the file's
/// bytes to those bytes (`nil` when they cannot be read), called for the ranges of the
/// sections needed only, from several threads at once; the timelines are decoded where they
/// lie when `mapped` gives their bytes (`CheckpointInput.mapped(_:)`).
struct CheckpointLayout {
    typealias Read = @Sendable (Range<Int>) -> ArraySlice<UInt8>?
    typealias Mapped = @Sendable (Range<Int>) -> UnsafeRawBufferPointer?

    let summary: CheckpointSummary
    private let ranges: [Range<Int>]
    private let checksums: [UInt32]

    /// Reads the preamble and the summary of a checkpoint of `size` bytes: throws unless the
    /// magic, the version, the preamble's checksum, the file's size and the summary are right.
    init(size: Int, read: Read) throws(CheckpointDamage) {
        let preambleSize = ProjectionCheckpoint.preambleSize, magic = ProjectionCheckpoint.magic
        guard size > magic.count, let prefix = read(0..<min(size, preambleSize)), prefix.count == min(size, preambleSize),
              prefix.prefix(magic.count).elementsEqual(magic) else { throw .notACheckpoint }
        var input = CheckpointReader(prefix, at: 0)
        for _ in magic { _ = try input.byte() }
        let version = try input.unsigned()
        guard version == ProjectionCheckpoint.formatVersion else { throw .formatVersion(found: version, expected: ProjectionCheckpoint.formatVersion) }
        guard size >= preambleSize else { throw .wrongSize(expected: preambleSize, found: size) }
        let sections = Int(try input.byte())
        guard sections == CheckpointSection.allCases.count else { throw .sectionCount(found: sections, expected: CheckpointSection.allCases.count) }
        var lengths: [UInt64] = [], checksums: [UInt32] = []
        for _ in CheckpointSection.allCases {
            lengths.append(try input.fixed64())
            checksums.append(UInt32(truncatingIfNeeded: try input.fixed64()))
        }
        let stored = try input.fixed64()
        guard stored == UInt64(CRC32C.checksum(prefix.prefix(preambleSize - 8))) else { throw .checksumMismatch(nil) }
        // The size the preamble lists (held at the largest value rather than overflow) is the
        // file's: then no section reaches past it, and no sum below overflows.
        let listed = lengths.reduce(UInt64(preambleSize)) { sum, length in
            let (total, overflow) = sum.addingReportingOverflow(length)
            return overflow ? .max : total
        }
        guard listed == UInt64(size) else { throw .wrongSize(expected: Int(clamping: listed), found: size) }
        var start = preambleSize
        ranges = lengths.map { length in
            defer { start += Int(length) }
            return start..<start + Int(length)
        }
        self.checksums = checksums
        var reader = try Self.checked(.summary, ranges: ranges, checksums: checksums, read: read)
        summary = try CheckpointSummary(checkpoint: &reader)
    }

    /// The bytes of `section`, read and checked against its checksum, as a reader at its offset.
    private static func checked(_ section: CheckpointSection, ranges: [Range<Int>], checksums: [UInt32],
                                read: Read) throws(CheckpointDamage) -> CheckpointReader {
        let range = ranges[section.rawValue]
        guard let bytes = read(range), bytes.count == range.count else { throw .unreadableBytes(offset: range.lowerBound, count: range.count) }
        guard CRC32C.checksum(bytes) == checksums[section.rawValue] else { throw .checksumMismatch(section) }
        return CheckpointReader(bytes, at: range.lowerBound)
    }

    /// Where `section` lies in the file.
    func range(of section: CheckpointSection) -> Range<Int> { ranges[section.rawValue] }

    /// The timelines section's bytes, not yet checked: where they lie in the file's mapping
    /// when `mapped` gives them, else read.
    private func timelineBytes(read: Read, mapped: Mapped) throws(CheckpointDamage) -> TimelineBytes {
        let range = range(of: .timelines)
        if let bytes = mapped(range) { return .mapped(bytes) }
        guard let bytes = read(range), bytes.count == range.count else { throw .unreadableBytes(offset: range.lowerBound, count: range.count) }
        return .read(bytes)
    }

    /// The hazards of the timelines section in `bytes`, as many as the summary counts, the
    /// section checked against its checksum once they are decoded: bytes in a mapping are the
    /// page cache's, and a page the kernel drops while they are decoded is read from the disk
    /// again, so the checksum is of what was there when the decode had ended. (The decode
    /// checks every field, so damaged bytes cannot make it fault.) A checksum that does not
    /// match is reported before any other damage found.
    private func timelines(_ bytes: TimelineBytes) throws(CheckpointDamage) -> DecodedSection {
        let start = range(of: .timelines).lowerBound, checksum = checksums[CheckpointSection.timelines.rawValue]
        func decoded(_ raw: UnsafeRawBufferPointer) -> Result<[HazardTimeline], CheckpointDamage> {
            let hazards = Result { () throws(CheckpointDamage) in
                let hazards = try HazardTimeline.read(section: raw, at: start, names: summary.names, persons: summary.persons)
                guard hazards.count == summary.hazards else { throw .inconsistent(.hazards, at: hazards.count, .wrongCount) }
                return hazards
            }
            return CRC32C.checksum(raw) == checksum ? hazards : .failure(.checksumMismatch(.timelines))
        }
        switch bytes {
        case .mapped(let raw): return .timelines(try decoded(raw).get())
        case .read(let array): return .timelines(try array.withUnsafeBytes(decoded).get())
        }
    }

    /// The state the checkpoint holds, with `parts` (and the persons, with the party links):
    /// the sections needed read, checked and decoded side by side, the largest first, except the
    /// timelines, decoded once the others are (`HazardTimeline.read` takes both processors);
    /// when several sections are damaged, the first in the file is reported.
    func state(parts: ProjectionParts, read: Read, mapped: Mapped = { _ in nil }) throws(CheckpointDamage) -> ProjectionState {
        let parts = parts.contains(.partyLinks) ? parts.union(.persons) : parts
        let needed = CheckpointSection.needed(for: parts).filter { $0 != .summary }.sorted { ranges[$0.rawValue].count > ranges[$1.rawValue].count }
        let outcomes = needed.map { _ in SectionOutcome() }
        DispatchQueue.concurrentPerform(iterations: needed.count) { index in
            let section = needed[index]
            do throws(CheckpointDamage) {
                if section == .timelines {
                    outcomes[index].deferred = try timelineBytes(read: read, mapped: mapped)
                } else {
                    var reader = try Self.checked(section, ranges: ranges, checksums: checksums, read: read)
                    outcomes[index].result = .success(try DecodedSection(section, from: &reader, summary: summary))
                }
            } catch {
                outcomes[index].result = .failure(error)
            }
        }
        for outcome in outcomes {
            guard let bytes = outcome.deferred else { continue }
            do throws(CheckpointDamage) { outcome.result = .success(try timelines(bytes)) } catch {
                outcome.result = .failure(error)
            }
        }
        var decoded = DecodedSections()
        var failure: (section: CheckpointSection, damage: CheckpointDamage)?
        for (section, outcome) in zip(needed, outcomes) {
            switch outcome.result {
            case .success(let value)?: decoded.add(value)
            case .failure(let damage)?: if failure.map({ section.rawValue < $0.section.rawValue }) ?? true { failure = (section, damage) }
            case nil: failure = failure ?? (section, .notACheckpoint)  // never: every iteration ran
            }
        }
        if let failure { throw failure.damage }
        return decoded.state(parts: parts, summary: summary)
    }
}

/// What one thread reading a section gives the others: set once, read after all have finished
/// (`DispatchQueue.concurrentPerform` returns only then).
private final class SectionOutcome: @unchecked Sendable {
    var result: Result<DecodedSection, CheckpointDamage>?
    /// The section's bytes, to decode and check after the others (the timelines).
    var deferred: TimelineBytes?
}

/// The bytes of a timelines section: where they lie in a checkpoint file's mapping, or read.
private enum TimelineBytes {
    case mapped(UnsafeRawBufferPointer)
    case read(ArraySlice<UInt8>)
}
