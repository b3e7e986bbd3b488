import Foundation
import Synchronization
import Testing
@testable import QinglingLog

@Suite struct LogRoundTripTests {
    @Test func appendedRecordsReadBackAfterReopenWithContiguousSequencesFromZero() throws {
        let directory = TemporaryDirectory()
        let (options, clock) = simulatedOptions()
        var written: [Record] = []
        do {
            let writer = try LogWriter(directory: directory.path, options: options)
            for batch in 0..<5 {
                let records = sampleRecords(batch + 1, batch: batch)
                let result = try writer.append(records)
                #expect(result.sequences == UInt64(written.count)..<UInt64(written.count + records.count))
                written += records
                clock.advance(microseconds: 1_000)
            }
            try writer.close()
        }
        let reader = try LogReader(directory: directory.path)
        let read = try reader.readAll()
        #expect(read.map(\.sequence) == (0..<UInt64(written.count)).map { $0 })
        #expect(read.map(\.payload) == written.map(\.payload))
        #expect(read.map(\.keys) == written.map(\.keys))
        #expect(try reader.record(at: 7).payload == written[7].payload)
        #expect(throws: LogError.sequenceOutOfRange(sequence: 99, next: UInt64(written.count))) { try reader.record(at: 99) }
        #expect(try reader.readAll(from: 10).map(\.sequence) == (10..<UInt64(written.count)).map { $0 })

        let reopened = try LogWriter(directory: directory.path, options: options)
        #expect(reopened.nextSequence == UInt64(written.count))
        #expect(reopened.recovery.cutTails.isEmpty)
        let more = try reopened.append(sampleRecords(2, batch: 9))
        #expect(more.sequences == UInt64(written.count)..<UInt64(written.count + 2))
        try reopened.close()
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    @Test func aRangeReadStopsAtTheBatchHoldingItsLastRecord() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<5 { try writer.append(sampleRecords(10, batch: batch)) }
        try writer.close()
        // A changed byte inside the third batch of the only segment, valid batches after it.
        var bytes = RawFile.read(lastSegmentPath(directory.path))
        let third = try segmentLayout(bytes).batches[2]
        bytes[third + BatchHeader.size + 40] ^= 0x20
        RawFile.write(lastSegmentPath(directory.path), bytes)
        let reader = try LogReader(directory: directory.path)
        // What lies before the damage is read without reading on to it ...
        var read: [UInt64] = []
        try reader.forEach(in: 3..<20) { read.append($0.sequence) }
        #expect(read == Array(3..<20))
        #expect(try reader.record(at: 19).payload == sampleRecords(10, batch: 1)[9].payload)
        // ... and the damaged batch is never returned: a read reaching it fails, naming it.
        for reach: () throws -> Void in [{ _ = try reader.record(at: 20) }, { try reader.forEach(in: 3..<21) { _ in } }, { _ = try reader.readAll() }] {
            #expect { try reach() } throws: { error in
                guard case LogError.corrupt(let path, let offset, _) = error else { return false }
                return path == lastSegmentPath(directory.path) && offset == Int64(third)
            }
        }
        #expect(try !reader.verify().passed)
    }

    /// A log of 300 records in 12 batches of 25, over several segments.
    private func twelveBatches(in directory: TemporaryDirectory) throws -> LogReader {
        let (options, _) = simulatedOptions(segmentBytes: 20_000)
        let writer = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<12 { try writer.append(sampleRecords(25, batch: batch)) }
        try writer.close()
        return try LogReader(directory: directory.path)
    }

    @Test func payloadsReadWithoutCopiesAreTheRecordsPayloads() throws {
        let directory = TemporaryDirectory()
        let reader = try twelveBatches(in: directory)
        #expect(try reader.segments().count > 3)
        for start: UInt64 in [0, 1, 137, 299] {
            var seen: [LogRecord] = []
            try reader.forEachPayload(from: start) { sequence, time, payload in
                seen.append(LogRecord(sequence: sequence, recordedAt: time, keys: [], payload: Array(payload)))
            }
            let expected = try reader.readAll(from: start).map { LogRecord(sequence: $0.sequence, recordedAt: $0.recordedAt, keys: [], payload: $0.payload) }
            #expect(seen == expected)
            #expect(seen.count == 300 - Int(start))
        }
    }

    @Test func payloadsKeptWithTheirBatchesStayIntactAndLetGoBatchesAreReused() throws {
        let directory = TemporaryDirectory()
        let reader = try twelveBatches(in: directory)
        let expected = try reader.readAll(from: 40).map(\.payload)

        // Every batch held (as a replay's queue holds them) while the rest are read: each
        // payload read in place still holds its record's bytes after the last batch.
        var recycler = BatchRecycler()
        var held: [DecompressedBatch] = []
        var payloads: [UnsafeRawBufferPointer] = []
        try reader.forEachPayload(from: 40, recycling: &recycler) { _, _, payload, batch in
            if held.last !== batch { held.append(batch) }
            payloads.append(payload)
        }
        #expect(held.count == 11, "the batches of sequences 40 on")
        #expect(Set(held.map(ObjectIdentifier.init)).count == held.count, "no batch reused while held")
        #expect(payloads.map { Array($0) } == expected)

        // Let go at once: the same batch is decompressed into again and again.
        held = []
        var seen: [[UInt8]] = []
        var used = Set<ObjectIdentifier>()
        try reader.forEachPayload(from: 40, recycling: &recycler) { _, _, payload, batch in
            used.insert(ObjectIdentifier(batch))
            seen.append(Array(payload))
        }
        #expect(seen == expected)
        #expect(used.count == 1)
    }

    @Test func recordedTimesStrictlyIncreaseEvenWhenTheClockGoesBack() throws {
        let directory = TemporaryDirectory()
        let (options, clock) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(3))
        clock.set(microseconds: june2024 - 3_600_000_000)  // an hour back
        try writer.append(sampleRecords(3))
        try writer.close()
        let times = try LogReader(directory: directory.path).readAll().map(\.recordedAt)
        #expect(times.count == 6)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(times[0] == june2024)
    }

    @Test func segmentsRollBySizeAndAtTheTurnOfTheYear() throws {
        let directory = TemporaryDirectory()
        let (options, clock) = simulatedOptions(at: ShanghaiTime.startOfYear(2025) - 10_000_000, segmentBytes: 4096)
        let writer = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<12 {
            try writer.append(sampleRecords(4, batch: batch, payloadBytes: 200))
            clock.advance(microseconds: 1_000_000)  // the year turns after the 10th batch
        }
        // A batch straddling the turn of the year starts at the new year.
        clock.set(microseconds: ShanghaiTime.startOfYear(2026) - 2)
        let straddling = try writer.append(sampleRecords(5, batch: 99))
        #expect(straddling.recordedAt.first == ShanghaiTime.startOfYear(2026))
        try writer.close()

        let names = RawFile.files(in: directory.child("segments")).compactMap(SegmentName.init(fileName:))
        #expect(names.count > 3)
        #expect(Set(names.map(\.year)) == [2024, 2025, 2026])
        let reader = try LogReader(directory: directory.path)
        for record in try reader.readAll() {
            let name = try #require(names.last { $0.baseSequence <= record.sequence })
            #expect(ShanghaiTime.year(ofMicroseconds: record.recordedAt) == name.year)
        }
        for name in names {
            let size = RawFile.read(directory.child("segments/" + name.fileName)).count
            #expect(size <= 4096 || name == names.last)
        }
        #expect(try reader.verify().passed)
    }

    @Test func streamKeyLookupsMatchAFullScanWithAndWithoutIndexFiles() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions(segmentBytes: 2048)
        let writer = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<30 { try writer.append(sampleRecords(batch % 4 + 1, batch: batch, payloadBytes: 120)) }
        let reader = try LogReader(directory: directory.path)
        let all = try reader.readAll()
        func check(_ reader: LogReader) throws {
            let keys = ["H-0", "H-3", "B-17", "missing"]
            for key in keys {
                #expect(try reader.records(forKey: key) == all.filter { $0.keys.contains(key) })
            }
            // All at once, each batch read once for all of them: the same records by key, and
            // no entry for a key no record carries.
            let together = try reader.records(forKeys: Set(keys + (0..<30).map { "B-\($0)" }))
            #expect(together.count == 32 && together["missing"] == nil)  // H-0, H-3, B-0 to B-29
            for (key, records) in together { #expect(records == all.filter { $0.keys.contains(key) }) }
            // Bounded: the records before the bound, at every batch's start, in segments with an
            // index and without.
            let starts = (0..<30).reduce(into: [UInt64(0)]) { starts, batch in starts.append(starts[starts.count - 1] + UInt64(batch % 4 + 1)) }
            for bound in starts + [.max] {
                let before = try reader.records(forKeys: Set(keys + (0..<30).map { "B-\($0)" }), before: bound)
                for key in keys + (0..<30).map({ "B-\($0)" }) {
                    let expected = all.filter { $0.keys.contains(key) && $0.sequence < bound }
                    #expect((before[key] ?? []) == expected, "\(key) before \(bound)")
                }
            }
        }
        try check(reader)  // the active segment has no index yet
        try writer.close()
        #expect(RawFile.files(in: directory.child("index")).count == RawFile.files(in: directory.child("segments")).count)
        try check(try LogReader(directory: directory.path))
        // Indexes are derived: without them, or with damaged ones, lookups still agree. (A damaged
        // block is found when a lookup reads it; the lookup then scans the segment instead.)
        let indexes = RawFile.files(in: directory.child("index"))
        var damaged = RawFile.read(directory.child("index/" + indexes[0]))
        damaged[damaged.count - 3] ^= 0xFF
        RawFile.write(directory.child("index/" + indexes[0]), damaged)
        try? FileManager.default.removeItem(atPath: directory.child("index/" + indexes[1]))
        try check(try LogReader(directory: directory.path))
        // The writer rebuilds missing indexes on open.
        let reopened = try LogWriter(directory: directory.path, options: options)
        #expect(indexes.count >= 3)
        #expect(reopened.recovery.rebuiltIndexes == [directory.child("index/" + indexes[1])])
        try reopened.close()
        try check(try LogReader(directory: directory.path))
    }

    @Test func readersInOtherThreadsSeeOnlyCompletePrefixesWhileTheWriterAppends() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions(segmentBytes: 16 << 10)
        let writer = try LogWriter(directory: directory.path, options: options)
        let path = directory.path
        let batches = 60
        let finished = DispatchGroup()
        let writerDone = Mutex(false)
        let failures = Mutex<[String]>([])
        func spawn(_ body: @escaping @Sendable () throws -> Void) {
            finished.enter()
            Thread {
                do { try body() } catch { failures.withLock { $0.append("\(error)") } }
                finished.leave()
            }.start()
        }
        spawn {
            for batch in 0..<batches { try writer.append(sampleRecords(10, batch: batch, payloadBytes: 100)) }
            writerDone.withLock { $0 = true }
        }
        for _ in 0..<2 {
            spawn {
                var lastSeen = 0
                var reads = 0
                while true {
                    let done = writerDone.withLock { $0 }
                    let records = try LogReader(directory: path).readAll()
                    reads += 1
                    if records.count % 10 != 0 { failures.withLock { $0.append("saw \(records.count) records: a partial batch") } }
                    if records.map(\.sequence) != (0..<UInt64(records.count)).map({ $0 }) { failures.withLock { $0.append("gap") } }
                    if records.count < lastSeen { failures.withLock { $0.append("went back from \(lastSeen) to \(records.count)") } }
                    lastSeen = records.count
                    if done { break }
                }
                if lastSeen != batches * 10 { failures.withLock { $0.append("final read saw \(lastSeen)") } }
            }
        }
        finished.wait()
        #expect(failures.withLock { $0 } == [])
        try writer.close()
    }
}
