import Dispatch
import QinglingEvents
import QinglingLog

/// A checkpoint whose preamble and summary were read and checked: where each section lies and
/// its checksum. Its sections are read through `read`, a function from a range of the file's
/// bytes to those bytes (`nil` when they cannot be read), called for the ranges of the
/// sections needed only, from several threads at once; or decoded where they lie when
/// `mapped` gives their bytes (`CheckpointInput.mapped(_:)`).
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
        let (lengths, checksums) = try CheckpointReader.reading(prefix, at: 0) { input throws(CheckpointDamage) in
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
            return (lengths, checksums)
        }
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
        let range = ranges[CheckpointSection.summary.rawValue]
        guard let bytes = read(range), bytes.count == range.count else { throw .unreadableBytes(offset: range.lowerBound, count: range.count) }
        guard CRC32C.checksum(bytes) == checksums[CheckpointSection.summary.rawValue] else { throw .checksumMismatch(.summary) }
        summary = try CheckpointReader.reading(bytes, at: range.lowerBound) { input throws(CheckpointDamage) in try CheckpointSummary(checkpoint: &input) }
    }

    /// Where `section` lies in the file.
    func range(of section: CheckpointSection) -> Range<Int> { ranges[section.rawValue] }

    /// What `section` holds: decoded where it lies in the file's mapping when `mapped` gives
    /// its bytes, else read first.
    func decoded(_ section: CheckpointSection, read: Read, mapped: Mapped) throws(CheckpointDamage) -> DecodedSection {
        let range = range(of: section)
        if let bytes = mapped(range) { return try decoded(section, from: bytes) }
        guard let bytes = read(range), bytes.count == range.count else { throw .unreadableBytes(offset: range.lowerBound, count: range.count) }
        return try bytes.withUnsafeBytes { raw in Result { () throws(CheckpointDamage) in try decoded(section, from: raw) } }.get()
    }

    /// What `section` holds, decoded from `bytes`, then checked against its checksum: bytes in a
    /// mapping are the page cache's, and a page the kernel drops while they are decoded is read
    /// from the disk again, so the checksum is of what was there when the decode had ended.
    /// (The decode checks every field, so damaged bytes cannot make it fault.) A checksum that
    /// does not match is reported before any other damage found.
    private func decoded(_ section: CheckpointSection, from bytes: UnsafeRawBufferPointer) throws(CheckpointDamage) -> DecodedSection {
        let outcome = Result { () throws(CheckpointDamage) in
            var reader = CheckpointReader(bytes, at: range(of: section).lowerBound)
            return try DecodedSection(section, from: &reader, summary: summary)
        }
        guard CRC32C.checksum(bytes) == checksums[section.rawValue] else { throw .checksumMismatch(section) }
        return try outcome.get()
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
            guard needed[index] != .timelines else { return }
            outcomes[index].result = Result { () throws(CheckpointDamage) in try self.decoded(needed[index], read: read, mapped: mapped) }
        }
        for (section, outcome) in zip(needed, outcomes) where section == .timelines {
            outcome.result = Result { () throws(CheckpointDamage) in try self.decoded(section, read: read, mapped: mapped) }
        }
        var sections = DecodedSections()
        var failure: (section: CheckpointSection, damage: CheckpointDamage)?
        for (section, outcome) in zip(needed, outcomes) {
            switch outcome.result {
            case .success(let value)?: sections.add(value)
            case .failure(let damage)?: if failure.map({ section.rawValue < $0.section.rawValue }) ?? true { failure = (section, damage) }
            case nil: failure = failure ?? (section, .notACheckpoint)  // never: every iteration ran
            }
        }
        if let failure { throw failure.damage }
        return sections.state(parts: parts, summary: summary)
    }
}

extension CheckpointLayout {
    /// The clearance figures of every calendar period the checkpoint keeps, with the names
    /// they use: read and checked alone, for a warm `stats` (`ProjectionStore.keptClearanceFigures`).
    /// Throws the damage of the figures' section; `nil` when the names do not read (loading the
    /// state reports that).
    func keptFigures(read: Read, mapped: Mapped) throws(CheckpointDamage) -> KeptClearanceFigures? {
        guard case .names(let names)? = try? decoded(.names, read: read, mapped: mapped) else { return nil }
        guard case .calendarFigures(let figures) = try decoded(.calendarFigures, read: read, mapped: mapped) else { throw .notACheckpoint }
        return KeptClearanceFigures(figures: figures, names: names, latestBusinessDate: summary.latestBusinessDate)
    }
}

/// What one thread reading a section gives the others: set once, read after all have finished
/// (`DispatchQueue.concurrentPerform` returns only then).
private final class SectionOutcome: @unchecked Sendable {
    var result: Result<DecodedSection, CheckpointDamage>?
}
