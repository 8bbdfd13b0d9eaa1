import CommandLineOptions
import Testing
@testable import FlowZipCLI

/// How flowzip picks the command from a command line: the gzip habits (`-d`, `-t`, `-l` anywhere),
/// command names, help and version.
@Suite struct RequestTests {
    func command(_ arguments: String...) throws -> Command? {
        if case .run(let command, _) = try Request(arguments) { return command }
        return nil
    }

    func problem(_ arguments: String...) -> CommandLineProblem? {
        do {
            _ = try Request(arguments)
            return nil
        } catch {
            return error as? CommandLineProblem
        }
    }

    @Test func gzipFlagsChooseTheCommandAnywhere() throws {
        #expect(try command("a.txt") == .compress)
        #expect(try command() == .compress)
        #expect(try command("-dc", "a.fz") == .decompress)
        #expect(try command("a.fz", "-c", "--uncompress") == .decompress)
        #expect(try command("-cd", "a.fz") == .decompress)
        #expect(try command("-tq", "a.fz") == .decompress)
        #expect(try command("-l", "a.fz") == .info)
        #expect(try command("--list", "a.fz", "b.fz") == .info)
        #expect(try command("--", "-d") == .compress)  // after `--`, -d is a file
        #expect(try command("decompress", "-t", "a.fz") == .decompress)
        #expect(try command("info", "a.fz") == .info)
        #expect(try command("train", "dir", "-o", "m.fzm") == .train)
    }

    @Test func optionsMustBelongToTheChosenCommand() {
        #expect(problem("-d", "--method", "zstd", "a.fz")?.command == .decompress)
        #expect(problem("-d", "-19", "a.fz")?.error == .invalid("-19 is not an option of flowzip decompress"))
        #expect(problem("-c", "-l", "a.fz")?.error == .invalid("-c is not an option of flowzip info (-l)"))
        #expect(problem("compress", "-d", "a.fz")?.error == .unknownOption("-d"))
        #expect(problem("decompress", "-d", "a.fz")?.error == .unknownOption("-d"))
        #expect(problem("train", "dir", "-o", "m.fzm", "--level", "3")?.command == .train)
        #expect(problem("--no-such-option", "a")?.command == .compress)
        #expect(problem("-dk", "--bogus")?.command == .decompress)  // the usage shown is the one meant
    }

    @Test func helpAndVersionWinAnywhereBeforeDoubleDash() throws {
        #expect(try Request(["--help"]) == .help(nil))
        #expect(try Request(["-h"]) == .help(nil))
        #expect(try Request(["help"]) == .help(nil))
        #expect(try Request(["help", "train"]) == .help(.train))
        #expect(try Request(["a.txt", "--help"]) == .help(.compress))
        #expect(try Request(["-d", "--help"]) == .help(.decompress))
        #expect(try Request(["-l", "-h"]) == .help(.info))
        #expect(try Request(["--bogus", "--help"]) == .help(.compress))
        #expect(try Request(["-kh"]) == .help(.compress))
        #expect(try Request(["info", "--version"]) == .version)
        #expect(try Request(["--bogus", "--version"]) == .version)
        #expect(try command("--", "--help") == .compress)
        #expect(problem("help", "nosuch").map { $0.command == nil } == true)  // flowzip's usage, not a command's
    }

    @Test func everyOptionIsInItsCommandsHelp() {
        for command in Command.allCases {
            for option in command.options.options {
                #expect(command.help.contains(option.synopsis), "\(command): \(option.long)")
            }
            #expect(command.help.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(command)")
        }
        #expect(rootHelp.split(separator: "\n").allSatisfy { $0.count <= 80 })
        for command in Command.allCases { #expect(rootHelp.contains("  \(command.rawValue) ")) }
    }

    @Test func commandsReadTheirOptions() throws {
        guard case .run(_, let parsed) = try Request(["-19", "-T2", "--method=zstd", "-kv", "--chunk-size", "64", "a"]) else {
            Issue.record("not a run")
            return
        }
        let compress = try Compress(parsed)
        #expect(compress.level == 19 && compress.method == .zstd && compress.chunkSizeKiB == 64)
        #expect(compress.files.threads == 2 && compress.files.keep && compress.files.verbose && compress.files.files == ["a"])
        #expect(throws: UsageError.invalid("--rm and -k exclude each other")) {
            try Compress(try parseArguments(["--rm", "-k"], table: Compress.options))
        }
        #expect(throws: UsageError.invalid("-T takes 0...256")) {
            try Decompress(try parseArguments(["-T300"], table: Decompress.options))
        }
        let train = try Train(try parseArguments(["d", "-o", "m", "--lr=0.01", "--seed", "5"], table: Train.options))
        #expect(train.learningRate == 0.01 && train.seed == 5 && train.steps == 4000 && train.output == "m")
    }
}
