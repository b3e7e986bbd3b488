/// The checks an index passes before any of it is used (`docs/format.md` §6.4): what it claims
/// on its own must hang together, so that a lookup cannot be led past a batch or a record by
/// an index that is merely well-formed.
extension SegmentIndex {
    /// Checks the header and the sparse entries against each other, and the directory's order
    /// (`load`): the index covers at least one batch, its last batch lies inside the covered
    /// bytes; the first sparse entry is the segment's first batch (base sequence at offset 32),
    /// the others follow in strictly increasing sequence and offset up to the last batch; the
    /// blocks' first key hashes do not decrease.
    func checkStructure(path: String, directoryOffset: Int64) throws(LogError) {
        guard nextSequence > baseSequence else {
            throw .corrupt(path: path, offset: 24, reason: "index next sequence \(nextSequence) is not after its base sequence \(baseSequence)")
        }
        guard lastBatchOffset >= Int64(SegmentHeader.size), coveredBytes > lastBatchOffset,
              coveredBytes - lastBatchOffset > Int64(BatchHeader.size)
        else {
            throw .corrupt(path: path, offset: 32, reason: "index covers \(coveredBytes) bytes with its last batch at \(lastBatchOffset): no batch fits")
        }
        let sparseOffset = Int64(Self.headerSize)
        guard let first = sparse.first, first == SparseEntry(sequence: baseSequence, offset: Int64(SegmentHeader.size)) else {
            throw .corrupt(path: path, offset: sparseOffset, reason: "the first sparse entry is not the segment's first batch (sequence \(baseSequence) at offset \(SegmentHeader.size))")
        }
        for (position, (earlier, later)) in zip(sparse, sparse.dropFirst()).enumerated()
        where later.sequence <= earlier.sequence || later.offset <= earlier.offset {
            throw .corrupt(path: path, offset: sparseOffset + Int64(16 * (position + 1)),
                           reason: "sparse entry \(position + 1) (sequence \(later.sequence) at offset \(later.offset)) does not follow the one before (sequence \(earlier.sequence) at offset \(earlier.offset))")
        }
        if let last = sparse.last, last.offset > lastBatchOffset || last.sequence >= nextSequence {
            throw .corrupt(path: path, offset: sparseOffset + Int64(16 * (sparse.count - 1)),
                           reason: "the last sparse entry (sequence \(last.sequence) at offset \(last.offset)) lies past the last batch covered")
        }
        for (position, (earlier, later)) in zip(blocks, blocks.dropFirst()).enumerated() where later.firstKeyHash < earlier.firstKeyHash {
            throw .corrupt(path: path, offset: directoryOffset + Int64(16 * (position + 1)),
                           reason: "stream block \(position + 1) starts at a lower key hash than the block before it")
        }
    }

    /// Checks the entries of stream block `position`, read from the index file (its checksum
    /// checked by the caller): its first key hash is the directory's; each entry follows the one
    /// before it in (key hash, sequence) order, from `previous` (the previous block's last
    /// entry, when it was read); each names a sequence the index covers; none lies past the
    /// next block's first key hash. So a lookup that reads the blocks the directory leads it to
    /// finds every entry of its key hash that the index holds in order. Entries `checked`
    /// before (by a look-up that read the block first) are only checked against `previous`.
    func checkBlock(_ position: Int, entries: ArraySlice<StreamEntry>, after previous: StreamEntry?, path: String,
                    checked: Bool = false) throws(LogError) {
        let block = blocks[position]
        func damaged(_ reason: String) -> LogError {
            .corrupt(path: path, offset: block.fileOffset, reason: "stream block \(position): \(reason)")
        }
        if checked {
            if let previous, let first = entries.first, first < previous { throw damaged("its entries are not in order") }
            return
        }
        guard let first = entries.first, first.keyHash == block.firstKeyHash else {
            throw damaged("its first key hash is not the one the directory gives")
        }
        var before = previous
        for entry in entries {
            if let before, entry < before { throw damaged("its entries are not in order") }
            guard entry.sequence >= baseSequence, entry.sequence < nextSequence else {
                throw damaged("an entry names sequence \(entry.sequence), outside the \(baseSequence)..<\(nextSequence) the index covers")
            }
            before = entry
        }
        if position + 1 < blocks.count, let last = entries.last, last.keyHash > blocks[position + 1].firstKeyHash {
            throw damaged("its last key hash lies past the next block's first")
        }
    }
}
