import ArgumentParser
import FlowZip
import Foundation

/// Options shared by `compress` and `decompress`: which files, where the output goes, and how loudly.
struct FileOptions: ParsableArguments {
    @Argument(help: "Files to process; `-` or nothing means standard input.")
    var files: [String] = []

    @Option(name: [.short, .customLong("output")], help: "Write to this file (one input only).")
    var output: String?

    @Flag(name: [.customShort("c"), .customLong("stdout")], help: "Write to standard output; keep the input.")
    var toStandardOutput = false

    @Flag(name: .shortAndLong, help: "Overwrite existing files; write compressed data to a terminal.")
    var force = false

    @Flag(name: .customLong("rm"), help: "Remove the input after the output was fully written.")
    var removeInput = false

    @Flag(name: [.customShort("k"), .customLong("keep")], help: "Keep the input (the default).")
    var keep = false

    @Option(name: [.customShort("T"), .customLong("threads")], help: "Threads (0: one per core).")
    var threads = 1

    @Flag(name: .shortAndLong, help: "Report sizes and ratios.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Report errors only.")
    var quiet = false

    var inputs: [String] { files.isEmpty ? ["-"] : files }

    var threadCount: Int { threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads }

    func validate() throws {
        if output != nil && inputs.count > 1 { throw ValidationError("-o takes a single input file") }
        if output != nil && toStandardOutput { throw ValidationError("-o and -c exclude each other") }
        if removeInput && keep { throw ValidationError("--rm and -k exclude each other") }
        if removeInput && toStandardOutput { throw ValidationError("--rm cannot be used with -c") }
        if !(0...256).contains(threads) { throw ValidationError("-T takes 0...256") }
    }

    /// Runs `body` on every input; reports each failure on one line and keeps going, like gzip.
    func forEachInput(_ body: (String) throws -> Void) throws {
        var failed = false
        for input in inputs {
            do {
                try body(input)
            } catch {
                Console.endProgress()
                Console.error("\(input == "-" ? "(stdin)" : input): \(error)")
                failed = true
            }
        }
        if failed { throw CommandFailure() }
    }
}

/// An opened input: standard input or a regular file, with its size and permissions.
struct InputFile {
    let handle: FileHandle
    let size: UInt64?
    let mode: mode_t

    init(_ path: String) throws {
        if path == "-" {
            handle = FileHandle.standardInput
            size = nil
            mode = 0o644
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError(String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CLIError("not a regular file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIError("cannot open: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        size = UInt64(info.st_size)
        mode = info.st_mode & 0o7777
    }
}

/// The destination of one run: a safe output file or standard output.
enum Destination {
    case file(OutputFile)
    case standardOutput

    var handle: FileHandle {
        switch self {
        case .file(let file): return file.handle
        case .standardOutput: return FileHandle.standardOutput
        }
    }

    func commit() throws {
        if case .file(let file) = self { try file.commit() }
    }

    /// Opens the destination for `input`: `name` gives the default output path for a file input.
    static func open(for input: String, options: FileOptions, mode: mode_t,
                     defaultPath: () throws -> String) throws -> Destination {
        if options.toStandardOutput || (input == "-" && options.output == nil) { return .standardOutput }
        let path = try options.output ?? defaultPath()
        if input != "-" && URL(fileURLWithPath: path).standardizedFileURL == URL(fileURLWithPath: input).standardizedFileURL {
            throw CLIError("input and output are the same file")
        }
        return .file(try OutputFile(path: path, force: options.force, mode: mode))
    }
}

extension FlowZip.Method: ExpressibleByArgument {}
