/// The format's size limits. Input beyond them is refused before anything is written; a batch
/// header or record on disk that claims more is treated as damage.
public enum LogLimits {
    /// The largest payload of one record, in bytes (1 MiB).
    public static let maxRecordBytes = 1 << 20
    /// The most stream keys one record may carry.
    public static let maxKeysPerRecord = 255
    /// The longest stream key, in UTF-8 bytes.
    public static let maxKeyBytes = 255
    /// The most records in one batch.
    public static let maxRecordsPerBatch: UInt32 = 100_000
    /// The largest batch once its records are encoded, before compression (16 MiB).
    public static let maxBatchRawBytes: UInt32 = 16 << 20
    /// The largest compressed payload of a batch: 17 MiB, above the LZ4 frame bound of
    /// `maxBatchRawBytes` (about 16.07 MiB).
    public static let maxBatchPayloadBytes: UInt32 = (16 << 20) + (1 << 20)
    /// The default size at which a segment is rolled (64 MiB).
    public static let defaultSegmentBytes: Int64 = 64 << 20
    /// The largest roll size accepted (larger settings are lowered to it), so that a segment's
    /// offsets fit the 32-bit `BatchHeader.durableBytes`.
    public static let maxSegmentBytes: Int64 = 1 << 31
}
