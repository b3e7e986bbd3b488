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

    /// A projection checkpoint (`projections/state.qlproj`): its last 4 bytes replaced by the
    /// CRC-32C of the others, when it has that many.
    public static func checkpoint(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 4 else { return bytes }
        let checksum = CRC32C.checksum(bytes.dropLast(4))
        return bytes.dropLast(4) + (0..<4).map { UInt8(truncatingIfNeeded: checksum >> (8 * $0)) }
    }
}
