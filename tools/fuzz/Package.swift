// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for Qingling's readers of untrusted bytes. Kept in a nested package so the
// main build stays free of fuzzing flags. Build and run with `bash tools/fuzz/run.sh`.
let package = Package(
    name: "qingling-fuzz",
    // Each target is a shared library defining LLVMFuzzerTestOneInput; run.sh links it with
    // libFuzzer's driver.
    products: [
        .library(name: "fuzz-segment", type: .dynamic, targets: ["fuzz-segment"]),
        .library(name: "fuzz-event-binary", type: .dynamic, targets: ["fuzz-event-binary"]),
        .library(name: "fuzz-event-json", type: .dynamic, targets: ["fuzz-event-json"]),
        .library(name: "fuzz-manifest", type: .dynamic, targets: ["fuzz-manifest"]),
        .library(name: "fuzz-proof", type: .dynamic, targets: ["fuzz-proof"]),
        .library(name: "fuzz-head", type: .dynamic, targets: ["fuzz-head"]),
        .library(name: "fuzz-index", type: .dynamic, targets: ["fuzz-index"]),
        .library(name: "fuzz-checkpoint", type: .dynamic, targets: ["fuzz-checkpoint"]),
        .library(name: "fuzz-link", type: .dynamic, targets: ["fuzz-link"]),
    ],
    dependencies: [.package(name: "qingling", path: "../..")],
    targets: [
        // A segment file as found on disk: read, verify, and recover by the writer.
        .target(name: "fuzz-segment", dependencies: [.product(name: "QinglingLog", package: "qingling")]),
        // The binary stored form of an event.
        .target(name: "fuzz-event-binary", dependencies: [.product(name: "QinglingEvents", package: "qingling")]),
        // A JSON event document, as `qingling append` reads it.
        .target(name: "fuzz-event-json", dependencies: [.product(name: "QinglingEvents", package: "qingling")]),
        // A sealed year's manifest.
        .target(name: "fuzz-manifest", dependencies: [.product(name: "QinglingArchive", package: "qingling")]),
        // An inclusion proof, as `qingling verify-proof` reads it.
        .target(name: "fuzz-proof", dependencies: [.product(name: "QinglingArchive", package: "qingling")]),
        // A signed head, as `qingling verify --head` reads it.
        .target(name: "fuzz-head", dependencies: [.product(name: "QinglingArchive", package: "qingling")]),
        // A segment's index file, as readers and the writer use it (checksums recomputed or not).
        .target(name: "fuzz-index", dependencies: [
            .product(name: "QinglingLog", package: "qingling"), .product(name: "QinglingTestSupport", package: "qingling"),
        ]),
        // The projection checkpoint, as the analysts' commands and `verify` read it.
        .target(name: "fuzz-checkpoint", dependencies: [
            .product(name: "QinglingProjections", package: "qingling"), .product(name: "QinglingWorkflow", package: "qingling"),
            .product(name: "QinglingEvents", package: "qingling"), .product(name: "QinglingSampleData", package: "qingling"),
            .product(name: "QinglingLog", package: "qingling"), .product(name: "QinglingTestSupport", package: "qingling"),
        ]),
        // A sealed year's link to the live hash chain, as readers, `verify` and the writer use it.
        .target(name: "fuzz-link", dependencies: [
            .product(name: "QinglingLog", package: "qingling"), .product(name: "QinglingTestSupport", package: "qingling"),
        ]),
    ]
)
