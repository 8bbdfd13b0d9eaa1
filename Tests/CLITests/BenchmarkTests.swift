import Foundation
import Testing

/// `flowzip -b[N] [-e M] [-i S] FILE...`, zstd's benchmark mode: levels × files, ratio and both speeds,
/// every round trip checked in memory, nothing written to disk.
@Suite struct BenchmarkTests {
    /// One result line: level, name, original and compressed bytes, ratio, compression and decompression MB/s.
    struct Line: Equatable {
        var level: Int, name: String, original: Int, compressed: Int, ratio: Double, compressSpeed: Double, decompressSpeed: Double
    }

    func lines(_ output: Data) -> [Line] {
        String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { text in
            guard let m = text.firstMatch(of: /^ ?(\d+)#(.+?) +: +(\d+) -> +(\d+) \(x([0-9.]+)\), +([0-9.]+) MB\/s, +([0-9.]+) MB\/s$/)
            else { return nil }
            return Line(level: Int(m.1)!, name: String(m.2), original: Int(m.3)!, compressed: Int(m.4)!, ratio: Double(m.5)!,
                        compressSpeed: Double(m.6)!, decompressSpeed: Double(m.7)!)
        }
    }

    @Test func levelsTimesFilesWithATotalAndNothingWritten() throws {
        let dir = try Scratch()
        try dir.write("notes.txt", text)
        let noise = Data((0..<50_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) })
        try dir.write("noise.bin", noise)
        let run = try dir.run("-b1", "-e3", "notes.txt", "noise.bin")
        #expect(run.status == 0, "\(run.stderr)")
        let found = lines(run.stdout)
        #expect(found.map(\.level) == [1, 2, 3, 1, 2, 3, 1, 2, 3])
        #expect(found.map(\.name) == ["notes.txt", "notes.txt", "notes.txt", "noise.bin", "noise.bin", "noise.bin",
                                      "total (2 files)", "total (2 files)", "total (2 files)"])
        #expect(String(decoding: run.stdout, as: UTF8.self).split(separator: "\n").count == found.count)
        for line in found {
            #expect(line.compressSpeed > 0 && line.decompressSpeed > 0)
            #expect(abs(line.ratio - Double(line.original) / Double(line.compressed)) < 0.001)
        }
        for level in 1...3 {
            // The compressed size is what `flowzip -N` writes; the total is the sum.
            for (name, data) in [("notes.txt", text), ("noise.bin", noise)] {
                let line = try #require(found.first { $0.level == level && $0.name == name })
                let real = try dir.run("-\(level)", "-c", name)
                #expect(line.original == data.count && line.compressed == real.stdout.count, "\(name) -\(level)")
            }
            let parts = found.filter { $0.level == level && !$0.name.hasPrefix("total") }
            let total = try #require(found.first { $0.level == level && $0.name.hasPrefix("total") })
            #expect(total.original == parts.map(\.original).reduce(0, +))
            #expect(total.compressed == parts.map(\.compressed).reduce(0, +))
        }
        #expect(try dir.names() == ["noise.bin", "notes.txt"])
    }

    /// `-b` alone is the level given (or the default); one file gives no total; -i repeats the runs.
    @Test func theLevelAndTheRepeats() throws {
        let dir = try Scratch()
        try dir.write("notes.txt", text)
        let plain = try dir.run("-b", "notes.txt")
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(lines(plain.stdout).map(\.level) == [3])
        #expect(lines(plain.stdout).first?.compressed == (try dir.run("-c", "notes.txt")).stdout.count)
        #expect(lines(try dir.run("-19", "-b", "notes.txt").stdout).map(\.level) == [19])
        #expect(lines(try dir.run("--bench=5", "-i", "0.2", "notes.txt").stdout).map(\.level) == [5])
        // -i: repeated for at least that long (one run of this file takes far less).
        let start = Date()
        #expect(try dir.run("-b1", "-i0.5", "notes.txt").status == 0)
        #expect(Date().timeIntervalSince(start) >= 1.0)  // 0.5 s compressing, 0.5 s decompressing
    }

    /// A missing file is reported (exit 1) and the others are still measured.
    @Test func aMissingFileIsAnErrorAndTheRestIsMeasured() throws {
        let dir = try Scratch()
        try dir.write("notes.txt", text)
        let run = try dir.run("-b", "missing", "notes.txt")
        #expect(run.status == 1)
        #expect(run.stderr.contains("missing: No such file or directory"))
        #expect(lines(run.stdout).map(\.name) == ["notes.txt"])
    }

    /// Usage errors exit 2 before any file is read: the files named here do not exist.
    @Test func usageErrorsExitTwoBeforeAnyFile() throws {
        let dir = try Scratch()
        for arguments in [["-b23", "f"], ["-b0", "f"], ["-bx", "f"], ["-b5", "-e3", "f"], ["-b", "-e23", "f"], ["-e3", "f"],
                          ["-i1", "f"], ["-b", "-i", "-1", "f"], ["-b", "-ix", "f"], ["-b"], ["-b", "-o", "x", "f"], ["-b", "-c", "f"],
                          ["-b", "--rm", "f"], ["-b", "--image", "f"], ["-d", "-b", "f.fz"], ["-b", "-21", "-e", "20", "f"]] {
            let run = try FlowZipProcess.run(arguments, in: dir.url)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("Usage: flowzip"), "\(arguments)")
            #expect(!run.stderr.contains("No such file"), "\(arguments)")
        }
        #expect(try dir.names().isEmpty)
    }
}
