/// The 64-bit hash under which stream keys are indexed: FNV-1a over the key's UTF-8 bytes
/// (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
///
/// Collisions are harmless: a lookup reads the records it finds and keeps those that really
/// carry the key.
public enum StreamKeyHash {
    public static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
