extension LogReader {
    /// Calls `body` with the sequence, recorded time and payload of every record in `range`, in
    /// order, reading no batch after it. As with `forEachPayload(from:_:)`, each payload is read
    /// in place and valid only during its call, and a batch whose records do not decode is
    /// reported after its records before the damage were visited. A log that ends inside
    /// `range` ends the calls early: the caller counts what it was given.
    public func forEachPayload(in range: Range<UInt64>, _ body: (UInt64, Int64, UnsafeRawBufferPointer) throws(LogError) -> Void) throws(LogError) {
        guard !range.isEmpty else { return }
        var recycler = BatchRecycler()
        try forEachBatch(from: range.lowerBound, stopAfter: range.upperBound - 1) { batch, path, wanted throws(LogError) in
            try batch.forEachPayload(path: path, into: recycler.take()) { sequence, time, payload throws(LogError) in
                if sequence >= wanted, range.contains(sequence) { try body(sequence, time, payload) }
            }
        }
    }
}
