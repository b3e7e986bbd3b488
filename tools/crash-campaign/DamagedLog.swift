import Foundation
import QinglingLog
import QinglingTestSupport

/// A log whose last segment has damage at its end that `qingling recover` may cut, as the
/// recover campaign makes it, with what it held before the damage.
struct DamagedLog {
    /// Ambiguous damage (in a version-1 segment, written before sync marks) or a torn tail.
    enum Kind: CaseIterable { case ambiguous, tornTail }

    /// What lies after the last batch.
    enum Garbage: CaseIterable {
        /// Random bytes.
        case noise
        /// Zero bytes, as a file system may leave after a crash.
        case zeros
        /// The first bytes of a copy of the segment's last batch: a batch torn as it was written.
        case tornBatch
        /// A multi-batch append written but never synced, cut inside its last batch (torn tails only).
        case uncommittedAppend
    }

    let directory: String
    let kind: Kind
    let garbage: Garbage
    /// The damage as `LogRecovery.inspect` shows it.
    let damage: TailDamage
    /// The bytes from the damage to the end of the segment.
    let bytes: [UInt8]
    /// Every record before the damage.
    let records: [LogRecord]

    /// Makes a damaged log in `directory` (which must not exist): a copy of the version-1 log
    /// `fixture` with garbage after its last batch (ambiguous damage), or a log written here,
    /// from 2 to 6 appends of campaign events (some of several batches), with a torn tail.
    static func make(_ kind: Kind, in directory: String, fixture: String, random: inout SplitMix) throws -> DamagedLog {
        let garbage: Garbage
        switch kind {
        case .ambiguous:
            try FileManager.default.copyItem(atPath: fixture, toPath: directory)
            garbage = [Garbage.noise, .zeros, .tornBatch][random.below(3)]
        case .tornTail:
            garbage = Garbage.allCases[random.below(Garbage.allCases.count)]
            try writeLog(in: directory, endingUnsynced: garbage == .uncommittedAppend, random: &random)
        }
        let records = try LogReader(directory: directory).readAll()
        let segment = try lastSegment(of: directory)
        var contents = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        switch garbage {
        case .noise: contents += (0..<1 + random.below(4_096)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case .zeros: contents += [UInt8](repeating: 0, count: 512 + random.below(7_681))
        case .tornBatch:
            let last = try lastBatch(in: contents)
            contents += contents[last.lowerBound..<last.lowerBound + 1 + random.below(last.count - 1)]
        case .uncommittedAppend:
            // Cut inside the append's last batch: its first batch (which says the append goes on) stays whole.
            let last = try lastBatch(in: contents)
            contents = Array(contents[..<(last.lowerBound + random.below(last.count))])
        }
        try Data(contents).write(to: URL(fileURLWithPath: segment))
        guard let damage = try LogRecovery.inspect(directory: directory), damage.kind == (kind == .ambiguous ? .ambiguous : .tornTail) else {
            throw BrokenPromise("a log made with \(kind) damage (\(garbage)) does not show it")
        }
        let visible = garbage == .uncommittedAppend ? try LogReader(directory: directory).readAll() : records
        return DamagedLog(directory: directory, kind: kind, garbage: garbage, damage: damage,
                          bytes: Array(contents[Int(damage.offset)...]), records: visible)
    }

    /// A log of 2 to 6 synced appends of campaign events, one in three of several batches,
    /// closed; or, `endingUnsynced`, followed by a multi-batch append written but not synced,
    /// and left without closing (as at a kill).
    private static func writeLog(in directory: String, endingUnsynced: Bool, random: inout SplitMix) throws {
        let writer = try LogWriter(directory: directory, options: LogOptions(clock: SimulatedClock(microseconds: CampaignEvents.start)))
        var next = 0
        func batches(_ count: Int) -> [[Record]] {
            (0..<count).map { _ in
                let records = (next..<next + 1 + random.below(30)).map { index in
                    let expected = CampaignEvents.expected(index)
                    return Record(keys: expected.keys, payload: expected.payload)
                }
                next += records.count
                return records
            }
        }
        for _ in 0..<2 + random.below(5) {
            try writer.append(batches: batches(random.below(3) == 0 ? 2 + random.below(3) : 1))
        }
        if endingUnsynced {
            try writer.append(batches: batches(2 + random.below(3)), durability: .deferred)
        } else {
            try writer.close()
        }
    }

    /// The path of the log's last segment.
    private static func lastSegment(of directory: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/segments").filter { $0.hasSuffix(SegmentName.suffix) }
        guard let last = names.compactMap(SegmentName.init(fileName:)).max() else {
            throw BrokenPromise("\(directory) has no segment")
        }
        return directory + "/segments/" + last.fileName
    }

    /// Where the segment's last batch lies in `contents`, walking its batches (88-byte headers
    /// with the payload length at byte 20) and sync marks (`SyncMark.size` bytes) from the
    /// segment header on.
    private static func lastBatch(in contents: [UInt8]) throws -> Range<Int> {
        var offset = SegmentHeader.size
        var last: Range<Int>?
        while offset + 4 <= contents.count {
            if contents[offset..<offset + 4].elementsEqual(SyncMark.magic) {
                offset += SyncMark.size
                continue
            }
            guard contents[offset..<offset + 4].elementsEqual(BatchHeader.magic), offset + BatchHeader.size <= contents.count else { break }
            let payload = contents[offset + 20..<offset + 24].reversed().reduce(0) { $0 << 8 | Int($1) }
            last = offset..<min(offset + BatchHeader.size + payload, contents.count)
            offset = last?.upperBound ?? contents.count
        }
        guard let last, last.count > 1 else { throw BrokenPromise("the segment holds no batch") }
        return last
    }
}
