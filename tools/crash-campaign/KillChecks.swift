import Foundation
import QinglingArchive
import QinglingLog

/// What the kill campaign checks after every kill, and the figures it gathers.
struct KillChecks {
    /// A torn tail found after a kill, with its bytes: once the log no longer holds them, a
    /// file in `recovered/` must.
    private struct TornTail {
        let segment: String
        let offset: Int64
        let bytes: [UInt8]
    }

    let directory: String
    private(set) var figures = KillFigures()
    /// The end of the last append any writer acknowledged.
    private var acknowledged = 0
    /// The multi-batch append the killed writer announced, and whether it was acknowledged.
    private var bigAppend: Range<Int>?
    private var bigAcknowledged = false
    /// Whether the killed writer had started writing its multi-batch append (`WRITING`).
    private var bigWriting = false
    private var pendingTail: TornTail?

    init(directory: String) { self.directory = directory }

    /// Whether a torn tail found after a kill is still to be cut.
    var tornTailPending: Bool { pendingTail != nil }

    /// Takes in what a killed writer printed: its acknowledgements (`ACK <first> <end>`), and
    /// whether it had started writing the multi-batch append it announced, if any.
    mutating func writerKilled(output: [String], bigAppend: Range<Int>?) {
        self.bigAppend = bigAppend
        bigAcknowledged = false
        bigWriting = output.contains { $0.hasPrefix("WRITING ") }
        if bigAppend != nil {
            figures.bigAppends += 1
        } else {
            figures.writerKills += 1
            if pendingTail != nil { figures.cuttingWriterKills += 1 }
        }
        for line in output where line.hasPrefix("ACK ") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let end = Int(parts[2]) else { continue }
            acknowledged = max(acknowledged, end)
            if let bigAppend, end == bigAppend.upperBound { bigAcknowledged = true }
        }
    }

    /// Takes in a killed archive job: whether it had sealed its year.
    mutating func sealerKilled(sealed: Bool) {
        bigAppend = nil
        figures.sealKills += 1
        if sealed { figures.sealsCompleted += 1 }
    }

    /// Every promise, after a kill.
    mutating func check() throws {
        guard FileManager.default.fileExists(atPath: directory + "/log.meta") else {
            if acknowledged > 0 { throw BrokenPromise("the log vanished after \(acknowledged) acknowledged events") }
            return
        }
        try checkTornTailSaved()
        // What the kill left at the end of the log, before any writer opens it.
        let damage: TailDamage?
        do { damage = try LogRecovery.inspect(directory: directory) } catch { throw BrokenPromise("inspecting the end of the log: \(error)") }
        if let damage {
            guard damage.kind == .tornTail else { throw BrokenPromise("after a kill, damage that is not a torn tail: \(damage)") }
            if pendingTail == nil {
                // Not the tail an earlier kill left: that one would still be pending.
                pendingTail = TornTail(segment: damage.segment, offset: damage.offset, bytes: try Self.bytes(of: damage))
                figures.tornTails += 1
            }
        }
        do {
            let lastTime = try LogReader(directory: directory).lastRecordedAt() ?? CampaignEvents.start
            let writer = try LogWriter(directory: directory, options: LogOptions(clock: SimulatedClock(microseconds: lastTime), createIfMissing: false))
            figures.leftoversRemoved += writer.recovery.removedSealingLeftovers.count
            try writer.close()
        } catch {
            throw BrokenPromise("the log does not open for writing: \(error)")
        }
        let visible = try checkEveryEvent()
        guard visible >= acknowledged else { throw BrokenPromise("\(acknowledged) events acknowledged, \(visible) in the log") }
        if let bigAppend { try checkAllOrNothing(bigAppend, visible: visible, damage: damage) }
        figures.eventsChecked += visible
        figures.acknowledged = acknowledged
        let report = try ArchiveVerifier.verify(directory: directory)
        guard report.passed else { throw BrokenPromise("verify: \((report.log?.problems.map(\.description) ?? []) + report.problems)") }
        figures.sealedYears = report.years.count
    }

    /// Reads the log from sequence 0: each sequence must hold exactly the event appended there.
    /// Returns how many events it holds.
    private func checkEveryEvent() throws -> Int {
        var count = 0
        do {
            try LogReader(directory: directory).forEach { record throws(LogError) in
                let expected = CampaignEvents.expected(count)
                guard record.sequence == UInt64(count), record.payload == expected.payload, record.keys == expected.keys else {
                    throw LogError.corrupt(path: directory, offset: 0, reason: "sequence \(count) does not hold the event appended there")
                }
                count += 1
            }
        } catch {
            throw BrokenPromise("reading: \(error)")
        }
        return count
    }

    /// Of a multi-batch append, all events are visible or none.
    private mutating func checkAllOrNothing(_ append: Range<Int>, visible: Int, damage: TailDamage?) throws {
        guard visible <= append.lowerBound || visible >= append.upperBound else {
            throw BrokenPromise("\(visible - append.lowerBound) of the \(append.count) events of one append (sequences \(append.lowerBound)–\(append.upperBound - 1)) are visible")
        }
        if visible >= append.upperBound {
            if bigAcknowledged { figures.bigAllAcknowledged += 1 } else { figures.bigAllUnacknowledged += 1 }
        } else if bigWriting, let damage {
            // The writer cut any earlier torn tail before it started writing: this one is the append's.
            figures.bigNonePartWritten += 1
            figures.notePartWritten(damage.bytes)
            // The second batch's header written: the first batch is whole, which readers must still ignore.
            if damage.batchesAfter >= 2 { figures.bigPartWithWholeBatch += 1 }
        } else {
            figures.bigNoneUnwritten += 1
        }
    }

    /// Once the log no longer holds a torn tail found after an earlier kill (the next writer cut
    /// it before it first wrote), a file of `recovered/` named for its segment and offset holds
    /// its bytes exactly.
    private mutating func checkTornTailSaved() throws {
        guard let tail = pendingTail else { return }
        if Self.read(tail.segment, at: tail.offset, count: tail.bytes.count) == tail.bytes { return }
        let recovered = directory + "/recovered"
        let stem = URL(fileURLWithPath: tail.segment).deletingPathExtension().lastPathComponent + "@\(tail.offset)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: recovered)) ?? []
        guard names.contains(where: { $0.hasPrefix(stem) && Self.read(recovered + "/" + $0, at: 0, count: Int.max) == tail.bytes }) else {
            throw BrokenPromise("the torn tail of \(tail.bytes.count) bytes at offset \(tail.offset) of \(tail.segment) was cut, but recovered/ does not hold it")
        }
        figures.tornTailsSaved += 1
        pendingTail = nil
    }

    /// The damaged bytes at the end of the log.
    private static func bytes(of damage: TailDamage) throws -> [UInt8] {
        guard let bytes = read(damage.segment, at: damage.offset, count: Int(damage.bytes)), bytes.count == Int(damage.bytes) else {
            throw BrokenPromise("cannot read the torn tail at offset \(damage.offset) of \(damage.segment)")
        }
        return bytes
    }

    /// Up to `count` bytes of a file from `offset`; `nil` when it cannot be read.
    static func read(_ path: String, at offset: Int64, count: Int) -> [UInt8]? {
        guard let file = Foundation.FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        guard (try? file.seek(toOffset: UInt64(offset))) != nil,
              let data = try? (count == Int.max ? file.readToEnd() : file.read(upToCount: count)) else { return nil }
        return Array(data)
    }
}
