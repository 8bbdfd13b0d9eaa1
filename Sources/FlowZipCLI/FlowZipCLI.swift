import CommandLineOptions
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `flowzip`: gzip/zstd-style command line over the FlowZip library.
/// Exit status: 0 success, 1 bad input or I/O error, 2 usage error.
///
/// The command line is read by our own small parser (`CommandLineOptions`), not swift-argument-parser:
/// that one built its argument sets by reflection on every run, 15 M of a process's 24 M start-up
/// instructions (bench/results/startup.md).
@main
enum FlowZipCLI {
    /// The newest released version in CHANGELOG.md (VersionTests checks they agree).
    static let version = "0.2.0"

    static func main() {
        do {
            // The hidden commands that write the man page and completions (Generated.swift).
            do {
                if let text = try Generated.text(Array(CommandLine.arguments.dropFirst())) {
                    print(text, terminator: "")
                    return
                }
            } catch let error as UsageError {
                throw CommandLineProblem(error: error, command: nil)
            }
            let arguments = Request.impliedArguments(program: CommandLine.arguments.first ?? "flowzip")
                + CommandLine.arguments.dropFirst()
            switch try Request(arguments) {
            case .help(let command):
                print(command?.help ?? rootHelp)
            case .version:
                print(version)
            case .run(let command, let parsed):
                try command.run(parsed)
            }
        } catch let failure as CommandFailure {
            exit(failure.status)
        } catch let problem as CommandLineProblem {
            Console.error(problem.error.description)
            let usage = problem.command?.usage ?? "Usage: flowzip [COMMAND] [OPTIONS] [FILE...]"
            let help = problem.command.map { "flowzip help \($0.rawValue)" } ?? "flowzip help"
            Console.writeStandardError("\(usage)\nTry '\(help)' for more information.\n")
            exit(2)
        } catch {
            Console.error("\(error)")
            exit(1)
        }
    }
}

extension Command {
    /// Builds the command from its options (which may still find them wrong) and runs it.
    func run(_ parsed: ParsedArguments) throws {
        let command: () throws -> Void
        do {
            switch self {
            case .compress: command = try Compress(parsed).run
            case .decompress: command = try Decompress(parsed).run
            case .info: command = try Info(parsed).run
            case .train: command = try Train(parsed).run
            }
        } catch let error as UsageError {
            throw CommandLineProblem(error: error, command: self)
        }
        try command()
    }
}

/// Thrown after the per-file errors were already reported, to set the exit status.
struct CommandFailure: Error {
    var status: Int32 = 1
}
