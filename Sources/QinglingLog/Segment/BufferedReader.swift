/// Sequential reads of a file through a window, so that scanning many small batches costs few
/// system calls. The window starts small (a header or one batch read through an index costs
/// little) and doubles with each refill of a sequential scan, up to `maxWindowSize`.
struct BufferedReader {
    let file: any FileHandle
    let fileSize: Int64
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0
    private var windowSize = 64 << 10
    private let maxWindowSize: Int

    init(file: any FileHandle, fileSize: Int64, maxWindowSize: Int = 4 << 20) {
        self.file = file
        self.fileSize = fileSize
        self.maxWindowSize = maxWindowSize
    }

    /// Up to `count` bytes at `offset`: fewer only where the file (as of `fileSize`) ends.
    mutating func bytes(at offset: Int64, count: Int) throws(LogError) -> ArraySlice<UInt8> {
        let available = Int(max(0, min(Int64(count), fileSize - offset)))
        let windowEnd = windowStart + Int64(window.count)
        if offset < windowStart || offset + Int64(available) > windowEnd {
            if !window.isEmpty { windowSize = min(windowSize * 2, maxWindowSize) }
            let length = Int(min(Int64(max(available, windowSize)), fileSize - offset))
            do throws(LogError) {
                try file.read(at: offset, count: max(0, length), into: &window)
            } catch {
                window = []
                windowStart = 0
                throw error
            }
            windowStart = offset
        }
        let start = Int(offset - windowStart)
        let end = start + min(available, window.count - start)
        return window[start..<end]
    }
}
