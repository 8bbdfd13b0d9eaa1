// swift-tools-version:6.0
// FlowZip: a lossless compressor whose model is an integer normalizing flow.
// Module layout follows DESIGN.md §3; the folders are the data path.
import PackageDescription

let package = Package(
    name: "FlowZip",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FlowZip", targets: ["FlowZip"]),
        .library(name: "EntropyCoding", targets: ["EntropyCoding"]),
        .executable(name: "flowzip", targets: ["flowzip"]),
        .executable(name: "flowzip-bench", targets: ["flowzip-bench"]),
    ],
    targets: [
        // C libraries from Debian, through pkg-config.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        .target(name: "EntropyCoding", exclude: ["README.md"]),
        .target(name: "Flows", dependencies: ["EntropyCoding"]),
        // printf-style numbers without Foundation (the CLI and training reports).
        .target(name: "TextFormatting"),
        .target(name: "FlowTraining", dependencies: ["Flows", "TextFormatting"]),
        .target(name: "FlowZip", dependencies: ["EntropyCoding", "Flows", "CZstd", "CZlib", "CPNG"]),
        // The command line's own option parser: swift-argument-parser's reflection cost every process
        // 15 M instructions at start-up (bench/results/startup.md).
        .target(name: "CommandLineOptions"),
        .executableTarget(name: "flowzip", dependencies: ["FlowZip", "FlowTraining", "TextFormatting", "CommandLineOptions"]),
        // The benchmark harness is a library so tests can run it on the committed sample.
        .target(
            name: "BenchHarness",
            dependencies: ["FlowZip", "EntropyCoding", "Flows", "CZstd", "CZlib"],
            path: "bench/Sources/BenchHarness"),
        .executableTarget(
            name: "flowzip-bench",
            dependencies: ["BenchHarness"],
            path: "bench/Sources/flowzip-bench"),

        .testTarget(name: "EntropyCodingTests", dependencies: ["EntropyCoding"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "EntropyCoding"]),
        .testTarget(name: "FlowTrainingTests", dependencies: ["FlowTraining", "Flows"]),
        .testTarget(name: "FlowZipTests", dependencies: ["FlowZip", "EntropyCoding"], exclude: ["Golden", "PixelImages"]),
        .testTarget(name: "CLITests", dependencies: ["flowzip", "CommandLineOptions"]),
        .testTarget(name: "BenchTests", dependencies: ["BenchHarness"]),
        .testTarget(name: "TextFormattingTests", dependencies: ["TextFormatting"]),
    ]
)
