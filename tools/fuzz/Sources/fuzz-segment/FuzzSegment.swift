import Foundation
import QinglingLog

/// The input is written as the only segment of a log (base 0, year 2024); then it is read in
/// full, verified, recovered by a writer, and read again. Nothing may crash, hang or allocate
/// by an unchecked length; damage must come back as a typed error.
let directory: String = {
    let path = NSTemporaryDirectory() + "qingling-fuzz-segment-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    let options = LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2024)))
    if let writer = try? LogWriter(directory: path, options: options) { try? writer.close() }
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegment(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let segments = directory + "/segments"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: segments)) ?? [] { try? FileManager.default.removeItem(atPath: segments + "/" + name) }
    try? FileManager.default.removeItem(atPath: directory + "/index")
    _ = FileManager.default.createFile(atPath: segments + "/2024-00000000000000000000.qlseg", contents: Data(bytes: data, count: size))
    if let reader = try? LogReader(directory: directory) {
        _ = try? reader.readAll()
        _ = try? reader.verify()
        _ = try? reader.records(forKey: "H:LX-2024-0001")
    }
    let options = LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2024) + 1), createIfMissing: false)
    if let writer = try? LogWriter(directory: directory, options: options) {
        _ = try? writer.append([Record(keys: ["k"], payload: [1, 2, 3])])
        try? writer.close()
        // After recovery and an append the log must read back whole.
        guard let records = try? LogReader(directory: directory).readAll(), records.last?.payload == [1, 2, 3] else {
            fatalError("a recovered log does not read back what was appended")
        }
    }
    return 0
}

