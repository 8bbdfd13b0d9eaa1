import CommandLineOptions
import Foundation
import Testing
@testable import FlowZipCLI

/// The man page and the shell completions come from the option tables (issue 16): the committed files
/// are what the binary writes now, and every option of every table is in each of them.
@Suite struct GeneratedDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The committed file (repository path) and the hidden command that writes it.
    static let files: [(path: String, arguments: [String])] = [
        ("docs/flowzip.1", ["--generate-man"]),
        ("completions/flowzip.bash", ["--generate-completions", "bash"]),
        ("completions/_flowzip", ["--generate-completions", "zsh"]),
        ("completions/flowzip.fish", ["--generate-completions", "fish"]),
    ]

    @Test func committedFilesAreWhatTheBinaryWrites() throws {
        let dir = try Scratch()
        for (path, arguments) in Self.files {
            let generated = try FlowZipProcess.run(arguments, in: dir.url)
            #expect(generated.status == 0, "\(arguments): \(generated.stderr)")
            let committed = try Data(contentsOf: Self.root.appendingPathComponent(path))
            #expect(same(generated.stdout, committed),
                     "\(path) is stale: run `flowzip \(arguments.joined(separator: " ")) > \(path)`")
        }
        #expect(try FlowZipProcess.run(["--generate-completions", "tcsh"], in: dir.url).status == 2)
    }

    /// Every name of every option of every table, as each file writes it.
    @Test func everyOptionIsInTheManPageAndEveryCompletion() throws {
        let man = Generated.manPage(), bash = Generated.bashCompletion()
        let zsh = Generated.zshCompletion(), fish = Generated.fishCompletion()
        let tables = Command.allCases.map(\.options) + [Request.gzipOptions]
        var checked = 0
        for spec in tables.flatMap(\.options) {
            for long in [spec.long] + spec.aliases {
                #expect(man.contains(Generated.roff("--\(long)")), "man page: --\(long)")  // roff escapes every dash
                #expect(bash.contains(" --\(long) ") || bash.contains(" --\(long)'"), "bash: --\(long)")
                #expect(zsh.contains("'--\(long)[") || zsh.contains("'--\(long)="), "zsh: --\(long)")
                #expect(fish.contains(" -l \(long) "), "fish: --\(long)")
                checked += 1
            }
            if let short = spec.short {
                #expect(man.contains("\\-\(short)"), "man page: -\(short)")
                #expect(bash.contains("'-\(short) ") || bash.contains(" -\(short) "), "bash: -\(short)")
                #expect(zsh.contains("'-\(short)"), "zsh: -\(short)")
                #expect(fish.contains(" -s \(short) "), "fish: -\(short)")
            }
        }
        #expect(checked > 40)
        for command in Command.allCases {
            #expect(bash.contains(command.rawValue) && zsh.contains("'\(command.rawValue):") && fish.contains("-a \(command.rawValue) "))
        }
    }

    /// groff reads the man page without a warning (where groff is installed).
    @Test func manPageFormatsWithoutWarnings() throws {
        guard let groff = ["/usr/bin/groff", "/usr/local/bin/groff"].first(where: FileManager.default.isExecutableFile) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: groff)
        process.arguments = ["-man", "-ww", "-z", Self.root.appendingPathComponent("docs/flowzip.1").path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let warnings = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && warnings.isEmpty, "\(warnings)")
    }
}
