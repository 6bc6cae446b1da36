// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "stageflow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "stageflow", targets: ["stageflow"]),
        .executable(name: "stageflowctl", targets: ["stageflowctl"]),
        .executable(name: "stageflow-bench", targets: ["stageflow-bench"]),
        // For the libFuzzer package in Fuzz/, which depends on this one by path.
        .library(name: "StageflowIntake", targets: ["StageflowIntake"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // TLS serving: swift-nio-ssl (through HummingbirdTLS), certificate reloading, and the CA that
        // `stageflow up --generate-tls` makes.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(name: "CHunspell", path: "Sources/CHunspell", providers: [.apt(["libhunspell-dev"])]),

        // Resource model: plain values, no I/O.
        .target(name: "StageflowAPI", swiftSettings: swiftSettings),
        // Cron expressions and IANA time zones: parsing, next and missed start times; pure logic.
        .target(name: "StageflowCron", swiftSettings: swiftSettings),
        // OpenAPI v3 schemas from the CRDs: validation, defaulting, pruning.
        .target(
            name: "StageflowSchema",
            dependencies: ["StageflowAPI", .product(name: "Yams", package: "Yams")],
            // crds/ links to CRDs/; its Kustomization makes it a kustomize directory (deploy/kubernetes).
            exclude: ["CRDs/Kustomization"],
            resources: [
                .embedInCode("CRDs/scanjobs.stageflow.dev.yaml"),
                .embedInCode("CRDs/scanschedules.stageflow.dev.yaml"),
                .embedInCode("CRDs/scanners.stageflow.dev.yaml"),
                .embedInCode("CRDs/leases.stageflow.dev.yaml"),
            ],
            swiftSettings: swiftSettings
        ),
        // Revision log, object semantics, watch; memory and SQLite backends.
        .target(
            name: "StageflowStore",
            dependencies: ["StageflowAPI", "CSQLite", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // PostgreSQL backend through libpq.
        .target(
            name: "StageflowPostgres",
            dependencies: ["StageflowStore", "CLibPQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // HTTP over libcurl (TCP and unix sockets, streaming).
        .target(name: "StageflowHTTP", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        // Kubernetes-style API server.
        .target(
            name: "StageflowServer",
            dependencies: [
                "StageflowAPI", "StageflowSchema", "StageflowStore", "StageflowIntake", "StageflowObjectStore", "StageflowReport",
                "StageflowCron",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCertificateReloading", package: "swift-nio-extras"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            resources: [
                .embedInCode("Web/Templates/layout.mustache"),
                .embedInCode("Web/Templates/playground.mustache"),
                .embedInCode("Web/Templates/status.mustache"),
                .embedInCode("Web/Templates/report.mustache"),
                .embedInCode("Web/Templates/schedules.mustache"),
                .embedInCode("Web/Templates/schedule.mustache"),
                .embedInCode("Web/Templates/scans.mustache"),
                .embedInCode("Web/Templates/error.mustache"),
                .embedInCode("Web/Templates/login.mustache"),
                .embedInCode("Web/Assets/workbench.js"),
                .embedInCode("Web/Assets/workbench.css"),
            ],
            swiftSettings: swiftSettings
        ),
        // Object stores: a directory, or S3 with SigV4 over libcurl.
        .target(
            name: "StageflowObjectStore",
            dependencies: [
                "StageflowHTTP", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The unified report: normalisation, fingerprints, deduplication, score, baseline diff, renderers.
        .target(
            name: "StageflowReport",
            dependencies: ["StageflowAPI", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.embedInCode("Data/equivalences.json")],
            swiftSettings: swiftSettings
        ),
        // Webhook notifications of scheduled runs: which events a run meets, the payload, delivery over libcurl
        // under the target policy with retries.
        .target(
            name: "StageflowNotify", dependencies: ["StageflowAPI", "StageflowReport", "StageflowHTTP", "StageflowIntake"],
            swiftSettings: swiftSettings),
        // Pod runtimes: local processes, Podman over its REST API, Kubernetes pods over the cluster API, and a no-op
        // one for tests and benchmarks.
        .target(
            name: "StageflowRuntime",
            dependencies: ["StageflowHTTP", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // What users hand in, checked before anything acts on it: the target URL policy (SSRF) and safe
        // extraction of uploaded archives.
        .target(
            name: "StageflowIntake",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        // The scanner runner (`stageflow scanner run`) and the built-in scanners.
        .target(
            name: "StageflowScanner",
            dependencies: [
                "StageflowAPI", "StageflowHTTP", "StageflowObjectStore", "StageflowReport", "StageflowIntake", "CHunspell",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The vision agent: the model client over libcurl, the page analyzer, the action decider and the journey loop.
        .target(
            name: "StageflowVision",
            dependencies: [
                "StageflowAPI", "StageflowHTTP", "StageflowScanner", "StageflowReport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Controller runtime (informers, work queue, leader election) and the controllers. It talks to the API
        // through its `ResourceClient` protocol only; the executable decides what stands behind it.
        .target(
            name: "StageflowController",
            dependencies: [
                "StageflowAPI", "StageflowRuntime", "StageflowObjectStore", "StageflowReport", "StageflowSchema", "StageflowCron",
                "StageflowNotify",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [
                .embedInCode("Resources/scanner-manifest.schema.json"),
                // The built-in scanner manifests (manifests/scanners links here), so an installed binary needs no
                // files beside it.
                .embedInCode("Resources/Scanners/ai-navigator.yaml"),
                .embedInCode("Resources/Scanners/axe.yaml"),
                .embedInCode("Resources/Scanners/lighthouse.yaml"),
                .embedInCode("Resources/Scanners/link-checker.yaml"),
                .embedInCode("Resources/Scanners/open-graph.yaml"),
                .embedInCode("Resources/Scanners/performance.yaml"),
                .embedInCode("Resources/Scanners/security-headers.yaml"),
                .embedInCode("Resources/Scanners/seo.yaml"),
                .embedInCode("Resources/Scanners/spelling.yaml"),
            ],
            swiftSettings: swiftSettings
        ),
        // The vision controller: walks the journeys of ScanJobs that select a scanner it runs, under its own lease.
        .target(
            name: "StageflowVisionController",
            dependencies: [
                "StageflowAPI", "StageflowController", "StageflowObjectStore", "StageflowReport", "StageflowScanner", "StageflowVision",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Typed client of the API server.
        .target(name: "StageflowClient", dependencies: ["StageflowAPI", "StageflowHTTP"], swiftSettings: swiftSettings),
        // stageflowctl commands.
        .target(
            name: "StageflowCLI",
            dependencies: [
                "StageflowAPI", "StageflowClient", "StageflowHTTP", "StageflowSchema", "StageflowReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // `stageflow` commands: up, apiserver.
        .target(
            name: "StageflowEntry",
            dependencies: [
                "StageflowAPI", "StageflowStore", "StageflowPostgres", "StageflowServer", "StageflowScanner", "StageflowIntake",
                "StageflowController", "StageflowRuntime", "StageflowObjectStore", "StageflowClient", "StageflowVision",
                "StageflowVisionController", "StageflowHTTP", "StageflowNotify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "stageflow", dependencies: ["StageflowEntry"], swiftSettings: swiftSettings),
        .executableTarget(name: "stageflowctl", dependencies: ["StageflowCLI"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "stageflow-bench",
            dependencies: [
                "StageflowAPI", "StageflowStore", "StageflowPostgres", "StageflowReport", "StageflowController",
                "StageflowRuntime", "StageflowObjectStore", "StageflowScanner", "StageflowThrowaway", "StageflowEntry", "CSQLite",
                "StageflowVision", "StageflowClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Throwaway local infrastructure for the benchmark and the tests: child processes, PostgreSQL clusters, a
        // static fixture site, loopback HTTP servers (an OpenAI-compatible model server, a fixture shop).
        .target(
            name: "StageflowThrowaway",
            dependencies: [
                "StageflowPostgres", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        // What only the tests use on top of it: `stageflow up` started for real, a Podman service, fixtures.
        .target(
            name: "StageflowTestSupport", dependencies: ["StageflowThrowaway", "StageflowHTTP"], path: "Tests/StageflowTestSupport",
            swiftSettings: swiftSettings),
        .testTarget(name: "StageflowAPITests", dependencies: ["StageflowAPI", "StageflowSchema"], swiftSettings: swiftSettings),
        .testTarget(name: "StageflowCronTests", dependencies: ["StageflowCron"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StageflowStoreTests",
            dependencies: ["StageflowAPI", "StageflowStore", "StageflowPostgres", "StageflowTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StageflowServerTests",
            dependencies: [
                "StageflowAPI", "StageflowServer", "StageflowStore", "StageflowObjectStore", "StageflowReport", "StageflowIntake",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StageflowObjectStoreTests",
            dependencies: [
                "StageflowObjectStore", "StageflowHTTP", "StageflowTestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StageflowIntakeTests",
            dependencies: [
                "StageflowIntake", "StageflowAPI", "StageflowHTTP", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StageflowReportTests", dependencies: ["StageflowReport", "StageflowAPI"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StageflowNotifyTests",
            dependencies: ["StageflowNotify", "StageflowAPI", "StageflowReport", "StageflowHTTP", "StageflowIntake", "StageflowTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StageflowScannerTests",
            dependencies: [
                "StageflowScanner", "StageflowAPI", "StageflowObjectStore", "StageflowReport", "StageflowHTTP", "StageflowIntake",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StageflowRuntimeTests", dependencies: ["StageflowRuntime", "StageflowTestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StageflowControllerTests",
            dependencies: [
                "StageflowController", "StageflowAPI", "StageflowStore", "StageflowRuntime", "StageflowObjectStore",
                "StageflowReport", "StageflowEntry", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StageflowVisionTests",
            dependencies: [
                "StageflowVision", "StageflowVisionController", "StageflowController", "StageflowEntry", "StageflowScanner", "StageflowAPI",
                "StageflowReport", "StageflowObjectStore", "StageflowStore", "StageflowTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StageflowCLITests",
            dependencies: [
                "StageflowCLI", "StageflowAPI", "StageflowClient", "StageflowHTTP", "StageflowReport", "StageflowTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "StageflowAPI", "StageflowTestSupport", "StageflowScanner", "StageflowReport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
