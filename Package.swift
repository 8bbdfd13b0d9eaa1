// swift-tools-version:6.0
// FlowZip: a lossless compressor whose model is an integer normalizing flow.
// Module layout: docs/DESIGN.md §3; the folders are the data path.
import PackageDescription

let package = Package(
    name: "FlowZip",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FlowZip", targets: ["FlowZip"]),
        .library(name: "EntropyCoding", targets: ["EntropyCoding"]),
        .executable(name: "flowzip", targets: ["FlowZipCLI"]),
        .executable(name: "flowzip-bench", targets: ["flowzip-bench"]),
    ],
    // Only for `swift package generate-documentation` (scripts/docs.sh): a command plugin, so no
    // product links it and builds do not compile it.
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian, through pkg-config.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        .target(name: "EntropyCoding", exclude: ["README.md"]),
        // The learned raster network's forward pass: portable C plus SSE2/AVX2, chosen at run time.
        .target(name: "CKernels"),
        .target(name: "Flows", dependencies: ["EntropyCoding", "CKernels"]),
        // printf-style numbers without Foundation (the CLI and training reports).
        .target(name: "TextFormatting"),
        .target(name: "FlowTraining", dependencies: ["Flows", "TextFormatting"]),
        .target(name: "FlowZip", dependencies: ["EntropyCoding", "Flows", "CZstd", "CZlib", "CPNG"]),
        // Layers and coder paths no codec reaches, kept for the work that will use them
        // (Research/FlowResearch/README.md). In no product: the shipped library never links it.
        .target(name: "FlowResearch", dependencies: ["EntropyCoding", "Flows"], path: "Research/FlowResearch", exclude: ["README.md"]),
        // The command line's own option parser: swift-argument-parser's reflection cost every process
        // 15 M instructions at start-up (bench/results/startup.md).
        .target(name: "CommandLineOptions"),
        .executableTarget(name: "FlowZipCLI", dependencies: ["FlowZip", "FlowTraining", "TextFormatting", "CommandLineOptions", "CPNG"]),
        // The benchmark harness is a library so tests can run it on the committed sample.
        .target(
            name: "BenchHarness",
            dependencies: ["FlowZip", "EntropyCoding", "Flows", "CZstd", "CZlib",
                           "FlowResearch"],  // the coder benchmark's categorical and lane cases
            path: "bench/Sources/BenchHarness"),
        // Writes the learned raster conditioner's training samples (scripts/learned-raster/train.sh).
        .executableTarget(
            name: "raster-samples",
            dependencies: ["Flows", "FlowTraining"],
            path: "scripts/learned-raster/Sources/raster-samples"),
        .executableTarget(
            name: "flowzip-bench",
            dependencies: ["BenchHarness"],
            path: "bench/Sources/flowzip-bench"),

        .testTarget(name: "EntropyCodingTests", dependencies: ["EntropyCoding", "FlowResearch"]),
        .testTarget(name: "FlowResearchTests", dependencies: ["FlowResearch", "EntropyCoding", "Flows"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "EntropyCoding"]),
        .testTarget(name: "FlowTrainingTests", dependencies: ["FlowTraining", "Flows"]),
        .testTarget(name: "FlowZipTests", dependencies: ["FlowZip", "EntropyCoding"], exclude: ["Golden", "PixelImages"]),
        .testTarget(name: "CLITests", dependencies: ["FlowZipCLI", "CommandLineOptions"]),
        .testTarget(name: "BenchTests", dependencies: ["BenchHarness"]),
        .testTarget(name: "TextFormattingTests", dependencies: ["TextFormatting"]),
    ]
)
