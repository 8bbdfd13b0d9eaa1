import Foundation
import Testing

/// Runs the real `flowzip` binary: the one built next to this test bundle, or the one `FLOWZIP_BINARY`
/// names (to test another build of it, such as a `--static-swift-stdlib` release build).
struct FlowZipProcess {
    static let binary = ProcessInfo.processInfo.environment["FLOWZIP_BINARY"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("flowzip")

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs the binary (through `programPath`, a link to it, when given: the process sees that name as argv[0]).
    static func run(programPath: String? = nil, _ arguments: [String], in folder: URL, stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = programPath.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        // Feed and drain concurrently so large data cannot deadlock on full pipe buffers.
        let writer = Thread {
            if let stdin { input.fileHandleForWriting.write(stdin) }
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }
}

/// A fresh folder per test, removed afterwards.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("flowzip-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    func write(_ name: String, _ data: Data) throws { try data.write(to: file(name)) }
    func read(_ name: String) throws -> Data { try Data(contentsOf: file(name)) }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name).path) }
    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
    func run(_ arguments: String..., stdin: Data? = nil) throws -> FlowZipProcess.Result {
        try FlowZipProcess.run(arguments, in: url, stdin: stdin)
    }
}

let text = Data((0..<20_000).map { "line \($0): the flow of words\n" }.joined().utf8)

@Suite struct CLITests {
    @Test func compressesToDotFzAndRestoresTheExactFile() throws {
        let dir = try Scratch()
        try dir.write("notes.txt", text)
        #expect(try dir.run("notes.txt").status == 0)
        #expect(try dir.names() == ["notes.txt", "notes.txt.fz"])
        #expect(try dir.read("notes.txt.fz").count < text.count / 5)
        try FileManager.default.removeItem(at: dir.file("notes.txt"))
        #expect(try dir.run("-d", "notes.txt.fz").status == 0)
        #expect(try dir.read("notes.txt") == text)
        #expect(try dir.names() == ["notes.txt", "notes.txt.fz"])
    }

    @Test func dtypeOptionCodesRawNumbersWithTheFlow() throws {
        let dir = try Scratch()
        var seed: UInt32 = 1
        let numbers = Data((0..<30_000).flatMap { i -> [UInt8] in
            seed = seed &* 1_664_525 &+ 1_013_904_223  // a little noise on a ramp, so zstd cannot win
            let v = Int16(truncatingIfNeeded: (i % 300) * 40 - 6_000 + Int(seed >> 28))
            return [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
        })
        try dir.write("series.raw", numbers)
        #expect(try dir.run("-k", "--dtype", "int16", "--channels", "2", "series.raw").status == 0)
        let plain = try dir.run("-c", "--method", "zstd", "series.raw").stdout
        #expect(try dir.read("series.raw.fz").count < plain.count)
        #expect(String(decoding: try dir.run("info", "series.raw.fz").stdout, as: UTF8.self).contains("flowAudio"))
        #expect(try dir.run("-d", "-c", "series.raw.fz").stdout == numbers)
        #expect(try dir.run("--channels", "2", "series.raw").status == 2)
        #expect(try dir.run("--dtype", "int8", "series.raw").status == 2)
    }

    /// A WAV whose EXTENSIBLE sub-format GUID is not the standard one, and the same file cut inside a
    /// sample frame: both go through the audio flow and come back exact.
    @Test func oddAndCutWAVsGoThroughTheAudioFlow() throws {
        let dir = try Scratch()
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var seed: UInt32 = 7
        var data: [UInt8] = []
        for i in 0..<20_000 {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let v = Int(8_000 * sin(Double(i) / 17)) + Int(seed >> 29)
            data += le(v, 2) + le(-v, 2)
        }
        // Ambisonic B-format's PCM GUID, as stored.
        let guid: [UInt8] = [1, 0, 0, 0, 0x21, 0x07, 0xD3, 0x11, 0x86, 0x44, 0xC8, 0xC1, 0xCA, 0, 0, 0]
        let fmt = le(0xFFFE, 2) + le(2, 2) + le(44_100, 4) + le(44_100 * 4, 4) + le(4, 2) + le(16, 2)
            + le(22, 2) + le(16, 2) + le(3, 4) + guid
        let chunks = Array("fmt ".utf8) + le(fmt.count, 4) + fmt + Array("data".utf8) + le(data.count, 4) + data
        let wav = Array("RIFF".utf8) + le(4 + chunks.count, 4) + Array("WAVE".utf8) + chunks
        for (name, file) in [("odd.wav", wav), ("cut.wav", Array(wav.dropLast(3)))] {
            try dir.write(name, Data(file))
            #expect(try dir.run("-k", name).status == 0)
            let info = String(decoding: try dir.run("info", name + ".fz").stdout, as: UTF8.self)
            #expect(info.contains("flowAudio"), "\(name): \(info)")
            #expect(try dir.run("-d", "-c", name + ".fz").stdout == Data(file))
        }
    }

    @Test func explicitSubcommandsAndLevelShorthandWork() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("compress", "-3", "-T2", "--method", "zstd", "-o", "b.fz", "a").status == 0)
        #expect(try dir.run("decompress", "-o", "c", "b.fz").status == 0)
        #expect(try dir.read("c") == text)
        let info = try dir.run("info", "b.fz")
        #expect(info.status == 0)
        #expect(String(decoding: info.stdout, as: UTF8.self).contains("zstd"))
    }

    /// `info` names the container version: 2 for what flowzip writes today, 1 for an older golden stream.
    @Test func infoNamesTheContainerVersion() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("-q", "a").status == 0)
        let today = String(decoding: try dir.run("info", "a.fz").stdout, as: UTF8.self)
        #expect(today.contains("(container version 2), 1 chunk of up to"), "\(today)")
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FlowZipTests/Golden/alice-auto.fz")
        try dir.write("old.fz", try Data(contentsOf: golden))
        let old = String(decoding: try dir.run("info", "old.fz").stdout, as: UTF8.self)
        #expect(old.contains("(container version 1)"), "\(old)")
    }

    @Test func standardInputToStandardOutputRoundTrips() throws {
        let dir = try Scratch()
        let packed = try dir.run("-c", stdin: text)
        #expect(packed.status == 0)
        let unpacked = try dir.run("-d", "-c", stdin: packed.stdout)
        #expect(unpacked.status == 0)
        #expect(unpacked.stdout == text)
        let dash = try dir.run("-d", "-", stdin: packed.stdout)
        #expect(dash.stdout == text)
        #expect(try dir.names().isEmpty)
    }

    @Test func gzipStyleFlagClustersAndTestWork() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        try dir.write("-b", text)
        #expect(try dir.run("-kq", "a").status == 0)
        let piped = try dir.run("-dc", "a.fz")
        #expect(piped.status == 0)
        #expect(piped.stdout == text)
        #expect(try dir.run("-t", "a.fz").status == 0)
        #expect(try dir.run("-tq", "a.fz").status == 0)
        let listing = try dir.run("-l", "a.fz")
        #expect(listing.status == 0)
        #expect(String(decoding: listing.stdout, as: UTF8.self).contains(" zstd "))
        // After `--`, a name that looks like a flag is a file.
        #expect(try dir.run("--", "-b").status == 0)
        #expect(try dir.run("-d", "-c", "--", "-b.fz").stdout == text)
        #expect(try dir.names() == ["-b", "-b.fz", "a", "a.fz"])
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        try dir.write("a.fz", Data("precious".utf8))
        let refused = try dir.run("a")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already exists"))
        #expect(try dir.read("a.fz") == Data("precious".utf8))
        #expect(try dir.run("-f", "a").status == 0)
        #expect(try dir.read("a.fz") != Data("precious".utf8))
        #expect(try dir.names() == ["a", "a.fz"])
    }

    @Test func removesTheInputOnlyAfterSuccess() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("--rm", "a").status == 0)
        #expect(try dir.names() == ["a.fz"])
        #expect(try dir.run("-d", "--rm", "a.fz").status == 0)
        #expect(try dir.names() == ["a"])
        #expect(try dir.read("a") == text)

        try dir.write("bad.fz", Data("not a stream".utf8))
        let failed = try dir.run("-d", "--rm", "bad.fz")
        #expect(failed.status == 1)
        #expect(try dir.names() == ["a", "bad.fz"])
    }

    @Test func damagedStreamLeavesNoOutputAndExitsOne() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("a").status == 0)
        var stream = try dir.read("a.fz")
        stream[stream.count / 2] ^= 0xFF
        try dir.write("b.fz", stream)
        let result = try dir.run("-d", "b.fz")
        #expect(result.status == 1)
        #expect(result.stderr.contains("b.fz: corrupt stream"))
        #expect(try dir.names() == ["a", "a.fz", "b.fz"])  // no "b", no temporary file

        try dir.write("c.fz", stream.prefix(100))
        let truncated = try dir.run("-d", "c.fz")
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("truncated"))
        #expect(!dir.exists("c"))
    }

    @Test func usageErrorsExitTwo() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        try dir.write("b", text)
        #expect(try dir.run("--no-such-option", "a").status == 2)
        #expect(try dir.run("-o", "x.fz", "a", "b").status == 2)
        #expect(try dir.run("--method", "lzma", "a").status == 2)
        #expect(try dir.run("--channels", "2", "a").status == 2)
        #expect(try dir.run("--level", "99", "a").status == 2)
        #expect(try dir.run("--help").status == 0)
    }

    @Test func usageErrorsSayWhatIsWrongAndWhereHelpIs() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        let unknown = try dir.run("-d", "--level", "3", "a")
        #expect(unknown.status == 2)
        #expect(unknown.stderr == """
            flowzip: --level is not an option of flowzip decompress
            Usage: flowzip -d [OPTIONS] [FILE.fz...]   (or: flowzip decompress ...)
            Try 'flowzip help decompress' for more information.

            """)
        let help = try dir.run("help", "decompress")
        #expect(help.status == 0 && String(decoding: help.stdout, as: UTF8.self).contains("-t, --test"))
        #expect(try dir.names() == ["a"])
    }

    @Test func valuesJoinedToLettersWork() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("-kT2", "-ob.fz", "a").status == 0)
        #expect(try dir.run("-do", "c", "b.fz").status == 0)
        #expect(try dir.read("c") == text)
        #expect(try dir.names() == ["a", "b.fz", "c"])
    }

    @Test func badInputsExitOneWithAMessage() throws {
        let dir = try Scratch()
        let missing = try dir.run("missing")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing: No such file"))
        try FileManager.default.createDirectory(at: dir.file("folder"), withIntermediateDirectories: false)
        #expect(try dir.run("folder").status == 1)
        try dir.write("plain", text)
        let suffix = try dir.run("-d", "plain")
        #expect(suffix.status == 1)
        #expect(suffix.stderr.contains("suffix"))
        #expect(try dir.run("-d", "-c", "plain").status == 1)
    }

    @Test func testFlagChecksIntegrityWithoutWriting() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        #expect(try dir.run("a").status == 0)
        #expect(try dir.run("-d", "-t", "a.fz").status == 0)
        var stream = try dir.read("a.fz")
        // A byte of data, all bits: a few header bits of a zstd frame are slack (a flip there decodes to
        // the same bytes, checksums and all), so one flipped bit at a fixed place may change nothing.
        stream[stream.count / 2] ^= 0xFF
        try dir.write("a.fz", stream)
        #expect(try dir.run("-d", "-t", "a.fz").status == 1)
        #expect(try dir.names() == ["a", "a.fz"])
    }

    @Test func interruptedCompressionLeavesNoPartialOutput() throws {
        let dir = try Scratch()
        let process = try CLITests.startSlowCompression(in: dir)
        #expect(try dir.names().count == 2)  // "big" and the hidden temporary output
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(try dir.names() == ["big"])
    }

    @Test func killedCompressionNeverLeavesAFileUnderTheFinalName() throws {
        let dir = try Scratch()
        let process = try CLITests.startSlowCompression(in: dir)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let names = try dir.names()
        #expect(names.contains("big"))
        #expect(!names.contains("big.fz"))
        #expect(names.allSatisfy { $0 == "big" || $0.hasPrefix(".big.fz.") })  // at most the hidden temporary
    }

    @Test func fullDiskAndUnwritableFoldersGiveClearErrors() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        let full = Process()
        full.executableURL = FlowZipProcess.binary
        full.arguments = ["-c", dir.file("a").path]
        full.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let errors = Pipe()
        full.standardError = errors
        try full.run()
        full.waitUntilExit()
        #expect(full.terminationStatus == 1)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("write error"))

        // A folder nobody may create files in: a locked folder for a normal user; sysfs even for root.
        let locked: String
        if getuid() == 0 {
            locked = "/sys"
        } else {
            try FileManager.default.createDirectory(at: dir.file("locked"), withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o500])
            locked = dir.file("locked").path
        }
        let refused = try dir.run("-o", "\(locked)/a.fz", "a")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot create a file in \(locked): Permission denied"))
    }

    /// Starts `flowzip -22 big` on a file it takes many seconds to compress, and lets it run for a second.
    static func startSlowCompression(in dir: Scratch) throws -> Process {
        try dir.write("big", slowInput())
        let process = Process()
        process.executableURL = FlowZipProcess.binary
        process.arguments = ["-22", "big"]
        process.currentDirectoryURL = dir.url
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        return process
    }

    /// 24 MiB of low-entropy data that zstd -22 takes many seconds to compress.
    static func slowInput() -> Data {
        var state: UInt64 = 1
        let words = (0..<(3 << 20)).map { _ -> UInt64 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 13) & 0x0F0F_0F0F_0F0F_0F0F
        }
        return words.withUnsafeBytes { Data($0) }
    }
}
