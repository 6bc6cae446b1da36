// swift-tools-version:6.1
// libFuzzer targets for what users hand in: the target URL policy and the archive extractor. A package of
// its own so that the main build never needs `-sanitize=fuzzer`; see README.md for the commands.
import PackageDescription

let fuzzerSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // libFuzzer supplies `main`; the target only defines `LLVMFuzzerTestOneInput`.
    .unsafeFlags(["-parse-as-library"]),
]

let package = Package(
    name: "stageflow-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "stageflow", path: "..")],
    targets: [
        .executableTarget(
            name: "fuzz-url-policy", dependencies: [.product(name: "StageflowIntake", package: "stageflow")],
            swiftSettings: fuzzerSettings),
        .executableTarget(
            name: "fuzz-archive-reader", dependencies: [.product(name: "StageflowIntake", package: "stageflow")],
            swiftSettings: fuzzerSettings),
    ]
)
