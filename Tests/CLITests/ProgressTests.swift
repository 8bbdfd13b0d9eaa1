import Foundation
import Testing
@testable import FlowZipCLI

/// Progress on standard error (issue 16): `--progress` shows it for compress, decompress and test even
/// when standard error is not a terminal, `--no-progress` never, and by default a pipe gets none.
@Suite struct ProgressTests {
    @Test func progressOptionShowsBytesOfTheTotalForCompressAndDecompress() throws {
        let dir = try Scratch()
        let data = text + text + text
        try dir.write("a", data)
        let packed = try dir.run("--progress", "a")
        #expect(packed.status == 0, "\(packed.stderr)")
        let total = Console.formatBytes(UInt64(data.count))
        var lines = packed.stderr.split(separator: "\n")
        #expect(lines.first == "a: 0% 0 B / \(total), 0.0 MB/s, ETA --:--", "\(packed.stderr)")
        #expect(lines.last?.hasPrefix("a: 100% \(total) / \(total), ") == true, "\(packed.stderr)")
        #expect(lines.last?.contains(", done in ") == true)

        let coded = Console.formatBytes(UInt64(try dir.read("a.fz").count))
        for arguments in [["--progress", "-dc", "a.fz"], ["--progress", "-t", "a.fz"]] {
            let unpacked = try FlowZipProcess.run(arguments, in: dir.url)
            #expect(unpacked.status == 0)
            lines = unpacked.stderr.split(separator: "\n")
            #expect(lines.first == "a.fz: 0% 0 B / \(coded), 0.0 MB/s, ETA --:--", "\(arguments): \(unpacked.stderr)")
            #expect(lines.last?.hasPrefix("a.fz: 100% \(coded) / \(coded), ") == true, "\(arguments): \(unpacked.stderr)")
        }
        #expect(same(try dir.run("--progress", "-dc", "a.fz").stdout, data))

        // By default a pipe gets no progress; --no-progress, or the later of the two, turns it off.
        #expect(try dir.run("-dc", "a.fz").stderr.isEmpty)
        #expect(try dir.run("--progress", "--no-progress", "-dc", "a.fz").stderr.isEmpty)
        #expect(!(try dir.run("--no-progress", "--progress", "-dc", "a.fz").stderr.isEmpty))
        // Standard input has no known size: bytes and rate only.
        let piped = try dir.run("--progress", "-c", stdin: data)
        #expect(piped.stderr.split(separator: "\n").last?.hasPrefix("(stdin): \(total), ") == true, "\(piped.stderr)")
    }

    /// The line's figures: the share done, the rate, and the time left at that rate.
    @Test func progressLineGivesTheRateAndTimeLeft() throws {
        let meter = try #require(ProgressMeter("a", total: 3 << 20, choice: .forced, quiet: true))
        #expect(meter.line(1 << 20, elapsed: 2) == "a: 33% 1.0 MiB / 3.0 MiB, 0.5 MB/s, ETA 0:04")
        #expect(meter.line(1 << 20, elapsed: 200) == "a: 33% 1.0 MiB / 3.0 MiB, 0.0 MB/s, ETA 6:40")
        #expect(meter.line(3 << 19, elapsed: 7200) == "a: 50% 1.5 MiB / 3.0 MiB, 0.0 MB/s, ETA 2:00:00")
        #expect(meter.line(3 << 20, elapsed: 2, finished: true) == "a: 100% 3.0 MiB / 3.0 MiB, 1.6 MB/s, done in 2.0 s")
        #expect(ProgressMeter("a", total: 1, choice: .off, quiet: false) == nil)
    }
}
