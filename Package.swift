// swift-tools-version:6.0
import PackageDescription

// Dependencies, each for one job it does better than code of our own would:
// - swift-crypto: SHA-256 for the batch hash chain (and Ed25519 for sealed archives); AES-GCM
//   and HKDF for the key store and the sealed identities of tip-off reporters.
// - swift-system: typed file descriptors and `Errno`, with EINTR retried, under the log's I/O seam.
// - swift-argument-parser: the `qingling` command line.
// - GRDB: the accounts database (SQLite), with migrations, outside the immutable log.
// - hummingbird-auth: bcrypt for the accounts' passwords; the service's authenticated context.
// - hummingbird: the HTTP service (`qingling serve`); swift-service-lifecycle: its graceful
//   shutdown; swift-log: its structured logs; swift-metrics and swift-prometheus: `/metrics`.
// - async-http-client: the admin tool as the service's client (`qingling login`, `append --server`).
// - swift-mustache: the web pages' templates (logic-less, escaping by default).
// - multipart-kit: the web forms' file uploads (multipart/form-data), as Vapor parses them.
// - postgres-nio: the province's copy of county logs in PostgreSQL (`qingling ship`, `restore`):
//   the wire protocol with binds, transactions and typed errors, maintained by the Vapor and
//   Swift Server Workgroup people; a protocol client of our own would be a liability.
let package = Package(
    name: "qingling",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "QinglingLog", targets: ["QinglingLog"]),
        .library(name: "QinglingEvents", targets: ["QinglingEvents"]),
        .library(name: "QinglingWorkflow", targets: ["QinglingWorkflow"]),
        .library(name: "QinglingProjections", targets: ["QinglingProjections"]),
        .library(name: "QinglingReports", targets: ["QinglingReports"]),
        .library(name: "QinglingArchive", targets: ["QinglingArchive"]),
        .library(name: "QinglingEvidence", targets: ["QinglingEvidence"]),
        .library(name: "QinglingSampleData", targets: ["QinglingSampleData"]),
        .library(name: "QinglingAccounts", targets: ["QinglingAccounts"]),
        .executable(name: "qingling", targets: ["qingling"]),
        // For the fuzz targets in tools/fuzz (a nested package sees products only).
        .library(name: "QinglingTestSupport", targets: ["QinglingTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    ],
    targets: [
        // liblz4 as shipped by Debian's liblz4-dev (frame API, block API, HC).
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        // CRC-32C with the processor's instruction (SSE4.2, ARMv8 CRC), chosen at run time.
        .target(name: "CCRC32C"),
        // A cache prefetch hint (`__builtin_prefetch`), which Swift has no word for.
        .target(name: "CPrefetch"),
        // The type of a file's file system (`fstatfs`), which Swift's Glibc module leaves out.
        .target(name: "CFileSystemType"),
        // The segment log: records in, records out. Knows nothing of hazards.
        .target(
            name: "QinglingLog",
            dependencies: [
                "CLZ4", "CCRC32C",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Hazard events: the domain model, the JSON interchange form, the binary stored form.
        .target(
            name: "QinglingEvents",
            dependencies: [
                "QinglingLog",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Data keys by name in one file encrypted under a master key (crypto-shredding of
        // tip-off reporters' identities), and the sealing with them. Knows nothing of hazards.
        .target(
            name: "QinglingKeyStore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The workflow: lifecycle and role rules, idempotency, optimistic concurrency; events
        // in and out of the log; reporters' identities sealed on the way in.
        .target(
            name: "QinglingWorkflow",
            dependencies: [
                "QinglingEvents", "QinglingLog", "QinglingKeyStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // What analysts ask: clearance statistics, overdue alerts, ranking, plan targets,
        // accountability trace-back, enforcement and rewards; folded from the log and checkpointed.
        .target(
            name: "QinglingProjections",
            dependencies: [
                "QinglingEvents",
                "CPrefetch",
                "CFileSystemType",
                "QinglingLog",
                "QinglingWorkflow",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // What the analysts' queries answer, as reports (tables, CSV, JSON): shared by the
        // command line and the service, so that both answer in the same words.
        .target(
            name: "QinglingReports",
            dependencies: ["QinglingEvents", "QinglingLog", "QinglingProjections", "QinglingWorkflow"]
        ),
        // Evidence files (photos, reports): the log directory's content-addressed blob store.
        .target(
            name: "QinglingEvidence",
            dependencies: [
                "QinglingEvents", "QinglingLog",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The archive job: sealed years (Merkle tree, signed manifest), verification, proofs.
        .target(
            name: "QinglingArchive",
            dependencies: [
                "QinglingLog",
                "QinglingEvents",
                "QinglingEvidence",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The audit log: sign-ins and account changes, in a segment log of its own.
        .target(
            name: "QinglingAudit",
            dependencies: ["QinglingLog"]
        ),
        // The service's accounts: who may sign in, their role and organisation (SQLite via GRDB).
        .target(
            name: "QinglingAccounts",
            dependencies: [
                "QinglingEvents", "QinglingAudit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // `qingling serve`: the ledger as an authenticated multi-party HTTP service.
        .target(
            name: "QinglingService",
            dependencies: [
                "QinglingLog", "QinglingEvents", "QinglingWorkflow", "QinglingProjections", "QinglingAccounts", "QinglingAudit",
                "QinglingArchive", "QinglingReports", "QinglingEvidence", "QinglingKeyStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            // The web pages' templates and stylesheet (`Web/`), found beside the binary at start.
            resources: [.copy("Web/Templates")]
        ),
        // The province's copy: county logs shipped to PostgreSQL (physical and logical copies),
        // schema migrations, and a county's log restored from the copy.
        .target(
            name: "QinglingProvince",
            dependencies: [
                "QinglingLog", "QinglingEvents", "QinglingWorkflow", "QinglingArchive",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // TLS to the province's database (postgres-nio's own TLS, BoringSSL underneath).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Schema")]
        ),
        // Deterministic, realistic sample data for Linxiang (临湘市): `qingling generate`, the demo.
        .target(
            name: "QinglingSampleData",
            dependencies: ["QinglingEvents"]
        ),
        // The command-line tool.
        .executableTarget(
            name: "qingling",
            dependencies: [
                "QinglingLog",
                "QinglingEvents",
                "QinglingWorkflow",
                "QinglingProjections",
                "QinglingReports",
                "QinglingArchive",
                "QinglingEvidence",
                "QinglingSampleData",
                "QinglingAccounts",
                "QinglingAudit",
                "QinglingKeyStore",
                "QinglingService",
                "QinglingProvince",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Throughput figures of the log (release build): `swift run -c release log-bench`.
        .executableTarget(
            name: "log-bench",
            dependencies: ["QinglingLog"],
            path: "tools/log-bench"
        ),
        // The crash campaign: SIGKILL of the writer and the archive job, simulated power cuts.
        .executableTarget(
            name: "crash-campaign",
            dependencies: [
                "QinglingLog", "QinglingEvents", "QinglingWorkflow", "QinglingArchive", "QinglingTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "tools/crash-campaign"
        ),
        // The service under load and killed under load: `service-bench load`, `service-bench kill`.
        .executableTarget(
            name: "service-bench",
            dependencies: [
                "QinglingLog", "QinglingEvents", "QinglingAccounts", "QinglingTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "tools/service-bench",
            // The wrk load script and its Lua requests (`bash tools/service-bench/wrk.sh`).
            exclude: ["wrk", "wrk.sh"]
        ),
        // Qingling against DuckDB, SQLite and `lz4 -d` on 1, 4 and 16 million events: `bash tools/compare-bench/run.sh`.
        .executableTarget(
            name: "compare-bench",
            dependencies: ["QinglingProjections", "QinglingWorkflow", "QinglingEvents", "QinglingLog"],
            path: "tools/compare-bench",
            exclude: ["run.sh", "peers"]
        ),
        // Shared by the crash tests, the crash campaign and the fuzz targets: file systems that
        // crash or lose power at a chosen change, and crafted log files with their checksums right.
        .target(
            name: "QinglingTestSupport",
            dependencies: ["QinglingLog", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/QinglingTestSupport"
        ),
        .testTarget(
            name: "QinglingLogTests",
            dependencies: ["QinglingLog", "QinglingTestSupport"]
        ),
        .testTarget(
            name: "QinglingArchiveTests",
            dependencies: ["QinglingArchive", "QinglingEvidence", "QinglingWorkflow", "QinglingProjections", "QinglingSampleData", "QinglingTestSupport", "QinglingKeyStore"]
        ),
        .testTarget(
            name: "QinglingEvidenceTests",
            dependencies: ["QinglingEvidence", "QinglingEvents", "QinglingLog", "QinglingWorkflow", "QinglingTestSupport"]
        ),
        .testTarget(
            name: "QinglingEventsTests",
            dependencies: ["QinglingEvents"]
        ),
        .testTarget(
            name: "QinglingWorkflowTests",
            dependencies: ["QinglingWorkflow", "QinglingSampleData", "QinglingKeyStore", "QinglingTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "QinglingProjectionsTests",
            dependencies: ["QinglingProjections", "QinglingWorkflow", "QinglingSampleData", "QinglingTestSupport"]
        ),
        // Runs the real `qingling` binary.
        .testTarget(
            name: "QinglingCLITests",
            dependencies: ["qingling", "QinglingEvents", "QinglingLog", "QinglingWorkflow", "QinglingKeyStore", "QinglingTestSupport"]
        ),
        .testTarget(
            name: "QinglingAccountsTests",
            dependencies: ["QinglingAccounts", "QinglingAudit", "QinglingLog", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "QinglingServiceTests",
            dependencies: [
                "QinglingService", "QinglingAccounts", "QinglingAudit", "QinglingEvents", "QinglingWorkflow", "QinglingSampleData", "QinglingKeyStore",
                "QinglingArchive", "QinglingLog", "QinglingProjections", "QinglingReports",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "QinglingSampleDataTests",
            dependencies: ["QinglingSampleData", "QinglingEvents"]
        ),
    ]
)
