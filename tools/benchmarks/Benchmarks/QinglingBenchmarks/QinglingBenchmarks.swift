import Benchmark
import Crypto
import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingSampleData

/// Realistic inputs, made once: generated Linxiang events, their stored and JSON forms, a
/// 1 MiB batch of stored events, and their sequences and recorded times.
struct Inputs: @unchecked Sendable {
    let events: [Event]
    let stored: [[UInt8]]
    let json: [String]
    let batch: [UInt8]
    let compressedBatch: [UInt8]
    let storedEvents: [StoredEvent]

    static let shared: Inputs = {
        let events = LinxiangGenerator(seed: 7, hazardsPerYear: 300).events()
        let stored = events.map(EventBinaryCodec.encode)
        var batch: [UInt8] = []
        for bytes in stored where batch.count < 1 << 20 { batch += bytes }
        var storedEvents: [StoredEvent] = []
        for (index, event) in events.enumerated() {
            storedEvents.append(StoredEvent(sequence: UInt64(index), recordedAt: ShanghaiDateTime(microseconds: event.occurredAt.microseconds + Int64(index)),
                                            event: event, hash: Array(SHA256.hash(data: stored[index]))))
        }
        return Inputs(events: events, stored: stored, json: events.map { JSONWriter.string(EventJSONEncoder.encode($0)) },
                      batch: batch, compressedBatch: LZ4Frame.compress(batch), storedEvents: storedEvents)
    }()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(2), maxIterations: 1_000_000)
    let inputs = Inputs.shared
    let count = inputs.events.count

    Benchmark("Event: binary encode (per event)") { benchmark in
        for index in benchmark.scaledIterations { blackHole(EventBinaryCodec.encode(inputs.events[index % count])) }
    }
    Benchmark("Event: binary decode (per event)") { benchmark in
        for index in benchmark.scaledIterations { blackHole(try EventBinaryCodec.decode(inputs.stored[index % count])) }
    }
    Benchmark("Event: JSON parse and decode (per event)") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(EventJSONDecoder.decode(try JSONParser.parse(inputs.json[index % count])))
        }
    }
    Benchmark("Event: JSON encode (per event)") { benchmark in
        for index in benchmark.scaledIterations { blackHole(JSONWriter.string(EventJSONEncoder.encode(inputs.events[index % count]))) }
    }
    Benchmark("Batch: LZ4 frame compress (1 MiB of stored events)", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(LZ4Frame.compress(inputs.batch)) }
    }
    Benchmark("Batch: LZ4 frame decompress (1 MiB of stored events)", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(LZ4Frame.decompress(inputs.compressedBatch, expectedCount: inputs.batch.count)) }
    }
    Benchmark("Checksum: CRC-32C (1 MiB)", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CRC32C.checksum(inputs.batch)) }
    }
    Benchmark("Hash: SHA-256 (1 MiB)", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Array(SHA256.hash(data: inputs.batch))) }
    }
    Benchmark("Event: read in place (EventView, per event)") { benchmark in
        for index in benchmark.scaledIterations {
            try inputs.stored[index % count].withUnsafeBytes { blackHole(try EventView($0).type) }
        }
    }
    // A run folds the first 1,000 events into a fresh state (the catch-up path); `--scale`
    // reports its figures per event. (With one event per run, the default, a run measured
    // making a fresh state more than folding an event.)
    Benchmark("Projection: fold stored bytes (1,000 events into a fresh state)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var state = ProjectionState()
        for index in benchmark.scaledIterations {
            let stored = inputs.storedEvents[index % count]
            try inputs.stored[index % count].withUnsafeBytes {
                try state.fold($0, sequence: stored.sequence, recordedAt: stored.recordedAt.microseconds)
            }
        }
        blackHole(state)
    }
}
