import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sparse output when decompressing, as zstd `--sparse`: zero blocks become holes in an output file (the
/// default), never in standard output unless asked and safe, and never at the cost of a byte or an error.
@Suite struct SparseTests {
    /// 20 KiB of data, 8 MiB of zeros, data not on a block boundary, 3 MiB of zeros, a little data, and
    /// 4 MiB of zeros at the end (a trailing hole).
    static let holey = noise(20_000, seed: 7) + Data(count: 8 << 20) + noise(5_001, seed: 8) + Data(count: 3 << 20)
        + Data("end".utf8) + Data(count: 4 << 20)

    static func noise(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    /// Bytes the file system allocated to a file (st_blocks counts 512-byte units).
    func allocated(_ url: URL) -> Int {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return -1 }
        return Int(info.st_blocks) * 512
    }

    /// Whether the scratch folder's file system leaves holes unallocated and allocates written zeros (it
    /// does on ext4, xfs, btrfs without compression and tmpfs); elsewhere the sizes cannot tell.
    func fileSystemShowsHoles(_ dir: Scratch) throws -> Bool {
        let hole = dir.file("probe-hole"), written = dir.file("probe-zeros")
        _ = FileManager.default.createFile(atPath: hole.path, contents: nil)
        try FileHandle(forWritingTo: hole).truncate(atOffset: 1 << 20)
        try Data(count: 1 << 20).write(to: written)
        defer { try? FileManager.default.removeItem(at: hole); try? FileManager.default.removeItem(at: written) }
        return allocated(hole) < 64 << 10 && allocated(written) >= 1 << 20
    }

    @Test func zeroBlocksBecomeHolesByDefaultAndNoSparseWritesThem() throws {
        let dir = try Scratch()
        try dir.write("z.bin", Self.holey)
        #expect(try dir.run("-k", "-o", "z.fz", "z.bin").status == 0)
        let showsHoles = try fileSystemShowsHoles(dir)

        let sparse = try dir.run("-d", "-o", "sparse.bin", "z.fz")
        #expect(sparse.status == 0, "\(sparse.stderr)")
        #expect(try dir.read("sparse.bin") == Self.holey)  // the same bytes, the trailing zeros included
        if showsHoles {
            // 15 MiB of zeros in whole blocks: only the 25 KiB of data (and its partial blocks) are allocated.
            #expect(allocated(dir.file("sparse.bin")) < 256 << 10, "\(allocated(dir.file("sparse.bin")))")
        }
        let full = try dir.run("-d", "--sparse", "--no-sparse", "-o", "full.bin", "z.fz")  // the last one counts
        #expect(full.status == 0, "\(full.stderr)")
        #expect(try dir.read("full.bin") == Self.holey)
        let again = try dir.run("-d", "--no-sparse", "--sparse", "-o", "again.bin", "z.fz")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try dir.read("again.bin") == Self.holey)
        if showsHoles {
            #expect(allocated(dir.file("again.bin")) < 256 << 10)
            #expect(allocated(dir.file("full.bin")) >= Self.holey.count)
        }
    }

    /// Standard output is written in full unless --sparse is given and it is a regular file at its end;
    /// appending to a file (`>>`) is written in full even then, since the seeks would be lost.
    @Test func standardOutputOnlyWithSparseAndOnlyWhereSafe() throws {
        let dir = try Scratch()
        try dir.write("z.bin", Self.holey)
        #expect(try dir.run("-k", "-o", "z.fz", "z.bin").status == 0)
        let showsHoles = try fileSystemShowsHoles(dir)
        func shell(_ command: String) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command, "sh", FlowZipProcess.binary.path]
            process.currentDirectoryURL = dir.url
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try shell("\"$1\" -dc z.fz > plain.bin") == 0)
        #expect(try shell("\"$1\" -dc --sparse z.fz > sparse.bin") == 0)
        #expect(try shell("printf head > appended.bin && \"$1\" -dc --sparse z.fz >> appended.bin") == 0)
        #expect(try shell("\"$1\" -dc --sparse z.fz | cat > piped.bin") == 0)
        #expect(try dir.read("plain.bin") == Self.holey)
        #expect(try dir.read("sparse.bin") == Self.holey)
        #expect(try dir.read("appended.bin") == Data("head".utf8) + Self.holey)
        #expect(try dir.read("piped.bin") == Self.holey)
        if showsHoles {
            #expect(allocated(dir.file("plain.bin")) >= Self.holey.count)
            #expect(allocated(dir.file("sparse.bin")) < 256 << 10)
            #expect(allocated(dir.file("appended.bin")) >= Self.holey.count)
        }
    }

    /// A file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) that falls in the trailing zeros: every
    /// write fits under it, only setting the length fails, and that is still an error with no output kept.
    @Test func anErrorSettingTheLengthIsStillAnError() throws {
        let dir = try Scratch()
        // 100 KiB of data, then 8 MiB of zeros (whole blocks: no write after the data). `ulimit -f 1000` is
        // 512 000 bytes (512-byte units: POSIX, dash) or 1 024 000 (bash's 1 KiB units): past the data
        // and before the end either way.
        try dir.write("z.bin", Self.noise(100 << 10, seed: 9) + Data(count: 8 << 20))
        #expect(try dir.run("-k", "-o", "z.fz", "z.bin").status == 0)
        for mode in ["--sparse", "--no-sparse"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f 1000 && trap '' XFSZ && exec \"$1\" -d \(mode) -o out.bin z.fz",
                                 "sh", FlowZipProcess.binary.path]
            process.currentDirectoryURL = dir.url
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1, "\(mode): \(message)")
            #expect(message.contains("z.fz: write error: File too large"), "\(mode): \(message)")
            #expect(!dir.exists("out.bin"), "\(mode)")
        }
        #expect(try dir.names() == ["z.bin", "z.fz"])
    }
}
