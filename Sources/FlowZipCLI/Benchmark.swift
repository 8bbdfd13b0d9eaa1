import CommandLineOptions
import FlowZip
import TextFormatting

/// `flowzip -b[N] [-e M] [-i S] FILE...`: zstd's benchmark mode. Each file is read into memory and coded
/// at every level from N to M, then decoded and compared with the original byte for byte; one line per
/// file and level gives the sizes, the ratio and both speeds, and a total per level follows after several
/// files. Nothing is written to disk.
struct Benchmark {
    static let options: [OptionSpec] = [
        .optionalValue("bench", short: "b", "N", help: "Benchmark instead of compressing: code each FILE in memory at level N (default: the level given, else 3), decode it and check it is the same bytes, and print the sizes, the ratio and the compression and decompression speeds (MB/s: 10^6 bytes of the original a second; a total per level after several files). Writes no file."),
        .value("bench-end", short: "e", "M", help: "With -b: benchmark every level from N to M."),
        .value("bench-time", short: "i", "S", help: "With -b: repeat each compression and decompression for at least S seconds and report the fastest (default 0: one run each)."),
    ]

    /// The levels, in order.
    var levels: ClosedRange<Int>
    /// Each measurement is repeated until this many seconds have passed (0: once).
    var seconds: Double
    /// No level was given anywhere: code as plain `flowzip FILE` does (images and audio at level 19
    /// beside the flow, `Compress.run`).
    var asDefault: Bool

    /// The benchmark `parsed` asks for, or nil if it asks for none; throws a usage error for a wrong one.
    /// `level` is the one `-N`, `--level`, `--best` or `--fast` gave.
    init?(_ parsed: ParsedArguments, level: Int?, files: FileOptions, image: Bool) throws {
        guard parsed.has("bench") else {
            if let other = parsed.occurrences.first(where: { $0.key == "bench-end" || $0.key == "bench-time" }) {
                throw UsageError.invalid("\(other.written) needs -b (benchmark mode)")
            }
            return nil
        }
        let range = "give a level, \(Compress.levels.lowerBound)-\(Compress.levels.upperBound)"
        let first = try parsed.value("bench", as: Int.self, expected: range)
        let last = try parsed.value("bench-end", as: Int.self, expected: range)
        let start = first ?? level ?? Compress.defaultLevel
        let end = last ?? start
        for (written, value) in [("-b", start), ("-e", end)] where !Compress.levels.contains(value) {
            throw UsageError.invalid("\(written): level \(value) is outside \(Compress.levels.lowerBound)-\(Compress.levels.upperBound)")
        }
        guard start <= end else { throw UsageError.invalid("-e \(end) is below the first level, \(start)") }
        levels = start...end
        seconds = try parsed.value("bench-time", as: Double.self, expected: "give a number of seconds") ?? 0
        guard seconds >= 0 && seconds <= 3600 else { throw UsageError.invalid("-i takes 0 to 3600 seconds") }
        asDefault = first == nil && last == nil && level == nil
        if files.output != nil || files.toStandardOutput { throw UsageError.invalid("-b writes no file: it takes no -o or -c") }
        if files.removeInput { throw UsageError.invalid("-b writes no file: it takes no --rm") }
        // Pixel mode gives back an image with the same pixels, not the same bytes, so -b could not check it.
        if image { throw UsageError.invalid("-b and --image exclude each other") }
        if files.files.isEmpty { throw UsageError.invalid("-b needs at least one FILE (- for standard input)") }
    }

    /// One file at one level.
    struct Measurement {
        var original: UInt64 = 0, compressed: UInt64 = 0
        /// The fastest run's seconds (summed over files in a total).
        var compressSeconds = 0.0, decompressSeconds = 0.0

        mutating func add(_ other: Measurement) {
            original += other.original
            compressed += other.compressed
            compressSeconds += other.compressSeconds
            decompressSeconds += other.decompressSeconds
        }

        /// ` 3#notes.txt            :   1288895 ->    280721 (x4.591),  178.7 MB/s, 1776.1 MB/s`, as zstd -b prints it.
        func line(level: Int, name: String) -> String {
            let ratio = compressed == 0 ? 0 : Double(original) / Double(compressed)
            func speed(_ seconds: Double) -> Double { Double(original) / 1e6 / max(seconds, 1e-9) }
            let label = String(cFormat: "%2ld#", level) + name
            return label + String(repeating: " ", count: max(1, 22 - label.count))
                + String(cFormat: ":%10llu ->%10llu (x%.3f), %7.1f MB/s, %7.1f MB/s", original, compressed, ratio,
                         speed(compressSeconds), speed(decompressSeconds))
        }
    }

    func run(_ compress: Compress) throws {
        let decompressor = Decompressor(threads: compress.files.threadCount, models: try compress.models.decompressionModels())
        var options = try levels.map { try compress.codingOptions(level: $0) }
        if asDefault { options = [try compress.codingOptions(level: nil)] }
        var totals = [Measurement](repeating: Measurement(), count: options.count)
        var files = 0
        // The totals are printed even when a file failed (that failure still makes the exit status 1).
        defer {
            if files > 1 {
                for (index, total) in totals.enumerated() {
                    print(total.line(level: levels.lowerBound + index, name: "total (\(files) files)"))
                }
            }
        }
        try compress.files.forEachInput(wanted: { _ in true }) { input in
            let data = try InputFile(input, followLinks: compress.files.force).readAll()
            for (index, options) in options.enumerated() {
                let level = levels.lowerBound + index
                let measured = try measure(data, options: options, decompressor: decompressor, level: level)
                print(measured.line(level: level, name: input == "-" ? "(stdin)" : input))
                totals[index].add(measured)
            }
            files += 1
            return nil
        }
    }

    /// Codes `data` and decodes the result, each as many times as `seconds` asks, and checks the round trip.
    func measure(_ data: [UInt8], options: FlowZip.Options, decompressor: Decompressor, level: Int) throws -> Measurement {
        let compressor = Compressor(options: options)
        var packed: [UInt8] = []
        let compressSeconds = try fastest {
            packed = []
            var source = FlowZip.MemorySource(data)
            try compressor.compress(from: &source, to: &packed, size: UInt64(data.count))
        }
        var restored: [UInt8] = []
        let decompressSeconds = try fastest {
            restored = []
            restored.reserveCapacity(data.count)
            var source = FlowZip.MemorySource(packed)
            try decompressor.decompress(from: &source, to: &restored)
        }
        guard restored == data else {
            throw CLIError("level \(level): decompressing did not give back the original bytes")
        }
        return Measurement(original: UInt64(data.count), compressed: UInt64(packed.count),
                           compressSeconds: compressSeconds, decompressSeconds: decompressSeconds)
    }

    /// The seconds of the fastest of the runs of `body`: one, then more until `seconds` have passed.
    func fastest(_ body: () throws -> Void) throws -> Double {
        let start = Console.seconds()
        var best = Double.infinity
        repeat {
            let before = Console.seconds()
            try body()
            best = min(best, Console.seconds() - before)
        } while Console.seconds() - start < seconds
        return best
    }
}
