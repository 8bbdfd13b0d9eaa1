import CommandLineOptions
import FlowZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `flowzip decompress` (also `flowzip -d`): FILE.fz → FILE.
struct Decompress {
    static let options = OptionTable(FileOptions.options + [
        .flag("test", short: "t", help: "Check the files' integrity; write nothing."),
    ] + ModelOptions.options + commonOptions)

    var files: FileOptions
    var test: Bool
    var models: ModelOptions

    init(_ parsed: ParsedArguments) throws {
        files = try FileOptions(parsed)
        test = parsed.has("test")
        models = try ModelOptions(parsed)
    }

    func run() throws {
        let decompressor = Decompressor(threads: files.threadCount, models: try models.decompressionModels())
        // -r decompresses the files that have the suffix and leaves the others alone.
        try files.forEachInput(wanted: { $0.hasSuffix(files.suffix) }) { input in
            if input == "-" && isatty(STDIN_FILENO) == 1 && !files.force {
                throw CLIError("refusing to read compressed data from a terminal; use -f to force")
            }
            let source = try InputFile(input, followLinks: files.force)
            let meter = files.progressMeter(input, total: source.size)
            if test {
                let sink = try OpenedFile(path: "/dev/null", flags: O_WRONLY)
                // The descriptors are lent by `source` and `sink`, which close them when they go.
                let sizes = try withExtendedLifetime((source, sink)) {
                    try decompressStreams(decompressor, from: source.descriptor, to: sink.descriptor, meter: meter)
                }
                meter?.finish(sizes.read)
                if files.verbose { Console.error("\(input): OK") }
                return nil
            }
            let destination = try Destination.open(for: input, options: files, attributes: source.attributes) {
                guard input.hasSuffix(files.suffix), input.count > files.suffix.count,
                      !input.dropLast(files.suffix.count).hasSuffix("/") else {
                    throw CLIError("unknown suffix (expected \(files.suffix)); use -o or -c")
                }
                return String(input.dropLast(files.suffix.count))
            }
            let sizes = try withExtendedLifetime((source, destination)) {
                try decompressStreams(decompressor, from: source.descriptor, to: destination.descriptor, meter: meter)
            }
            try destination.commit()
            meter?.finish(sizes.read)
            if files.removeInput { try removeInputFile(input) }
            return sizes
        }
    }
}
