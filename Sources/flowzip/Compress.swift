import ArgumentParser
import FlowZip
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormatting

/// `flowzip compress`: FILE → FILE.fz.
struct Compress: ParsableCommand {
    // Named here, not derived from the type name: the parser derives it (printing the type through
    // the runtime, then snake-casing) every time it asks, which cost 2.9 M instructions per process.
    static let configuration = CommandConfiguration(commandName: "compress", abstract: "Compress files (the default command).")

    @OptionGroup var files: FileOptions

    @Option(help: "auto (smallest that fits each chunk), store, zlib, zstd or flow.")
    var method: FlowZip.Method = .auto

    @Option(help: "Compression level for zstd (1-22, default 19); zlib uses min(level, 9). Also -1 ... -22. Images (flow): up to 19 a fast search with the hand-made prior; 20-21 also the learned prior where a sample predicts a gain; 22 every coding in full (several times slower, 0.03-0.7 % smaller).")
    var level: Int?

    @Option(name: .customLong("chunk-size"), help: "Chunk size in KiB: a power of two from 64 to 65536.")
    var chunkSizeKiB = FlowZip.Options.defaultChunkSize >> 10

    @Option(help: "Read a headerless file as little-endian numbers (int16, uint16, int32 or float32) and code them with the 1-D flow.")
    var dtype: FlowZip.RawLayout.SampleType?

    @Option(help: "Interleaved channels of a --dtype file (1-8, default 1).")
    var channels: Int?

    @Flag(help: "Pixel mode: code the pixels of a PNG (any kind) or PNM file; decompressing writes a file of the same type with identical pixels, not the same bytes.")
    var image = false

    func validate() throws {
        if channels != nil && dtype == nil { throw ValidationError("--channels needs --dtype") }
        if image && dtype != nil { throw ValidationError("--image and --dtype exclude each other") }
    }

    @OptionGroup var models: ModelOptions

    func run() throws {
        let layout = dtype.map { FlowZip.RawLayout(type: $0, channels: channels ?? 1) }
        let options = FlowZip.Options(method: method, level: level, threads: files.threadCount,
                                      chunkSize: chunkSizeKiB << 10, rawLayout: layout,
                                      model: try models.compressionModel())
        try files.forEachInput { input in
            if !files.toStandardOutput && files.output == nil && input.hasSuffix(".fz") && !files.force {
                throw CLIError("already has the .fz suffix; use -f to compress it again")
            }
            let source = try InputFile(input)
            let destination = try Destination.open(for: input, options: files, mode: source.mode) { input + ".fz" }
            if case .standardOutput = destination, isatty(STDOUT_FILENO) == 1, !files.force {
                throw CLIError("refusing to write compressed data to a terminal; use -f to force")
            }
            var compressor = Compressor(options: options)
            if !files.quiet, let size = source.size, size > 16 << 20 {
                let start = Date()
                compressor.progress = { done in
                    let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-3) / 1e6
                    Console.progress("\(input): " + String(cFormat: "%3.0f%%  %.1f MB/s", 100 * Double(done) / Double(size), rate))
                }
            }
            // The descriptors are lent by `source` and `destination`, which close them when they go.
            let summary = try withExtendedLifetime((source, destination)) {
                image ? try compressor.compressImage(try source.readAll(), toDescriptor: destination.descriptor)
                    : try compressor.compress(fromDescriptor: source.descriptor, toDescriptor: destination.descriptor, size: source.size)
            }
            try destination.commit()
            Console.endProgress()
            if files.removeInput && input != "-" { try FileManager.default.removeItem(atPath: input) }
            if files.verbose {
                let ratio = summary.originalSize == 0 ? 0 : 100 * Double(summary.compressedSize) / Double(summary.originalSize)
                Console.error("\(input == "-" ? "(stdin)" : input): "
                              + String(cFormat: "%llu -> %llu bytes (%.2f%%)", summary.originalSize, summary.compressedSize, ratio))
            }
        }
    }
}
