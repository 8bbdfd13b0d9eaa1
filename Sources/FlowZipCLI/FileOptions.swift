import CommandLineOptions
import FlowZip
import TextFormatting
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options shared by `compress` and `decompress`: which files, where the output goes, and how loudly.
struct FileOptions {
    static let options: [OptionSpec] = [
        .value("output", short: "o", "FILE", help: "Write to FILE (one input only)."),
        .flag("stdout", short: "c", help: "Write to standard output; keep the input."),
        .flag("force", short: "f", help: "Overwrite existing files; read symbolic links; write compressed data to a terminal (or, decompressing, read it from one)."),
        .flag("rm", help: "Remove the input once the output is complete (never a symbolic link)."),
        .flag("keep", short: "k", help: "Keep the input (the default)."),
        .value("suffix", short: "S", "SUF", help: "The suffix of compressed files (default .fz)."),
        .flag("recursive", short: "r", help: "Go into folders: compress every regular file that does not have the suffix; with -d, decompress every file that has it."),
        .value("threads", short: "T", "N", help: "Threads; 0: one per core (default 1). The output is the same for every N."),
        .flag("verbose", short: "v", help: "Report each file's bytes read and written, and their total after several."),
        .flag("quiet", short: "q", help: "Report errors only."),
        .flag("progress", help: "Show progress (bytes done of the total, rate, time left) even when standard error is not a terminal, or with -q."),
        .flag("no-progress", help: "Never show progress (by default it shows when standard error is a terminal)."),
    ]

    /// Files to process; `-` or none means standard input.
    var files: [String]
    var output: String?
    var toStandardOutput: Bool
    var force: Bool
    var removeInput: Bool
    var keep: Bool
    var threads: Int
    var verbose: Bool
    var quiet: Bool
    var suffix: String
    var recursive: Bool
    var progress: ProgressChoice

    init(_ parsed: ParsedArguments) throws {
        files = parsed.operands
        // `-o -` is standard output, as in zstd, never a file named `-`.
        let named = parsed.value("output")
        output = named == "-" ? nil : named
        toStandardOutput = parsed.has("stdout") || named == "-"
        force = parsed.has("force")
        removeInput = parsed.has("rm")
        keep = parsed.has("keep")
        threads = try parsed.value("threads", as: Int.self, expected: "give a number of threads, 0 for one per core") ?? 1
        verbose = parsed.has("verbose")
        quiet = parsed.has("quiet")
        suffix = parsed.value("suffix") ?? ".fz"
        recursive = parsed.has("recursive")
        switch parsed.occurrences.last(where: { $0.key == "progress" || $0.key == "no-progress" })?.key {
        case "progress": progress = .forced
        case "no-progress": progress = .off
        default: progress = .automatic
        }
        if suffix.isEmpty || suffix.contains("/") {
            throw UsageError.invalidValue(option: "-S", value: suffix, expected: "give a suffix such as .fz, not empty and without /")
        }
        if named != nil && (inputs.count > 1 || recursive) { throw UsageError.invalid("-o takes a single input file (and no -r)") }
        if output != nil && parsed.has("stdout") { throw UsageError.invalid("-o and -c exclude each other") }
        if removeInput && keep { throw UsageError.invalid("--rm and -k exclude each other") }
        if removeInput && toStandardOutput { throw UsageError.invalid("--rm cannot be used with -c") }
        if !(0...256).contains(threads) { throw UsageError.invalid("-T takes 0...256") }
    }

    var inputs: [String] { files.isEmpty ? ["-"] : files }

    var threadCount: Int { threads == 0 ? availableProcessors() : threads }

    /// A progress meter for `input`, whose size (if known) is `total`; nil when none is to be shown.
    func progressMeter(_ input: String, total: UInt64?) -> ProgressMeter? {
        ProgressMeter(input, total: total, choice: progress, quiet: quiet)
    }

    /// Runs `body` on every input; reports each failure on one line and keeps going, like gzip. With
    /// `-r`, a folder stands for the files under it that `wanted` accepts (by name); without it, a folder
    /// is reported and skipped.
    /// With -v, each file's sizes as `body` returns them are reported, and their total after several.
    func forEachInput(wanted: (String) -> Bool, _ body: (String) throws -> Sizes?) throws {
        var failed = false
        var total = Sizes(read: 0, written: 0, original: 0), counted = 0
        defer {
            if verbose && counted > 1 { Console.error("total: \(total.report) in \(counted) files") }
        }
        func attempt(_ input: String, _ work: () throws -> Sizes?) {
            do {
                guard let sizes = try work() else { return }
                if verbose { Console.error("\(input == "-" ? "(stdin)" : input): \(sizes.report)") }
                total.read += sizes.read
                total.written += sizes.written
                total.original += sizes.original
                counted += 1
            } catch {
                Console.endProgress()
                Console.error("\(input == "-" ? "(stdin)" : input): \(error)")
                failed = true
            }
        }
        for input in inputs {
            guard input != "-", isDirectory(input) else {
                attempt(input) { try body(input) }
                continue
            }
            guard recursive else {
                attempt(input) { throw CLIError("is a directory -- ignored") as Error }
                continue
            }
            var found: [String] = []
            attempt(input) { try filesUnder(input, into: &found); return nil }
            for file in found where wanted(file) { attempt(file) { try body(file) } }
        }
        if failed { throw CommandFailure() }
    }
}

/// What one file's run read and wrote, in bytes: the input and output as they are on disk or in the pipe.
struct Sizes {
    var read: UInt64
    var written: UInt64
    /// The uncompressed side of the two (`read` compressing, `written` decompressing), for the ratio.
    var original: UInt64

    /// `588895 -> 74096 bytes (12.58%)`: the ratio is always compressed over uncompressed.
    var report: String {
        let compressed = read + written - original
        let ratio = original == 0 ? 0 : 100 * Double(compressed) / Double(original)
        return String(cFormat: "%llu -> %llu bytes (%.2f%%)", read, written, ratio)
    }
}

/// Whether `path` is a folder (not through a symbolic link: -r does not follow links to folders, as gzip).
func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// The regular files and symbolic links under `folder`, in name order, folder by folder (gzip -r's set:
/// links are listed so that the input's own check refuses them unless -f; devices and FIFOs are left out).
/// The whole list is made before any file is written, so outputs are never visited as inputs.
func filesUnder(_ folder: String, into found: inout [String]) throws {
    guard let stream = opendir(folder) else { throw CLIError("cannot read the folder: \(String(cString: strerror(errno)))") }
    var names: [String] = []
    while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        if name != "." && name != ".." { names.append(name) }
    }
    closedir(stream)
    for name in names.sorted() {
        let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: try filesUnder(path, into: &found)
        case S_IFREG, S_IFLNK: found.append(path)
        default: continue
        }
    }
}

extension FileOptions {
}

/// An opened input: standard input or a regular file, with its size, permissions and times.
struct InputFile {
    /// Standard input, or the file (closed when the last copy of this value goes).
    private let file: OpenedFile?
    let size: UInt64?
    let attributes: FileAttributes

    var descriptor: Int32 { file?.descriptor ?? STDIN_FILENO }

    /// Opens `path` (`-`: standard input). A symbolic link is refused unless `followLinks`, as gzip
    /// does; anything but a regular file is refused (before it is opened: a FIFO would block).
    init(_ path: String, followLinks: Bool) throws {
        if path == "-" {
            file = nil
            size = nil
            attributes = .standardInput
            return
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw CLIError(String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard followLinks else { throw CLIError("is a symbolic link -- ignored") }
            guard stat(path, &info) == 0 else { throw CLIError(String(cString: strerror(errno))) }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CLIError("not a regular file") }
        do {
            // O_NOFOLLOW: a link put in the file's place since the check is not followed either.
            file = try OpenedFile(path: path, flags: O_RDONLY | (followLinks ? 0 : O_NOFOLLOW))
        } catch {
            throw CLIError("cannot open: \(error)")
        }
        size = UInt64(info.st_size)
        attributes = FileAttributes(info)
    }

    /// Everything left to read (for pixel mode, which holds the whole image).
    func readAll() throws -> [UInt8] { try withExtendedLifetime(file) { try readAllBytes(descriptor) } }
}

/// Everything left to read from `descriptor`; throws errno's message on a read error.
func readAllBytes(_ descriptor: Int32) throws -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if got < 0 && errno == EINTR { continue }
        guard got >= 0 else { throw CLIError(String(cString: strerror(errno))) }
        if got == 0 { return bytes }
        bytes += buffer[..<got]
    }
}

/// A file descriptor this process opened, closed by `close()` or else when the object goes.
final class OpenedFile {
    let descriptor: Int32
    private var isOpen = true

    /// Opens `path`; throws with errno's message if it cannot.
    init(path: String, flags: Int32) throws {
        descriptor = open(path, flags)
        guard descriptor >= 0 else { throw CLIError(String(cString: strerror(errno))) }
    }

    /// Everything left to read.
    func readToEnd() throws -> [UInt8] { try withExtendedLifetime(self) { try readAllBytes(descriptor) } }

    /// Takes over a descriptor opened elsewhere.
    init(adopting descriptor: Int32) { self.descriptor = descriptor }

    /// Closes now; throws errno's message if the system reports a failure (a delayed write error).
    func close() throws {
        isOpen = false
        guard systemClose(descriptor) == 0 else { throw CLIError(String(cString: strerror(errno))) }
    }

    deinit { if isOpen { _ = systemClose(descriptor) } }
}

/// Whether both paths name one existing file (the same device and inode: also through links).
func isSameFile(_ a: String, _ b: String) -> Bool {
    var infoA = stat(), infoB = stat()
    guard stat(a, &infoA) == 0, stat(b, &infoB) == 0 else { return false }
    return infoA.st_dev == infoB.st_dev && infoA.st_ino == infoB.st_ino
}

/// Removes a file; throws errno's message if it cannot.
func removeFile(_ path: String) throws {
    guard unlink(path) == 0 else { throw CLIError("cannot remove \(path): \(String(cString: strerror(errno)))") }
}

/// `--rm`'s removal of an input once its output is complete: never standard input, and never a symbolic
/// link (an input read through one with -f), which stays with a note.
func removeInputFile(_ path: String) throws {
    guard path != "-" else { return }
    var info = stat()
    if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
        Console.error("\(path): is a symbolic link; not removed")
        return
    }
    try removeFile(path)
}

/// The processors online, as `-T 0` uses them (sysconf). Foundation's count, used before, may differ under
/// CPU affinity or cgroup limits; that changes the speed only, as the output is the same for every thread count.
func availableProcessors() -> Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

/// C's close(2), which `OpenedFile.close()` hides inside the class.
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }

/// The destination of one run: a safe output file or standard output.
enum Destination {
    case file(OutputFile)
    case standardOutput

    var descriptor: Int32 {
        switch self {
        case .file(let file): return file.descriptor
        case .standardOutput: return STDOUT_FILENO
        }
    }

    func commit() throws {
        if case .file(let file) = self { try file.commit() }
    }

    /// Whether it is a new output file (which `SparseSink` may write).
    var isFile: Bool {
        if case .file = self { return true }
        return false
    }

    /// Opens the destination for `input`, a file that will take `attributes`: `defaultPath` gives the
    /// output path when no `-o` names it.
    static func open(for input: String, options: FileOptions, attributes: FileAttributes,
                     defaultPath: () throws -> String) throws -> Destination {
        if options.toStandardOutput || (input == "-" && options.output == nil) { return .standardOutput }
        let path = try options.output ?? defaultPath()
        if input != "-" && isSameFile(path, input) { throw CLIError("input and output are the same file") }
        let file = try OutputFile(path: path, force: options.force, mode: attributes.mode)
        file.attributes = attributes
        return .file(file)
    }
}
