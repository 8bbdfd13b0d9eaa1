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
        #expect(try dir.read("a") == text)

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
