import QinglingLog

/// Recomputes the checksum of crafted bytes of the log's small files, so that tests and fuzz
/// targets reach the checks behind it: what someone editing the file would do.
public enum ChecksumFixer {
    /// A sealed-year link (`chain.qllink`, `SealedYearLink`): the CRC-32C of its first 58
    /// bytes written into its last 4, when it has a link's size.
    public static func link(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count == SealedYearLink.size else { return bytes }
        var fixed = bytes
        let checksum = CRC32C.checksum(bytes[0..<58])
        for index in 0..<4 { fixed[58 + index] = UInt8(truncatingIfNeeded: checksum >> (8 * index)) }
        return fixed
    }

    /// A projection checkpoint (`projections/state.qlproj`): the CRC-32C of each section its
    /// preamble lists (as far as the bytes hold it), then of the preamble, written into the
    /// preamble, when the bytes hold one (magic, a one-byte version, a one-byte section count,
    /// a length and a checksum of 8 bytes each per section, the preamble's checksum).
    public static func checkpoint(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > 6 else { return bytes }
        let sections = Int(bytes[5]), preamble = 6 + Int(bytes[5]) * 16 + 8
        guard bytes.count >= preamble else { return bytes }
        var fixed = bytes
        func word(at offset: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(fixed[offset + $1]) << (8 * UInt64($1)) } }
        func write(_ value: UInt32, at offset: Int) {
            for index in 0..<8 { fixed[offset + index] = index < 4 ? UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) : 0 }
        }
        var start = preamble
        for section in 0..<sections {
            let length = word(at: 6 + section * 16)
            guard length <= UInt64(fixed.count - start) else { break }
            write(CRC32C.checksum(fixed[start..<start + Int(length)]), at: 6 + section * 16 + 8)
            start += Int(length)
        }
        write(CRC32C.checksum(fixed[..<(preamble - 8)]), at: preamble - 8)
        return fixed
    }
}
