import Foundation

/// What the fuzz targets of `tools/fuzz` share.
public enum FuzzSupport {
    /// A fresh directory for fuzz target `name`, in memory (`/dev/shm`) where the system has it:
    /// targets that open writers sync on every input.
    public static func scratchDirectory(_ name: String) -> String {
        var isDirectory: ObjCBool = false
        let memory = FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
        let path = (memory ? "/dev/shm/" : NSTemporaryDirectory()) + "qingling-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `bytes` as the seed `name` when the environment's `QINGLING_FUZZ_SEEDS` names a
    /// directory: how the seed corpora of the targets that build their own logs were made
    /// (`tools/fuzz/make-corpus.sh`).
    public static func writeSeed(_ bytes: [UInt8], named name: String) {
        guard let directory = ProcessInfo.processInfo.environment["QINGLING_FUZZ_SEEDS"] else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes))
    }
}
