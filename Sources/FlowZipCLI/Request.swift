import CommandLineOptions

/// flowzip's commands; `compress` is the default.
enum Command: String, CaseIterable {
    case compress, decompress, info, train

    var options: OptionTable {
        switch self {
        case .compress: Compress.options
        case .decompress: Decompress.options
        case .info: Info.options
        case .train: Train.options
        }
    }
}

/// `--help` and `--version`, which every command takes.
let commonOptions: [OptionSpec] = [
    .flag("version", help: "Show the version."),
    .flag("help", short: "h", help: "Show this help."),
]

/// A usage error and the command whose usage to show beside it (nil: flowzip's).
struct CommandLineProblem: Error {
    var error: UsageError
    var command: Command?
}

/// What a command line asks for.
enum Request: Equatable {
    /// Help on one command, or on flowzip as a whole (nil).
    case help(Command?)
    case version
    case run(Command, ParsedArguments)

    /// The gzip habits: without a command name, `-d` (`--decompress`, `--uncompress`) anywhere means
    /// decompress, `-t` (`--test`) test, and `-l` (`--list`) info; otherwise compress. So the command
    /// line is read against all their options together, and then must use only the chosen command's.
    static let gzipOptions = Compress.options.merged(with: Decompress.options).merged(with: OptionTable([
        .flag("decompress", short: "d", aliases: ["uncompress"], help: "Decompress."),
        .flag("list", short: "l", help: "List streams, one line each (-lv: flowzip info)."),
    ]))

    /// Reads a command line (without the program name). `--help` or `-h` anywhere before `--` asks for
    /// help, even beside mistakes; then `--version`; then the command runs. Throws `CommandLineProblem`.
    init(_ arguments: [String]) throws {
        if arguments.first == "help" {
            guard let name = arguments.dropFirst().first, name != "help" else {
                self = .help(nil)
                return
            }
            guard let command = Command(rawValue: name) else {
                let names = Command.allCases.map(\.rawValue).joined(separator: ", ")
                throw CommandLineProblem(error: .invalid("no command '\(name)' (the commands are \(names))"), command: nil)
            }
            self = .help(command)
            return
        }
        let named = arguments.first.flatMap(Command.init(rawValue:))
        let rest = named == nil ? arguments : Array(arguments.dropFirst())
        let options = Array(rest.prefix { $0 != "--" })
        let wantsHelp = options.contains { $0 == "--help" || $0 == "-h" }
        let wantsVersion = options.contains("--version")
        // `flowzip --help` alone is about flowzip; `flowzip -d --help` or `flowzip FILE --help` about a command.
        let aboutFlowZip = named == nil && options.allSatisfy { $0 == "--help" || $0 == "-h" || $0 == "--version" }
        do {
            let parsed = try parseArguments(rest, table: named?.options ?? Self.gzipOptions)
            let command = named ?? Self.implied(by: parsed)
            if wantsHelp || parsed.has("help") {
                self = .help(aboutFlowZip ? nil : command)
            } else if wantsVersion || parsed.has("version") {
                self = .version
            } else {
                if named == nil { try Self.checkImplied(command, parsed) }
                self = .run(command, parsed)
            }
        } catch let error as UsageError {
            let command = named ?? Self.impliedLeniently(options)
            if wantsHelp {
                self = .help(aboutFlowZip ? nil : command)
            } else if wantsVersion {
                self = .version
            } else {
                throw CommandLineProblem(error: error, command: command)
            }
        }
    }

    /// What the name flowzip was started by stands for, as gzip's `gunzip` and `zcat`: `unflowzip` is
    /// `flowzip -d`, `flowcat` is `flowzip -dc`; any other name is flowzip. The name is the path's last part.
    static func impliedArguments(program path: String) -> [String] {
        switch path.split(separator: "/").last {
        case "unflowzip": ["-d"]
        case "flowcat": ["-dc"]
        default: []
        }
    }

    static func implied(by parsed: ParsedArguments) -> Command {
        if parsed.has("list") { return .info }
        if parsed.has("decompress") || parsed.has("test") { return .decompress }
        return .compress
    }

    /// `-d --level 3` is a mistake: every option must be the chosen command's (or the flag that chose it).
    static func checkImplied(_ command: Command, _ parsed: ParsedArguments) throws {
        let chooser = command == .decompress ? "decompress" : command == .info ? "list" : ""
        for option in parsed.occurrences where option.key != chooser && command.options.spec(key: option.key) == nil {
            let how = command == .info ? "flowzip info (-l)" : "flowzip \(command.rawValue)"
            throw CommandLineProblem(error: .invalid("\(option.written) is not an option of \(how)"), command: command)
        }
    }

    /// The command a line that does not parse was meant for, for its usage line: the same choice as
    /// `implied(by:)`, made on the arguments as written.
    static func impliedLeniently(_ options: [String]) -> Command {
        var letters: [Character] = []
        for argument in options where argument.hasPrefix("-") && !argument.hasPrefix("--") {
            for letter in argument.dropFirst() {
                guard let spec = gzipOptions.spec(short: letter), !spec.takesValue else { break }
                letters.append(letter)
            }
        }
        if letters.contains("l") || options.contains("--list") { return .info }
        if letters.contains("d") || letters.contains("t")
            || options.contains(where: { $0 == "--decompress" || $0 == "--uncompress" || $0 == "--test" }) { return .decompress }
        return .compress
    }
}
