extension LogReader {
    /// Calls `body` with the sequence, recorded time and payload of every record in `range`, in
    /// order, reading no batch after it. As with `forEachPayload(from:_:)`, each payload is read
    /// in place and valid only during its call, and a batch whose records do not decode is
    /// reported before any of its records is visited. A log that ends inside
    /// `range` ends the calls early: the caller counts what it was given.
    public func forEachPayload(in range: Range<UInt64>, _ body: (UInt64, Int64, UnsafeRawBufferPointer) throws(LogError) -> Void) throws(LogError) {
        var recycler = BatchRecycler()
        try forEachPayload(in: range, recycling: &recycler) { sequence, time, payload, _ throws(LogError) in
            try body(sequence, time, payload)
        }
    }

    /// Calls `body` with the sequence, recorded time and payload of every record in `range`, and
    /// the decompressed batch the payload lies in, as `forEachPayload(in:_:)` does; but each
    /// batch is decompressed into one of `recycler`'s that no one else holds, so that a caller
    /// that keeps the batch keeps its payloads' bytes (`forEachPayload(from:recycling:_:)`).
    public func forEachPayload(in range: Range<UInt64>, recycling recycler: inout BatchRecycler,
                               _ body: (UInt64, Int64, UnsafeRawBufferPointer, DecompressedBatch) throws(LogError) -> Void) throws(LogError) {
        guard !range.isEmpty else { return }
        try forEachBatch(from: range.lowerBound, stopAfter: range.upperBound - 1) { batch, path, wanted throws(LogError) in
            let decompressed = recycler.take()
            try batch.forEachPayload(path: path, into: decompressed) { sequence, time, payload throws(LogError) in
                if sequence >= wanted, range.contains(sequence) { try body(sequence, time, payload, decompressed) }
            }
        }
    }
}
