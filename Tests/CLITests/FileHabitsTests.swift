import Foundation
import Testing

/// Whether two outputs are equal. (A failed `#expect(a == b)` on large `Data` has Swift Testing diff
/// them byte by byte, which takes minutes.)
func same(_ a: Data, _ b: Data) -> Bool { a == b }

/// The gzip/zstd habits of file handling (issue 16), end to end through the real `flowzip` process.
@Suite struct FileHabitsTests {
    /// A usage error exits 2 before any file is read or written: here the input does not even exist,
    /// so a run that opened it first would exit 1 with "No such file".
    @Test func usageErrorsExitTwoBeforeAnyFileIsTouched() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        let lines: [[String]] = [
            ["-23", "missing"], ["--level", "0", "missing"], ["--chunk-size", "100", "missing"],
            ["--chunk-size", "32", "missing"], ["--chunk-size", "131072", "missing"], ["--no-such-option", "missing"],
            ["missing", "-x"], ["-d", "-9", "missing.fz"], ["-T", "999", "missing"],
        ]
        for line in lines {
            let result = try FlowZipProcess.run(line, in: dir.url)
            #expect(result.status == 2, "\(line): \(result.stderr)")
            #expect(result.stderr.contains("Usage: flowzip"), "\(line): \(result.stderr)")
            #expect(!result.stderr.contains("No such file"), "\(line): \(result.stderr)")
        }
        // The same mistakes beside a file that exists leave it alone and write nothing.
        #expect(try dir.run("-23", "a").status == 2)
        #expect(try dir.run("--chunk-size", "100", "a").status == 2)
        #expect(try dir.names() == ["a"])
    }

    /// `-o -` is standard output, as in zstd; it never makes a file named `-`.
    @Test func outputDashIsStandardOutput() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        let packed = try dir.run("-o", "-", "a")
        #expect(packed.status == 0, "\(packed.stderr)")
        #expect(try dir.names() == ["a"])
        try dir.write("a.fz", packed.stdout)
        let unpacked = try dir.run("-d", "-o", "-", "a.fz")
        #expect(unpacked.status == 0 && same(unpacked.stdout, text))
        #expect(same(try dir.run("-d", "-o-", "a.fz").stdout, text))
        #expect(try dir.names() == ["a", "a.fz"])
    }
}

extension FileHabitsTests {
    /// The output file takes its input's modification time and permission bits, compressing and
    /// decompressing, as with gzip and zstd.
    @Test func outputsKeepTheInputsTimeAndPermissions() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        let then = Date(timeIntervalSince1970: 1_000_000_000)  // 2001-09-09
        try setAttributes(dir.file("a"), modified: then, permissions: 0o640)
        #expect(try dir.run("a").status == 0)
        #expect(try attributes(dir.file("a.fz")) == Attributes(modified: then, permissions: 0o640))

        // Decompressing takes the .fz file's, whatever they are now.
        let later = Date(timeIntervalSince1970: 1_100_000_000.5)
        try setAttributes(dir.file("a.fz"), modified: later, permissions: 0o604)
        try FileManager.default.removeItem(at: dir.file("a"))
        #expect(try dir.run("-d", "a.fz").status == 0)
        #expect(try attributes(dir.file("a")) == Attributes(modified: later, permissions: 0o604))
        #expect(same(try dir.read("a"), text))

        // The same through -o.
        #expect(try dir.run("-d", "-o", "b", "a.fz").status == 0)
        #expect(try attributes(dir.file("b")) == Attributes(modified: later, permissions: 0o604))
    }

    struct Attributes: Equatable {
        var modified: Date
        var permissions: Int
    }

    func attributes(_ url: URL) throws -> Attributes {
        let found = try FileManager.default.attributesOfItem(atPath: url.path)
        return Attributes(modified: found[.modificationDate] as! Date, permissions: (found[.posixPermissions] as! NSNumber).intValue)
    }

    func setAttributes(_ url: URL, modified: Date, permissions: Int) throws {
        try FileManager.default.setAttributes([.modificationDate: modified, .posixPermissions: permissions], ofItemAtPath: url.path)
    }
}

extension FileHabitsTests {
    /// `cat a.fz b.fz | flowzip -d` gives a then b, as with gzip and zstd; so does a file holding both.
    @Test func concatenatedStreamsDecodeOneAfterAnother() throws {
        let dir = try Scratch()
        let second = Data("a second, shorter file\n".utf8)
        try dir.write("a", text)
        try dir.write("b", second)
        #expect(try dir.run("a", "b").status == 0)
        let both = try dir.read("a.fz") + dir.read("b.fz")
        let piped = try dir.run("-dc", stdin: both)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(same(piped.stdout, text + second))
        try dir.write("ab.fz", both + dir.read("a.fz"))
        #expect(try dir.run("-d", "ab.fz").status == 0)
        #expect(same(try dir.read("ab"), text + second + text))
        #expect(try dir.run("-t", "ab.fz").status == 0)
    }

    /// Bytes after a stream that are not another stream: an error that says how many, and no output file.
    @Test func trailingDataIsCountedAndLeavesNoOutput() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("a").status == 0)
        let stream = try dir.read("a.fz")
        try dir.write("x.fz", stream + Data("hello world\n".utf8))
        let result = try dir.run("-d", "x.fz")
        #expect(result.status == 1)
        #expect(result.stderr == "flowzip: x.fz: 12 bytes of trailing data after the stream (not a FlowZip stream)\n")
        #expect(!dir.exists("x"))
        try dir.write("y.fz", stream + stream + Data([0]))
        let afterTwo = try dir.run("-t", "y.fz")
        #expect(afterTwo.status == 1)
        #expect(afterTwo.stderr.contains("y.fz: 1 byte of trailing data after stream 2"))
        // Through a pipe too.
        #expect(try dir.run("-dc", stdin: stream + Data(count: 70_000)).stderr.contains("70000 bytes of trailing data"))
        #expect(try dir.names() == ["a", "a.fz", "x.fz", "y.fz"])
    }

    /// A changed byte is "corrupt", a stream cut short "truncated", as the library's error codes say,
    /// also when the stream is not the first of a concatenation.
    @Test func damageIsCorruptAndACutIsTruncated() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("a").status == 0)
        let stream = try dir.read("a.fz")
        var flipped = stream
        flipped[stream.count / 2] ^= 0x10
        for (name, data, word) in [("flip.fz", flipped, "corrupt stream"), ("cut.fz", stream.prefix(stream.count - 3), "truncated stream"),
                                   ("then-flip.fz", stream + flipped, "corrupt stream"),
                                   ("then-cut.fz", stream + stream.prefix(stream.count / 2), "truncated stream")] {
            try dir.write(name, data)
            let result = try dir.run("-d", name)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("flowzip: \(name): \(word): "), "\(result.stderr)")
            #expect(!dir.exists(String(name.dropLast(3))))
        }
    }
}

extension FileHabitsTests {
    /// A symbolic link as input is refused unless -f, as gzip does; and `--rm` never removes a link.
    @Test func symbolicLinksAreRefusedUnlessForced() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("a").status == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link").path, withDestinationPath: "a")
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.fz").path, withDestinationPath: "a.fz")
        let refused = try dir.run("link")
        #expect(refused.status == 1)
        #expect(refused.stderr == "flowzip: link: is a symbolic link -- ignored\n")
        let refusedToo = try dir.run("-dc", "link.fz")
        #expect(refusedToo.status == 1 && refusedToo.stdout.isEmpty)
        #expect(refusedToo.stderr == "flowzip: link.fz: is a symbolic link -- ignored\n")
        #expect(try dir.names() == ["a", "a.fz", "link", "link.fz"])

        // -f follows the link; --rm then keeps it (and its target), saying so.
        #expect(same(try dir.run("-dcf", "link.fz").stdout, text))
        let forced = try dir.run("-f", "--rm", "-o", "b.fz", "link")
        #expect(forced.status == 0)
        #expect(forced.stderr.contains("link: is a symbolic link; not removed"), "\(forced.stderr)")
        #expect(try dir.names() == ["a", "a.fz", "b.fz", "link", "link.fz"])
        #expect(same(try dir.run("-dc", "b.fz").stdout, text))
    }

    /// `-d` does not read compressed data from a terminal (as zstd), unless -f.
    @Test func decompressionRefusesATerminalOnStandardInput() throws {
        let dir = try Scratch()
        let (master, terminal) = try openTerminal()
        defer { close(master) }
        for arguments in [["-d"], ["-dc", "-"], ["-t"], ["info", "-"]] {
            let process = Process()
            process.executableURL = FlowZipProcess.binary
            process.arguments = arguments
            process.currentDirectoryURL = dir.url
            process.standardInput = terminal
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            // A run that reads the terminal would wait for ever: give it 20 s.
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                process.terminate()
                Issue.record("\(arguments): still reading the terminal")
            }
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 1, "\(arguments)")
            #expect(message == "flowzip: (stdin): refusing to read compressed data from a terminal; use -f to force\n"
                    || arguments == ["info", "-"] && message.contains("refusing to read compressed data from a terminal"),
                    "\(arguments): \(message)")
        }
    }
}

/// A new pseudo-terminal: its master descriptor and its terminal end. (Linux's ioctls: Glibc as Swift
/// imports it hides grantpt, unlockpt and ptsname.)
func openTerminal() throws -> (Int32, FileHandle) {
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    var unlock: Int32 = 0, number: UInt32 = 0
    let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430  // _IOW('T', 0x31, int), _IOR('T', 0x30, unsigned)
    guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0,
          let terminal = FileHandle(forUpdatingAtPath: "/dev/pts/\(number)") else {
        throw CocoaError(.fileReadUnknown)
    }
    #expect(isatty(terminal.fileDescriptor) == 1)
    return (master, terminal)
}

extension FileHabitsTests {
    /// Called `unflowzip`, flowzip decompresses; called `flowcat`, it decompresses to standard output
    /// (gzip's gunzip and zcat). The name is the last part of the path it was started by.
    @Test func programNamesChooseTheCommand() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("a").status == 0)
        for name in ["unflowzip", "flowcat", "fz"] {
            try FileManager.default.createSymbolicLink(at: dir.file(name), withDestinationURL: FlowZipProcess.binary)
        }
        let cat = try FlowZipProcess.run(programPath: dir.file("flowcat").path, ["a.fz"], in: dir.url)
        #expect(cat.status == 0 && same(cat.stdout, text), "\(cat.stderr)")
        let piped = try FlowZipProcess.run(programPath: dir.file("flowcat").path, [], in: dir.url, stdin: try dir.read("a.fz"))
        #expect(same(piped.stdout, text))
        try FileManager.default.removeItem(at: dir.file("a"))
        let un = try FlowZipProcess.run(programPath: dir.file("unflowzip").path, ["a.fz"], in: dir.url)
        #expect(un.status == 0, "\(un.stderr)")
        #expect(same(try dir.read("a"), text))
        // Any other name is flowzip.
        let other = try FlowZipProcess.run(programPath: dir.file("fz").path, ["-o", "b.fz", "a"], in: dir.url)
        #expect(other.status == 0)
        #expect(same(try dir.read("b.fz"), try dir.read("a.fz")))
    }
}

/// Levels as zstd has them: ordinary bytes default to zstd's default level, 3; `--best` is 19, `--fast`
/// 1; the last of `-N`, `--level`, `--best` and `--fast` counts.
@Suite struct LevelTests {
    @Test func ordinaryBytesDefaultToZstdsDefaultLevel() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        let byDefault = try dir.run("-c", "a").stdout
        #expect(same(byDefault, try dir.run("-c", "-3", "a").stdout))
        #expect(!same(byDefault, try dir.run("-c", "-19", "a").stdout))
        #expect(same(try dir.run("-c", "--best", "a").stdout, try dir.run("-c", "-19", "a").stdout))
        #expect(same(try dir.run("-c", "--fast", "a").stdout, try dir.run("-c", "-1", "a").stdout))
        #expect(same(try dir.run("-c", "--fast=1", "a").stdout, try dir.run("-c", "-1", "a").stdout))
        #expect(same(try dir.run("-c", "--best", "-5", "a").stdout, try dir.run("-c", "-5", "a").stdout))
        #expect(same(try dir.run("-c", "-5", "--best", "a").stdout, try dir.run("-c", "-19", "a").stdout))
        // zlib keeps its own default, 9, unless a level is given.
        #expect(same(try dir.run("-c", "--method", "zlib", "a").stdout, try dir.run("-c", "--method", "zlib", "-9", "a").stdout))
        // zstd's negative levels (--fast=2 and up) are not offered: a usage error, not a silent level 1.
        let faster = try dir.run("--fast=2", "a")
        #expect(faster.status == 2 && faster.stderr.contains("--fast=2"), "\(faster.stderr)")
        #expect(try dir.run("--fast=x", "a").status == 2)
        #expect(try dir.run("-d", "--best", "a.fz").status == 2)
        #expect(try dir.names() == ["a"])
    }

    /// An image gets the flow at its usual search whatever the generic level: the same stream at the
    /// default level, at -1 and at -19.
    @Test func imagesKeepTheFlowWhateverTheGenericLevel() throws {
        let dir = try Scratch()
        try dir.write("i.pgm", gradientImage())
        let byDefault = try dir.run("-c", "i.pgm")
        #expect(byDefault.status == 0)
        try dir.write("i.pgm.fz", byDefault.stdout)
        #expect(String(decoding: try dir.run("info", "i.pgm.fz").stdout, as: UTF8.self).contains(" flow "))
        #expect(same(byDefault.stdout, try dir.run("-c", "--fast", "i.pgm").stdout))
        #expect(same(byDefault.stdout, try dir.run("-c", "-19", "i.pgm").stdout))
    }

    /// An image the generic methods code better than the flow (a tile repeated, as in screenshots)
    /// keeps zstd -19 at the default level: the fast default is for ordinary bytes only.
    @Test func imagesThatGoToZstdKeepLevel19ByDefault() throws {
        let dir = try Scratch()
        var state: UInt32 = 11
        let tile = (0..<(16 * 16)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        var pixels = [UInt8](repeating: 0, count: 256 * 256)
        for y in 0..<256 { for x in 0..<256 { pixels[y * 256 + x] = tile[(y % 16) * 16 + x % 16] } }
        try dir.write("t.pgm", Data("P5\n256 256\n255\n".utf8) + Data(pixels))
        let byDefault = try dir.run("-c", "t.pgm")
        try dir.write("t.pgm.fz", byDefault.stdout)
        #expect(String(decoding: try dir.run("info", "t.pgm.fz").stdout, as: UTF8.self).contains("zstd"))
        #expect(same(byDefault.stdout, try dir.run("-c", "-19", "t.pgm").stdout))
        #expect(!same(byDefault.stdout, try dir.run("-c", "-3", "t.pgm").stdout))
    }

    /// A 256x256 8-bit PGM: a smooth gradient with a little noise, which the flow codes well.
    func gradientImage() -> Data {
        var state: UInt32 = 7
        let pixels = (0..<(256 * 256)).map { i -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: (i % 256 + i / 256) / 2 + Int(state >> 30))
        }
        return Data("P5\n256 256\n255\n".utf8) + Data(pixels)
    }
}
