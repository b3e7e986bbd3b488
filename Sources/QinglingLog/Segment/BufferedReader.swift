/// Sequential reads of a file through a large window, so that scanning many small batches
/// costs few system calls.
struct BufferedReader {
    let file: any FileHandle
    let fileSize: Int64
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0
    private let windowSize: Int

    init(file: any FileHandle, fileSize: Int64, windowSize: Int = 4 << 20) {
        self.file = file
        self.fileSize = fileSize
        self.windowSize = windowSize
    }

    /// Up to `count` bytes at `offset`: fewer only where the file (as of `fileSize`) ends.
    mutating func bytes(at offset: Int64, count: Int) throws(LogError) -> ArraySlice<UInt8> {
        let available = Int(max(0, min(Int64(count), fileSize - offset)))
        let windowEnd = windowStart + Int64(window.count)
        if offset < windowStart || offset + Int64(available) > windowEnd {
            let length = Int(min(Int64(max(available, windowSize)), fileSize - offset))
            window = try file.read(at: offset, count: max(0, length))
            windowStart = offset
        }
        let start = Int(offset - windowStart)
        let end = start + min(available, window.count - start)
        return window[start..<end]
    }
}
