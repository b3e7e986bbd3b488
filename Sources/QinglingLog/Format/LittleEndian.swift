/// Little-endian fixed-width integers in and out of byte arrays: every integer of the format
/// is little-endian.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// Reads a little-endian integer from a byte array at `offset` in one load (the generic form
/// below goes byte by byte). Callers check bounds; a read past the end traps, as an array
/// subscript would.
@inline(__always)
func readLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as _: T.Type = T.self) -> T {
    precondition(offset >= 0 && offset <= bytes.count - MemoryLayout<T>.size, "read past the end of the bytes")
    return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
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
