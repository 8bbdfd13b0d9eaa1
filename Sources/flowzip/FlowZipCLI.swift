import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `flowzip`: gzip/zstd-style command line over the FlowZip library.
/// Exit status: 0 success, 1 bad input or I/O error, 2 usage error.
@main
struct FlowZipCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowzip",
        abstract: "Lossless compression with integer normalizing flows (images) and zstd/zlib (everything else).",
        discussion: """
            `flowzip FILE` compresses FILE to FILE.fz; `flowzip -d FILE.fz` restores it.
            With no FILE, or FILE `-`, reads standard input and writes standard output.
            """,
        version: "0.1.0",
        subcommands: [Compress.self, Decompress.self, Info.self, Train.self],
        defaultSubcommand: Compress.self)

    static func main() {
        let arguments = normalize(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as CommandFailure {
            terminate(failure.status)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                terminate(0)
            }
            Console.writeStandardError("\(fullMessage(for: error))\n")
            terminate(2)
        }
    }

    /// gzip/zstd habits the parser does not know: `-d` anywhere selects decompression, `-t` the
    /// integrity test, `-l` the listing (`info`), clusters of one-letter flags split (`-dc` is `-d -c`), `-19` means
    /// `--level 19`, `-T2` means `--threads 2`. Everything after `--` is a file name.
    static func normalize(_ arguments: [String]) -> [String] {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        var options = arguments[..<end].flatMap { argument -> [String] in
            if isFlag(argument, "-") { return ["--level=\(argument.dropFirst())"] }
            if isFlag(argument, "-T") { return ["--threads=\(argument.dropFirst(2))"] }
            if isCluster(argument) { return argument.dropFirst().map { "-\($0)" } }
            return [argument]
        }
        let files = arguments[end...]
        let subcommands = ["compress", "decompress", "info", "train", "help"]
        if let first = options.first, subcommands.contains(first) { return options + files }
        let listFlags: Set<String> = ["-l", "--list"]
        if options.contains(where: listFlags.contains) {
            options.removeAll(where: listFlags.contains)
            return ["info"] + options + files
        }
        let decompressFlags: Set<String> = ["-d", "--decompress", "--uncompress"]
        let testFlags: Set<String> = ["-t", "--test"]
        if options.contains(where: { decompressFlags.contains($0) || testFlags.contains($0) }) {
            options.removeAll(where: decompressFlags.contains)
            return ["decompress"] + options + files
        }
        return options + files
    }

    /// Whether `argument` is `prefix` and then one or more ASCII digits. (Not a regular expression:
    /// compiling one took a quarter of the process's start-up instructions.)
    static func isFlag(_ argument: String, _ prefix: String) -> Bool {
        guard argument.hasPrefix(prefix) else { return false }
        let digits = argument.utf8.dropFirst(prefix.utf8.count)
        return !digits.isEmpty && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Whether `argument` is two or more of the one-letter flags that take no value, as in `-dc`.
    static func isCluster(_ argument: String) -> Bool {
        let letters = argument.dropFirst()
        return argument.hasPrefix("-") && letters.count >= 2 && letters.allSatisfy { "cdfkqtv".contains($0) }
    }
}

/// C's exit(3), by a name that ParsableCommand's own `exit(withError:)` does not hide.
private func terminate(_ status: Int32) -> Never { exit(status) }

/// Thrown after the per-file errors were already reported, to set the exit status.
struct CommandFailure: Error {
    var status: Int32 = 1
}
