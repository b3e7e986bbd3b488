import CLZ4

/// Batch payloads as standard LZ4 frames (LZ4 Frame Format 1.6.x) with the content size and the
/// content checksum set, so that `lz4 -d` or any LZ4 library can decompress a payload cut out
/// of a segment.
public enum LZ4Frame {
    /// Compresses `bytes` into one LZ4 frame.
    public static func compress(_ bytes: [UInt8], level: Int32 = 0) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.contentSize = UInt64(bytes.count)
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.frameInfo.blockSizeID = LZ4F_max4MB
        preferences.frameInfo.blockMode = LZ4F_blockLinked
        preferences.compressionLevel = level
        let bound = LZ4F_compressFrameBound(bytes.count, &preferences)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { destination in
            bytes.withUnsafeBytes { source in
                LZ4F_compressFrame(destination.baseAddress, bound, source.baseAddress, source.count, &preferences)
            }
        }
        // With a destination of LZ4F_compressFrameBound bytes, compression cannot fail.
        precondition(LZ4F_isError(written) == 0, "LZ4F_compressFrame failed with a bound-sized buffer")
        output.removeLast(bound - written)
        return output
    }

    /// Decompresses one LZ4 frame that must hold exactly `expectedCount` bytes.
    ///
    /// Succeeds only for a well-formed frame whose content checksum matches and that fills
    /// exactly `expectedCount` bytes; any other input yields a description of what is wrong.
    public static func decompress(_ frame: [UInt8], expectedCount: Int) -> Result<[UInt8], FrameError> {
        frame.withUnsafeBytes { decompress($0, expectedCount: expectedCount) }
    }

    /// Decompresses one LZ4 frame held in raw memory; see `decompress(_:expectedCount:)`.
    public static func decompress(_ frame: UnsafeRawBufferPointer, expectedCount: Int) -> Result<[UInt8], FrameError> {
        var output: [UInt8] = []
        if let error = decompress(frame, into: &output, expectedCount: expectedCount) { return .failure(error) }
        return .success(output)
    }

    /// Decompresses one LZ4 frame into `output`, which is resized to `expectedCount` and reuses
    /// its storage when no one else holds it: a scan decompressing batch after batch into the
    /// same array touches no fresh memory (no page faults, no zero-filling of whole batches).
    /// Returns what is wrong with the frame, or `nil`; on failure `output`'s bytes mean nothing.
    static func decompress(_ frame: UnsafeRawBufferPointer, into output: inout [UInt8], expectedCount: Int) -> FrameError? {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            return FrameError(reason: "cannot allocate an LZ4 decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        output.resize(to: expectedCount)
        var consumedTotal = 0
        var producedTotal = 0
        let source = frame
        let status: Int = output.withUnsafeMutableBytes { destination in
                while true {
                    var sourceSize = source.count - consumedTotal
                    var destinationSize = destination.count - producedTotal
                    let hint = LZ4F_decompress(
                        context,
                        destination.baseAddress.map { $0 + producedTotal }, &destinationSize,
                        source.baseAddress.map { $0 + consumedTotal }, &sourceSize, nil)
                    if LZ4F_isError(hint) != 0 { return -1 }
                    consumedTotal += sourceSize
                    producedTotal += destinationSize
                    if hint == 0 { return 0 }  // frame complete, checksum verified
                    if sourceSize == 0 && destinationSize == 0 { return 1 }  // stuck: truncated or oversized
                }
        }
        if status < 0 {
            return FrameError(reason: "LZ4 frame is invalid or its content checksum does not match")
        }
        if status > 0 || consumedTotal != frame.count {
            return FrameError(reason: "LZ4 frame is truncated or its size does not match the header")
        }
        if producedTotal != expectedCount {
            return FrameError(reason: "LZ4 frame holds \(producedTotal) bytes, the header says \(expectedCount)")
        }
        return nil
    }

    /// Why a frame could not be decompressed.
    public struct FrameError: Error, Equatable, Sendable {
        public let reason: String
    }
}
