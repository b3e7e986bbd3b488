// swift-tools-version:6.1
import PackageDescription

// Micro benchmarks of Qingling's hot paths with ordo-one/benchmark (time, throughput, malloc
// counts). A nested package, so that the main build stays free of the benchmark framework and
// its malloc interposer. Run: `cd tools/benchmarks && swift package benchmark --scale`.
let package = Package(
    name: "qingling-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "qingling", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
    ],
    targets: [
        .executableTarget(
            name: "QinglingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "QinglingLog", package: "qingling"),
                .product(name: "QinglingEvents", package: "qingling"),
                .product(name: "QinglingProjections", package: "qingling"),
                .product(name: "QinglingSampleData", package: "qingling"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/QinglingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
