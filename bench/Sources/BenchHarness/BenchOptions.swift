import Foundation

/// The command line of `flowzip-bench` (everything but the `coder` subcommand).
public struct BenchOptions: Equatable, Sendable {
    /// Files or directories to run on.
    public var inputs: [String] = ["corpora/data"]
    /// Where CSV, Markdown and SVG go; nil: a new scratch folder (`resultsFolder()`), so a run never
    /// overwrites the committed bench/results unless `--out bench/results` asks for it.
    public var outputDirectory: String?
    /// A small subset (the three smallest files of each corpus) and short timings: about a minute.
    public var quick = false
    /// Only codecs whose name starts with one of these (all when empty).
    public var codecPrefixes: [String] = []
    /// Only files of this split of corpora/MANIFEST (train, validation, test); all when nil.
    public var split: String?
    /// In-process codecs repeat for at least this long (best time kept).
    public var minSeconds = 0.2
    /// Print usage and stop.
    public var help = false

    /// The help text `--help` prints.
    public static let usage = """
    usage: flowzip-bench [--quick] [--out DIR] [--codecs PREFIX,...] [--split NAME] [--min-time S] [DIR|FILE ...]
           flowzip-bench coder ...

    Runs every applicable codec on every file (default: corpora/data) and writes per corpus a CSV,
    a Markdown table and an SVG plot of ratio against decode speed to DIR, plus summary.md. Without
    --out they go to a new scratch folder (printed at the end); --out bench/results updates the
    committed results. Peer tools (optipng cwebp cjxl flac wavpack xz) are used when installed.
      --quick          the three smallest files of each corpus, short timings (about a minute)
      --codecs LIST    only codecs whose name starts with one of the comma-separated prefixes
      --split NAME     only files listed under NAME (train, validation, test) in corpora/MANIFEST
      --min-time S     repeat each in-process encode/decode for at least S seconds (default 0.2)
    """

    /// The defaults: all of corpora/data, results to a scratch folder.
    public init() {}

    /// Parses `arguments` (without the program name).
    public init(parsing arguments: [String]) throws {
        var inputs: [String] = []
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let v = rest.popFirst() else { throw BenchError.usage("\(flag) needs a value\n\n\(BenchOptions.usage)") }
            return v
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": quick = true
            case "--out", "-o": outputDirectory = try value(argument)
            case "--codecs": codecPrefixes = try value(argument).split(separator: ",").map(String.init)
            case "--split": split = try value(argument)
            case "--min-time":
                let text = try value(argument)
                guard let s = Double(text), s >= 0 else { throw BenchError.usage("--min-time needs seconds ≥ 0, not '\(text)'") }
                minSeconds = s
            case "-h", "--help": help = true
            default:
                if argument.hasPrefix("-") { throw BenchError.usage("unknown option '\(argument)'\n\n\(BenchOptions.usage)") }
                inputs.append(argument)
            }
        }
        if !inputs.isEmpty { self.inputs = inputs }
        if quick && !arguments.contains("--min-time") { minSeconds = 0.02 }
    }

    /// The folder to write to: `--out`'s, else a new empty one under the temporary directory.
    public func resultsFolder() throws -> String {
        if let outputDirectory { return outputDirectory }
        var template = Array((NSTemporaryDirectory() + "flowzip-bench-results-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw BenchError.unwritable(NSTemporaryDirectory())
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
