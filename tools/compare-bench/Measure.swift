import Foundation

/// Seconds taken by `body`, on the monotonic clock.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Peak resident memory of this process so far, in MiB.
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// A measurement printed as `name value` on standard output, one per line: the driver collects
/// them into a results file and `report` turns the files into tables.
func result(_ name: String, _ value: Double) {
    FileHandle.standardOutput.write(Data("\(name) \(value)\n".utf8))
}

/// Progress and notes on standard error.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The size in bytes of a file, or of every file under a directory.
func diskBytes(_ path: String) -> Int {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
    guard isDirectory.boolValue else {
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
    var total = 0
    for case let name as String in FileManager.default.enumerator(atPath: path) ?? FileManager.DirectoryEnumerator() {
        total += diskBytes(path + "/" + name)
    }
    return total
}

/// Runs a program to its end with standard input from `input` (a file path) or a closure that
/// writes to its pipe; standard output to `output` (default: discarded). Fails on a non-zero exit.
func runProgram(_ program: String, _ arguments: [String], input: String? = nil, output: String? = nil,
         feed: ((FileHandle) throws -> Void)? = nil) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let input { process.standardInput = FileHandle(forReadingAtPath: input) }
    let pipe = Pipe()
    if feed != nil { process.standardInput = pipe }
    if let output {
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: output)
    } else {
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    }
    try process.run()
    if let feed {
        try feed(pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
    }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("\(program) \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus)")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
