import Foundation
import QinglingLog

/// What the recover campaign checks after each kill, and the figures it gathers.
struct RecoverChecks {
    private(set) var figures = Figures()

    /// After a kill of the recovery of `log` (`cutReported`: it had said it cut): the damage is
    /// as it was (and the next recover cuts it) or cut exactly at its offset; the cut bytes are
    /// in `recovered/`; every record before the damage is there; the log takes an append.
    mutating func check(_ log: DamagedLog, cutReported: Bool) throws {
        figures.count(log)
        let shown: TailDamage?
        do { shown = try LogRecovery.inspect(directory: log.directory) } catch {
            throw BrokenPromise("after the kill the log cannot be inspected: \(error)")
        }
        if shown == log.damage {
            guard !cutReported else { throw BrokenPromise("recovery said it cut, but the damage is still there") }
            let copies = savedCopies(of: log)
            figures.untouched += 1
            if copies.contains(log.bytes) { figures.untouchedWholeCopy += 1 } else if !copies.isEmpty { figures.untouchedPartialCopy += 1 }
            do { _ = try LogRecovery.cut(log.damage, directory: log.directory) } catch {
                throw BrokenPromise("the recovery after the killed one fails: \(error)")
            }
        } else if shown == nil, Self.size(of: log.damage.segment) == log.damage.offset {
            figures.cut += 1
            if cutReported { figures.cutReported += 1 }
        } else {
            throw BrokenPromise("after the kill the end of the log is neither as it was (\(log.damage)) nor cut at offset \(log.damage.offset): \(shown.map { "\($0)" } ?? "no damage, segment of \(Self.size(of: log.damage.segment)) bytes")")
        }
        guard Self.size(of: log.damage.segment) == log.damage.offset, try LogRecovery.inspect(directory: log.directory) == nil else {
            throw BrokenPromise("the segment was not cut exactly at offset \(log.damage.offset)")
        }
        guard savedCopies(of: log).contains(log.bytes) else {
            throw BrokenPromise("no file in recovered/ holds the \(log.bytes.count) bytes cut")
        }
        try checkRecordsAndAppend(log)
    }

    /// Every record before the damage reads back as it was; the log takes one more and verifies.
    private mutating func checkRecordsAndAppend(_ log: DamagedLog) throws {
        do {
            guard try LogReader(directory: log.directory).readAll() == log.records else {
                throw BrokenPromise("the records before the damage are not as they were")
            }
            let reader = try LogReader(directory: log.directory)
            let clock: any LogClock = reader.metadata.clock == .system ? SystemClock()
                : SimulatedClock(microseconds: (try reader.lastRecordedAt() ?? 0) + 3_600_000_000)
            let writer = try LogWriter(directory: log.directory, options: LogOptions(clock: clock, createIfMissing: false))
            try writer.append([Record(keys: ["after-recovery"], payload: Array("appended after the recovery".utf8))])
            try writer.close()
            let after = try LogReader(directory: log.directory)
            guard try after.readAll().count == log.records.count + 1, try after.verify().passed else {
                throw BrokenPromise("after an append the log does not read back or verify")
            }
        } catch let broken as BrokenPromise {
            throw broken
        } catch {
            throw BrokenPromise("after the recovery: \(error)")
        }
        figures.recordsChecked += log.records.count
    }

    /// The contents of the files in `recovered/` named for the damage's segment and offset.
    private func savedCopies(of log: DamagedLog) -> [[UInt8]] {
        let recovered = log.directory + "/recovered"
        let stem = URL(fileURLWithPath: log.damage.segment).deletingPathExtension().lastPathComponent + "@\(log.damage.offset)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: recovered)) ?? []
        return names.filter { $0.hasPrefix(stem) }.compactMap { KillChecks.read(recovered + "/" + $0, at: 0, count: Int.max) }
    }

    private static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? -1
    }

    struct Figures {
        var ambiguous = 0, tornTails = 0
        var garbage: [DamagedLog.Garbage: Int] = [:]
        var bytes: ClosedRange<Int64>?
        var untouched = 0, untouchedPartialCopy = 0, untouchedWholeCopy = 0, cut = 0, cutReported = 0
        var recordsChecked = 0

        mutating func count(_ log: DamagedLog) {
            if log.kind == .ambiguous { ambiguous += 1 } else { tornTails += 1 }
            garbage[log.garbage, default: 0] += 1
            let size = log.damage.bytes
            bytes = bytes.map { min($0.lowerBound, size)...max($0.upperBound, size) } ?? size...size
        }

        func report(seconds: Double, seed: UInt64) -> String {
            let kinds = DamagedLog.Garbage.allCases.map { "\($0) \(garbage[$0] ?? 0)" }.joined(separator: ", ")
            return """
            recover campaign (seed \(seed)) passed in \(String(format: "%.0f", seconds)) s:
              recoveries killed: \(ambiguous + tornTails) (\(ambiguous) of ambiguous damage, \(tornTails) of a torn tail; \(kinds); \(bytes.map { "\($0.lowerBound)–\($0.upperBound)" } ?? "0") bytes)
              after the kill: damage as it was \(untouched) (\(untouchedPartialCopy) with a partial copy in recovered/, \(untouchedWholeCopy) with a whole one), each then cut by the next recovery; cut exactly \(cut) (\(cutReported) said so before the kill)
              every time: the cut bytes in recovered/ byte for byte, the \(recordsChecked) records before the damage as they were, the log writable and verifying
            """
        }
    }
}
