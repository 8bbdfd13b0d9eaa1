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
        .flag("sparse", help: "Leave runs of zeros (whole 4 KiB blocks) as holes in the output, which then takes less disk space: the default for output files; standard output only with this option, and only when it is a regular file written at its end (not appended to)."),
        .flag("no-sparse", help: "Write every byte of the output."),
    ] + ModelOptions.options + commonOptions)

    var files: FileOptions
    var test: Bool
    /// Whether zero blocks become holes (`SparseSink`): nil, the default, in output files only; the last
    /// of --sparse and --no-sparse counts.
    var sparse: Bool?
    var models: ModelOptions

    init(_ parsed: ParsedArguments) throws {
        files = try FileOptions(parsed)
        test = parsed.has("test")
        sparse = parsed.occurrences.last(where: { $0.key == "sparse" || $0.key == "no-sparse" }).map { $0.key == "sparse" }
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
            let sparse = destination.isFile ? sparse ?? true : sparse == true && acceptsHoles(STDOUT_FILENO)
            let sizes = try withExtendedLifetime((source, destination)) {
                try decompressStreams(decompressor, from: source.descriptor, to: destination.descriptor, meter: meter,
                                      sparse: sparse)
            }
            try destination.commit()
            meter?.finish(sizes.read)
            if files.removeInput { try removeInputFile(input) }
            return sizes
        }
    }
}

/// Whether holes can be left in what `descriptor` writes: a regular file, not opened to append (the
/// seeks would be lost), at its end (a hole over old data would leave that data there).
func acceptsHoles(_ descriptor: Int32) -> Bool {
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
          fcntl(descriptor, F_GETFL) & O_APPEND == 0 else { return false }
    return lseek(descriptor, 0, SEEK_CUR) == info.st_size
}
