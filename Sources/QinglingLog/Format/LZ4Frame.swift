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

    /// Decompresses one LZ4 frame whose every byte is known to be as written: a batch payload
    /// whose CRC-32C has been checked. The frame's own checksums (of its descriptor and of its
    /// content) are then not computed again. A frame of one block, as every batch up to 4 MiB
    /// is, is decoded straight into `output` by liblz4's block decoder, skipping the frame
    /// decoder's staging copies; any other frame goes through the frame decoder. Otherwise as
    /// `decompress(_:into:expectedCount:)`.
    static func decompress(checked frame: UnsafeRawBufferPointer, into output: inout [UInt8], expectedCount: Int) -> FrameError? {
        guard let block = SingleBlock(frame) else { return decompress(frame, into: &output, expectedCount: expectedCount, verifyingChecksums: false) }
        if let declared = block.contentSize, declared != UInt64(expectedCount) {
            return FrameError(reason: "LZ4 frame declares \(declared) bytes, the header says \(expectedCount)")
        }
        guard block.data.count <= block.maxSize, expectedCount <= block.maxSize else {
            return FrameError(reason: "LZ4 frame holds a block larger than its maximum block size")
        }
        output.resize(to: expectedCount)
        let produced = output.withUnsafeMutableBytes { destination -> Int in
            guard let target = destination.baseAddress, let source = block.data.baseAddress else { return block.data.count == 0 ? 0 : -1 }
            if block.isStored {
                guard block.data.count <= destination.count else { return -1 }
                target.copyMemory(from: source, byteCount: block.data.count)
                return block.data.count
            }
            return Int(LZ4_decompress_safe(source.assumingMemoryBound(to: CChar.self), target.assumingMemoryBound(to: CChar.self),
                                           Int32(block.data.count), Int32(destination.count)))
        }
        guard produced >= 0 else { return FrameError(reason: "LZ4 frame's block does not decompress") }
        guard produced == expectedCount else {
            return FrameError(reason: "LZ4 frame holds \(produced) bytes, the header says \(expectedCount)")
        }
        return nil
    }

    /// Decompresses one LZ4 frame into `output`, which is resized to `expectedCount` and reuses
    /// its storage when no one else holds it: a scan decompressing batch after batch into the
    /// same array touches no fresh memory (no page faults, no zero-filling of whole batches).
    /// Returns what is wrong with the frame, or `nil`; on failure `output`'s bytes mean nothing.
    /// `verifyingChecksums`: false only for a frame known intact (`decompress(checked:…)`).
    static func decompress(_ frame: UnsafeRawBufferPointer, into output: inout [UInt8], expectedCount: Int,
                           verifyingChecksums: Bool = true) -> FrameError? {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            return FrameError(reason: "cannot allocate an LZ4 decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        output.resize(to: expectedCount)
        var options = LZ4F_decompressOptions_t()
        options.skipChecksums = verifyingChecksums ? 0 : 1
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
                        source.baseAddress.map { $0 + consumedTotal }, &sourceSize, &options)
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

    /// A frame of exactly one block and no block checksum or dictionary, as the writer makes
    /// every batch of up to 4 MiB (docs/format.md §3.2): where its block lies. `nil` for any
    /// other frame, which the frame decoder then reads (and judges).
    private struct SingleBlock {
        let data: UnsafeRawBufferPointer
        /// Set when the block is stored as is, not compressed.
        let isStored: Bool
        let maxSize: Int
        let contentSize: UInt64?

        init?(_ frame: UnsafeRawBufferPointer) {
            guard frame.count >= 7, frame.loadUnaligned(as: UInt32.self).littleEndian == 0x184D_2204 else { return nil }
            let flags = frame[4], descriptor = frame[5]
            // Version 01, no block checksum, no dictionary, reserved bits 0; a valid block size.
            guard flags & 0b1101_0011 == 0b0100_0000, descriptor & 0b1000_1111 == 0, descriptor >> 4 >= 4 else { return nil }
            var offset = 6
            if flags & 0b0000_1000 != 0 {
                guard frame.count >= offset + 8 else { return nil }
                contentSize = UInt64(littleEndian: frame.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            } else {
                contentSize = nil
            }
            offset += 1  // the descriptor's checksum, covered by the payload's CRC-32C
            guard frame.count >= offset + 4 else { return nil }
            let word = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let size = Int(word & 0x7FFF_FFFF)
            offset += 4
            // The block, then the end mark, then the content checksum if any: nothing more.
            let trailer = 4 + (flags & 0b0000_0100 != 0 ? 4 : 0)
            guard word != 0, frame.count - offset - size == trailer,
                  frame.loadUnaligned(fromByteOffset: offset + size, as: UInt32.self) == 0 else { return nil }
            data = UnsafeRawBufferPointer(rebasing: frame[offset..<offset + size])
            isStored = word & 0x8000_0000 != 0
            maxSize = 1 << (8 + 2 * Int(descriptor >> 4))
        }
    }

    /// Why a frame could not be decompressed.
    public struct FrameError: Error, Equatable, Sendable {
        public let reason: String
    }
}
