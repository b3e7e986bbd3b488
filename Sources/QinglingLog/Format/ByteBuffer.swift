extension Array where Element == UInt8 {
    /// Makes the array `count` bytes long, keeping its storage (copied first only if something
    /// else holds it); bytes it gains are zero. For buffers refilled again and again by a scan.
    mutating func resize(to count: Int) {
        if isEmpty {
            self = [UInt8](repeating: 0, count: count)
        } else if self.count > count {
            removeLast(self.count - count)
        } else if self.count < count {
            append(contentsOf: repeatElement(0, count: count - self.count))
        }
    }
}
