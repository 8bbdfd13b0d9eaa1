import Foundation
import Testing

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
        #expect(unpacked.status == 0 && unpacked.stdout == text)
        #expect(try dir.run("-d", "-o-", "a.fz").stdout == text)
        #expect(try dir.names() == ["a", "a.fz"])
    }
}
