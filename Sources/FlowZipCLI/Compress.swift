import CommandLineOptions
import FlowZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormatting

/// `flowzip compress`: FILE → FILE.fz.
struct Compress {
    static let options = OptionTable(FileOptions.options + [
        .value("method", "M", choices: FlowZip.Method.allCases.map(\.rawValue), help: "auto (default: the smallest of the methods that fit each chunk), store, zlib, zstd or flow."),
        .value("level", "N", shownAs: "-N, --level N", help: "zstd level 1-22 (default 3, zstd's own); zlib uses min(N, 9) (default 9). Images and audio get the flow's usual search at every level up to 19; 20-21 also try the learned prior where a sample predicts a gain; 22 codes every candidate in full (several times slower, 0.03-0.7 % smaller)."),
        .flag("best", help: "Level 19, the highest before the slow 20-22."),
        .optionalValue("fast", "N", help: "Level 1, the fastest (zstd's negative levels, --fast=2 and up, are not offered)."),
        .value("chunk-size", "KiB", help: "Chunk size, a power of two from 64 to 65536 (default 16384)."),
        .value("dtype", "T", choices: FlowZip.RawLayout.SampleType.allCases.map(\.rawValue), help: "Read a headerless file as little-endian int16, uint16, int32 or float32 numbers and code them with the 1-D flow."),
        .value("channels", "N", help: "Interleaved channels of a --dtype file (1-8, default 1)."),
        .flag("image", help: "Pixel mode: code the pixels of a PNG (any kind) or PNM file; decompressing writes a file of the same type with identical pixels, not the same bytes."),
    ] + Benchmark.options + ModelOptions.options + commonOptions, digitsOption: "level")

    /// zstd's levels, which the library takes (its own check stays; this one comes first).
    static let levels = 1...22
    /// The level for ordinary bytes when none is given: zstd's own default, so a file that is not an
    /// image or audio costs about what `zstd` costs (the library's default, 19, costs tens of times more
    /// CPU, most of all on incompressible data). The flow's search does not depend on it.
    static let defaultLevel = 3

    var files: FileOptions
    var method: FlowZip.Method
    var level: Int?
    var chunkSizeKiB: Int
    var dtype: FlowZip.RawLayout.SampleType?
    var channels: Int?
    var image: Bool
    var models: ModelOptions
    /// `-b`: measure instead of compressing.
    var benchmark: Benchmark?

    /// Reads and checks the options (in the order the old parser did, so the first problem reported is the same).
    init(_ parsed: ParsedArguments) throws {
        files = try FileOptions(parsed)
        method = try parsed.choice("method", as: FlowZip.Method.self) ?? .auto
        level = try Self.level(parsed)
        chunkSizeKiB = try parsed.value("chunk-size", as: Int.self, expected: "give a size in KiB")
            ?? FlowZip.Options.defaultChunkSize >> 10
        dtype = try parsed.choice("dtype", as: FlowZip.RawLayout.SampleType.self)
        channels = try parsed.value("channels", as: Int.self, expected: "give a number of channels, 1-8")
        image = parsed.has("image")
        models = try ModelOptions(parsed)
        // Checked here, not left to the library, so a bad value is a usage error before any file is opened.
        if let level, !Self.levels.contains(level) {
            throw UsageError.invalid("level \(level) is outside \(Self.levels.lowerBound)-\(Self.levels.upperBound)")
        }
        if chunkSizeKiB.nonzeroBitCount != 1 || !(64...65536).contains(chunkSizeKiB) {
            throw UsageError.invalid("--chunk-size \(chunkSizeKiB) is not a power of two from 64 to 65536 (KiB)")
        }
        if let channels, !(1...8).contains(channels) { throw UsageError.invalid("--channels takes 1-8") }
        if channels != nil && dtype == nil { throw UsageError.invalid("--channels needs --dtype") }
        if image && dtype != nil { throw UsageError.invalid("--image and --dtype exclude each other") }
        benchmark = try Benchmark(parsed, level: level, files: files, image: image)
    }

    /// The level asked for: the last of `-N`/`--level N`, `--best` and `--fast`, as in zstd; nil if none.
    static func level(_ parsed: ParsedArguments) throws -> Int? {
        let given = try parsed.value("level", as: Int.self, expected: "give a number, 1-22")
        guard let last = parsed.occurrences.last(where: { ["level", "best", "fast"].contains($0.key) }) else { return nil }
        switch last.key {
        case "best": return 19
        case "fast":
            guard let text = last.value else { return 1 }
            guard let speed = Int(text), speed >= 1 else {
                throw UsageError.invalidValue(option: "--fast", value: text, expected: "give a whole number, 1 or more")
            }
            guard speed == 1 else {
                throw UsageError.invalid("--fast=\(speed) is zstd's negative level -\(speed), which flowzip does not offer; --fast (level 1) is its fastest")
            }
            return 1
        default: return given
        }
    }

    /// The level to code with: the one given, else zstd's default for the zstd-based methods (zlib keeps its own).
    var effectiveLevel: Int? {
        level ?? (method == .auto || method == .zstd ? Self.defaultLevel : nil)
    }

    /// The library's settings for `level` (nil: the level given, else the default).
    func codingOptions(level: Int?) throws -> FlowZip.Options {
        let layout = dtype.map { FlowZip.RawLayout(type: $0, channels: channels ?? 1) }
        var options = FlowZip.Options(method: method, level: level ?? effectiveLevel, threads: files.threadCount,
                                      chunkSize: chunkSizeKiB << 10, rawLayout: layout,
                                      model: try models.compressionModel())
        // The fast default is for ordinary bytes: images and audio that the generic methods code
        // better than the flow (screenshots, synthetic images) keep zstd -19, as before.
        if level == nil && self.level == nil { options.mediaLevel = 19 }
        return options
    }

    func run() throws {
        if let benchmark { return try benchmark.run(self) }
        let options = try codingOptions(level: nil)
        // -r skips the files that already have the suffix, as gzip -r does.
        try files.forEachInput(wanted: { !$0.hasSuffix(files.suffix) }) { input in
            if !files.toStandardOutput && files.output == nil && input.hasSuffix(files.suffix) && !files.force {
                throw CLIError("already has the \(files.suffix) suffix; use -f to compress it again")
            }
            let source = try InputFile(input, followLinks: files.force)
            let destination = try Destination.open(for: input, options: files, attributes: source.attributes) { input + files.suffix }
            if case .standardOutput = destination, isatty(STDOUT_FILENO) == 1, !files.force {
                throw CLIError("refusing to write compressed data to a terminal; use -f to force")
            }
            var compressor = Compressor(options: options)
            let meter = files.progressMeter(input, total: source.size)
            if let meter {
                compressor.progress = { meter.update($0.bytesRead, total: $0.totalBytes) }
            }
            // The descriptors are lent by `source` and `destination`, which close them when they go.
            // The bytes read: in pixel mode the file itself, not the pixel document the library codes.
            let (summary, read) = try withExtendedLifetime((source, destination)) {
                if image {
                    let file = try source.readAll()
                    return (try compressor.compressImage(file, toDescriptor: destination.descriptor), UInt64(file.count))
                }
                let summary = try compressor.compress(fromDescriptor: source.descriptor, toDescriptor: destination.descriptor,
                                                      size: source.size)
                return (summary, summary.originalSize)
            }
            try destination.commit()
            meter?.finish(summary.originalSize)
            if files.removeInput { try removeInputFile(input) }
            return Sizes(read: read, written: summary.compressedSize, original: read)
        }
    }
}
