import Foundation
import QinglingLog
import QinglingTestSupport

/// The input is the index file of one segment of a three-segment log, the last one's index stale
/// (it covers the segment as it was two batches ago). The first byte chooses the segment (its
/// low bits, modulo 3) and whether every checksum is recomputed first (bit 7), so that the
/// checks behind the checksums are reached; the rest is the file. Whatever it holds, readers
/// answer exactly as they do without indexes (every record, reads from a sequence, single
/// records, the end), or, only for an index of the last segment claiming more bytes than the
/// segment has, refuse with "synced data was lost"; a writer opens just then, finds the log's
/// end, appends, and readers see the append. A lookup by key finds what a scan finds whenever
/// the index lists, in order, an entry for every covered record carrying the key; otherwise
/// (the trust that remains in an index, `docs/format.md` §6.4) some of those records, in order,
/// each once, and no other.
let scratch = FuzzSupport.scratchDirectory("fuzz-index")
let template = scratch + "/template"
let directory = scratch + "/log"
let keys = ["K-0", "K-3", "B-1", "B-6", "B-11", "B-17", "missing"]
let starts: [UInt64] = [1, 29, 251, 333, 512, 690]

/// What readers answer about the log in `directory`.
struct Answers: Equatable {
    var all: [LogRecord] = []
    var byKey: [[LogRecord]] = []
    var fromSequences: [[UInt64]] = []
    var single: [LogRecord] = []
    var nextSequence: UInt64 = 0
    var lastRecordedAt: Int64?

    init(_ directory: String) throws(LogError) {
        let reader = try LogReader(directory: directory)
        all = try reader.readAll()
        for key in keys { byKey.append(try reader.records(forKey: key)) }
        for start in starts where start < UInt64(all.count) {
            fromSequences.append(try reader.readAll(from: start).map(\.sequence))
            single.append(try reader.record(at: start))
        }
        nextSequence = try reader.nextSequence()
        lastRecordedAt = try reader.lastRecordedAt()
    }
}

/// A file of the template log, kept in memory to put back before each input.
struct TemplateFile { let path: String; let bytes: Data }

let (files, indexNames, expected): ([TemplateFile], [String], Answers) = {
    do throws(LogError) {
        let clock = SimulatedClock(microseconds: ShanghaiTime.startOfYear(2024) + 1_000_000)
        let options = LogOptions(clock: clock, segmentBytes: 32_000)
        // About 3 KB a batch once compressed: ten to a segment, two sparse entries each.
        func batch(_ number: Int) -> [Record] {
            (0..<25).map { record in
                var text = "batch \(number) record \(record)"
                var state = UInt64(number * 31 + record) &* 0x9E37_79B9_7F4A_7C15
                while text.utf8.count < 120 {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    text += " " + String(state >> 44, radix: 16)
                }
                return Record(keys: ["K-\(record % 5)", "B-\(number)"], payload: Array(text.utf8))
            }
        }
        let writer = try LogWriter(directory: template, options: options)
        for number in 0..<26 { try writer.append(batch(number)) }
        try writer.close()
        let indexDirectory = template + "/index/"
        let indexes = ((try? FileManager.default.contentsOfDirectory(atPath: indexDirectory)) ?? []).sorted()
        guard indexes.count == 3, let last = indexes.last, let stale = FileManager.default.contents(atPath: indexDirectory + last) else {
            fatalError("the template log has \(indexes.count) segments, not 3")
        }
        let more = try LogWriter(directory: template, options: options)
        for number in 26..<28 { try more.append(batch(number)) }
        try more.close()
        _ = FileManager.default.createFile(atPath: indexDirectory + last, contents: stale)
        var files: [TemplateFile] = []
        for folder in ["segments", "index"] {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: template + "/" + folder)) ?? []).sorted() {
                guard let bytes = FileManager.default.contents(atPath: template + "/" + folder + "/" + name) else { fatalError("cannot read \(name)") }
                files.append(TemplateFile(path: folder + "/" + name, bytes: bytes))
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.copyItem(atPath: template, toPath: directory)
        try? FileManager.default.removeItem(atPath: directory + "/index")
        let expected = try Answers(directory)
        for (position, name) in indexes.enumerated() {
            guard let bytes = FileManager.default.contents(atPath: indexDirectory + name) else { fatalError("cannot read \(name)") }
            FuzzSupport.writeSeed([UInt8(position)] + [UInt8](bytes), named: "index-\(position)")
            FuzzSupport.writeSeed([0x80 | UInt8(position)] + [UInt8](bytes), named: "index-\(position)-checksums-fixed")
        }
        return (files, indexes, expected)
    } catch {
        fatalError("cannot build the template log: \(error)")
    }
}()

/// Whether `image`, an index whose stream entries are in order, has an entry for every record
/// of `truth` (those carrying `key`) that it covers.
func listsEveryRecord(carrying key: String, of truth: [LogRecord], in image: IndexImage) -> Bool {
    guard zip(image.entries, image.entries.dropFirst()).allSatisfy({ $0 <= $1 }) else { return false }
    let hash = StreamKeyHash.hash(key)
    let listed = Set(image.entries.filter { $0.keyHash == hash }.map(\.sequence))
    return truth.allSatisfy { $0.sequence < image.baseSequence || $0.sequence >= image.nextSequence || listed.contains($0.sequence) }
}

/// Whether `error` is the refusal an index of the last segment may cause: it claims bytes the
/// segment does not have, which the log takes for synced data lost.
func isLostSyncedData(_ error: LogError, target: Int) -> Bool {
    guard target == indexNames.count - 1, case let .corrupt(_, _, reason) = error else { return false }
    return reason.contains("synced data was lost")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard !indexNames.isEmpty, size >= 1 else { return 0 }  // the template first: an empty input writes the seeds
    let target = Int(data[0] & 0x7F) % indexNames.count
    let raw = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let index = data[0] & 0x80 != 0 ? IndexImage.withChecksumsFixed(raw) : raw
    for name in ["recovered", "segments", "index"] { try? FileManager.default.removeItem(atPath: directory + "/" + name) }
    for folder in ["segments", "index"] { try? FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true) }
    for file in files { _ = FileManager.default.createFile(atPath: directory + "/" + file.path, contents: file.bytes) }
    _ = FileManager.default.createFile(atPath: directory + "/index/" + indexNames[target], contents: Data(index))

    do throws(LogError) {
        let answers = try Answers(directory)
        var lookups = answers
        lookups.byKey = expected.byKey
        guard lookups == expected else { fatalError("an index changed what readers answer") }
        let image = IndexImage(index)
        for (position, key) in keys.enumerated() {
            let found = answers.byKey[position], truth = expected.byKey[position]
            if let image, listsEveryRecord(carrying: key, of: truth, in: image) {
                guard found == truth else { fatalError("a lookup of \(key) missed records its index lists") }
            } else {
                var rest = truth[...]
                for record in found {
                    guard let at = rest.firstIndex(of: record) else { fatalError("a lookup of \(key) found a record twice, out of order, or not the key's") }
                    rest = rest[(at + 1)...]
                }
            }
        }
    } catch {
        guard isLostSyncedData(error, target: target) else { fatalError("an index made a reader fail: \(error)") }
    }
    let clock = SimulatedClock(microseconds: ShanghaiTime.startOfYear(2024) + 86_400_000_000)
    do throws(LogError) {
        let writer = try LogWriter(directory: directory, options: LogOptions(clock: clock, segmentBytes: 32_000, createIfMissing: false))
        guard writer.nextSequence == expected.nextSequence else { fatalError("an index moved the writer's end to \(writer.nextSequence)") }
        try writer.append([Record(keys: ["K-0"], payload: Array("after".utf8))])
        try writer.close()
        let reader = try LogReader(directory: directory)
        let all = try reader.readAll(), appended = try reader.records(forKey: keys[0])
        guard all.dropLast() == expected.all[...], all.last?.payload == Array("after".utf8), appended.last == all.last else {
            fatalError("after an append over an index, readers do not see the log and the append")
        }
    } catch {
        guard isLostSyncedData(error, target: target) else { fatalError("an index made the writer fail: \(error)") }
    }
    return 0
}
