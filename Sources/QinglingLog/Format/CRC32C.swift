import CCRC32C

/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78, initial and final XOR
/// 0xFFFFFFFF), the checksum of headers, payloads and index files.
///
/// Neither liblz4 (its xxHash is not exported) nor swift-crypto offers a CRC, so this is the
/// project's own: the processor's CRC-32C instruction where there is one (a few lines of C in
/// `CCRC32C`, about ten times faster), else a table-driven implementation (slicing by 8). Both
/// give the standard check value ("123456789" gives 0xE3069283) and agree on any input (tested).
public enum CRC32C {
    /// Whether the processor's instruction is used.
    static let hardware = qingling_crc32c_hardware_available() != 0
    /// Eight tables of 256 entries, one after the other: entry `256 * k + b` is the CRC of byte
    /// `b` followed by `k` zero bytes.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            table[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[256 * (slice - 1) + byte]
                table[256 * slice + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard hardware else { return softwareChecksum(bytes) }
        guard let start = bytes.baseAddress else { return 0 }
        return qingling_crc32c_hardware_update(0xFFFF_FFFF, start, bytes.count) ^ 0xFFFF_FFFF
    }

    /// The checksum of `bytes` computed with the tables.
    static func softwareChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        table.withUnsafeBufferPointer { t in
            var crc: UInt32 = 0xFFFF_FFFF
            var index = 0
            let count = bytes.count
            while count - index >= 8 {
                let low = bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian ^ crc
                let high = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                crc = t[1792 + Int(low & 0xFF)] ^ t[1536 + Int((low >> 8) & 0xFF)]
                    ^ t[1280 + Int((low >> 16) & 0xFF)] ^ t[1024 + Int(low >> 24)]
                    ^ t[768 + Int(high & 0xFF)] ^ t[512 + Int((high >> 8) & 0xFF)]
                    ^ t[256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = t[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
            return crc ^ 0xFFFF_FFFF
        }
    }

    /// The checksum of a byte collection.
    public static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }
}
