/// Little-endian fixed-width integers in and out of byte arrays: every integer of the format
/// is little-endian.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// Reads little-endian integers from a byte collection at given offsets. Callers check bounds.
@inline(__always)
func readLittleEndian<T: FixedWidthInteger, C: Collection<UInt8>>(_ bytes: C, at offset: Int, as _: T.Type = T.self) -> T
where C.Index == Int {
    var value: T = 0
    for index in 0..<MemoryLayout<T>.size {
        value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index)
    }
    return value
}
