import Foundation
import QinglingLog
import QinglingTestSupport

/// The input is the link (`chain.qllink`) of the sealed year 2023 of a small log: the first byte
/// chooses the log (bit 1: it ends with the sealed year, else 2024 follows it live) and whether
/// the link's checksum is recomputed first (bit 0); the rest is the file. A link decodes to
/// itself or is refused; readers read every record as before; `verify` passes only with the
/// true hash of the year's last live batch when a live batch names it; a writer that opens
/// appends, and readers see the append.
let scratch = FuzzSupport.scratchDirectory("fuzz-link")
let start2023 = ShanghaiTime.startOfYear(2023) + 182 * 86_400_000_000

/// A template log: 2023 sealed, then (unless `endsSealed`) a live 2024. Its files in memory,
/// its records, its link.
struct Template {
    let files: [(path: String, bytes: Data)]
    let records: [LogRecord]
    let link: [UInt8]

    init(endsSealed: Bool) throws(LogError) {
        let directory = scratch + (endsSealed ? "/template-ends-sealed" : "/template")
        let clock = SimulatedClock(microseconds: start2023)
        let writer = try LogWriter(directory: directory, options: LogOptions(clock: clock))
        for batch in 0..<3 { try writer.append((0..<10).map { Record(keys: ["K-\($0 % 3)"], payload: Array("2023 \(batch) \($0)".utf8)) }) }
        clock.set(microseconds: ShanghaiTime.startOfYear(2025) + 1_000_000)
        let plan = try writer.sealingPlan(year: 2023)
        _ = try writer.prepareSealing(plan)
        try writer.commitSealing(plan)
        if !endsSealed {
            clock.set(microseconds: ShanghaiTime.startOfYear(2024) + 1_000_000)
            try writer.append((0..<5).map { Record(keys: ["K-\($0 % 3)"], payload: Array("2024 \($0)".utf8)) })
        }
        try writer.close()
        records = try LogReader(directory: directory).readAll()
        var files: [(String, Data)] = []
        for folder in ["segments", "index", "archive/2023"] {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder)) ?? []).sorted() {
                guard let bytes = FileManager.default.contents(atPath: directory + "/" + folder + "/" + name) else { fatalError("cannot read \(name)") }
                files.append((folder + "/" + name, bytes))
            }
        }
        guard let link = FileManager.default.contents(atPath: LogLayout(directory: directory).link(2023)) else { fatalError("no link") }
        self.files = files
        self.link = [UInt8](link)
        try? FileManager.default.copyItem(atPath: directory + "/log.meta", toPath: scratch + (endsSealed ? "/log-ends-sealed" : "/log") + "/log.meta")
    }
}

let templates: [Template] = {
    do throws(LogError) {
        for path in ["/log", "/log-ends-sealed"] { try? FileManager.default.createDirectory(atPath: scratch + path, withIntermediateDirectories: true) }
        let templates = [try Template(endsSealed: false), try Template(endsSealed: true)]
        for (position, template) in templates.enumerated() {
            FuzzSupport.writeSeed([UInt8(position << 1)] + template.link, named: "link-\(position)")
            FuzzSupport.writeSeed([UInt8(position << 1 | 1)] + template.link, named: "link-\(position)-checksum-fixed")
        }
        return templates
    } catch {
        fatalError("cannot build the template logs: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLink(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard !templates.isEmpty, size >= 1 else { return 0 }  // the templates first: an empty input writes the seeds
    let endsSealed = data[0] & 2 != 0
    let template = templates[endsSealed ? 1 : 0]
    let directory = scratch + (endsSealed ? "/log-ends-sealed" : "/log")
    let raw = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let bytes = data[0] & 1 != 0 ? ChecksumFixer.link(raw) : raw
    let layout = LogLayout(directory: directory)
    if let link = try? SealedYearLink.decode(bytes, year: 2023, path: layout.link(2023)), link.encoded() != bytes {
        fatalError("a decoded link does not encode to its bytes")
    }
    for name in ["recovered", "segments", "index", "archive"] { try? FileManager.default.removeItem(atPath: directory + "/" + name) }
    for folder in ["segments", "index", "archive/2023"] { try? FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true) }
    for file in template.files { _ = FileManager.default.createFile(atPath: directory + "/" + file.path, contents: file.bytes) }
    _ = FileManager.default.createFile(atPath: layout.link(2023), contents: Data(bytes))

    guard let reader = try? LogReader(directory: directory), (try? reader.readAll()) == template.records else {
        fatalError("a link changed what readers read")
    }
    if !endsSealed, (try? reader.verify().passed) == true, bytes.count != SealedYearLink.size || bytes[26..<58] != template.link[26..<58] {
        fatalError("verify passes a link with the wrong hash of the year's last live batch")
    }
    let clock = SimulatedClock(microseconds: ShanghaiTime.startOfYear(2025) + 2_000_000)
    guard let writer = try? LogWriter(directory: directory, options: LogOptions(clock: clock, createIfMissing: false)) else { return 0 }
    guard writer.nextSequence == UInt64(template.records.count) else { fatalError("a link moved the writer's end to \(writer.nextSequence)") }
    guard (try? writer.append([Record(keys: ["K-0"], payload: Array("after".utf8))])) != nil, (try? writer.close()) != nil,
          let after = try? LogReader(directory: directory).readAll(), after.dropLast() == template.records[...], after.last?.payload == Array("after".utf8)
    else { fatalError("a writer opened over a link does not append what readers then read") }
    return 0
}
