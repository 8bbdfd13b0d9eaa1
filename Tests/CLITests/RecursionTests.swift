import Foundation
import Testing

/// `-S/--suffix` and `-r`, as gzip has them (issue 16), through the real `flowzip` process.
@Suite struct SuffixAndRecursionTests {
    /// `-S SUF` names the compressed file FILE.SUF, and `-d -S SUF` takes the suffix off again.
    @Test func suffixOptionNamesAndStripsTheSuffix() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        let packed = try dir.run("-S", ".flz", "a")
        #expect(packed.status == 0, "\(packed.stderr)")
        #expect(try dir.names() == ["a", "a.flz"])
        try FileManager.default.removeItem(at: dir.file("a"))
        #expect(try dir.run("-d", "--suffix=.flz", "a.flz").status == 0)
        #expect(same(try dir.read("a"), text))
        // Without -S, .flz is not a suffix flowzip knows; with it, .fz is not either.
        #expect(try dir.run("-d", "a.flz").stderr.contains("unknown suffix (expected .fz)"))
        #expect(try dir.run("-S", ".flz", "a").stderr.contains("a.flz already exists"))
        #expect(try dir.run("-S", ".flz", "a.flz").stderr.contains("already has the .flz suffix"))
        // An empty suffix, or one with a slash, is a usage error.
        #expect(try dir.run("-S", "", "a").status == 2)
        #expect(try dir.run("--suffix=x/y", "a").status == 2)
    }

    /// `-r` compresses every regular file under a folder, skipping those that have the suffix already;
    /// `-dr` decompresses those that have it and leaves the rest alone. Without -r a folder is skipped.
    @Test func recursiveCompressesAndDecompressesAFolderTree() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(at: dir.file("top/sub/deeper"), withIntermediateDirectories: true)
        let files = ["top/a", "top/sub/b", "top/sub/deeper/c"]
        for (i, name) in files.enumerated() { try dir.write(name, text + Data("\(i)\n".utf8)) }
        try dir.write("top/old.fz", try dir.run("-c", "top/a").stdout)

        let notRecursive = try dir.run("top")
        #expect(notRecursive.status == 1)
        #expect(notRecursive.stderr == "flowzip: top: is a directory -- ignored\n")

        let packed = try dir.run("-r", "--rm", "top")
        #expect(packed.status == 0, "\(packed.stderr)")
        #expect(try tree(dir, "top") == ["a.fz", "old.fz", "sub/b.fz", "sub/deeper/c.fz"])

        let unpacked = try dir.run("-dr", "top")
        #expect(unpacked.status == 0, "\(unpacked.stderr)")
        #expect(try tree(dir, "top") == ["a", "a.fz", "old", "old.fz", "sub/b", "sub/b.fz", "sub/deeper/c", "sub/deeper/c.fz"])
        for (i, name) in files.enumerated() { #expect(same(try dir.read(name), text + Data("\(i)\n".utf8))) }
        #expect(same(try dir.read("top/old"), text + Data("0\n".utf8)))  // old.fz was made from a

        // With another suffix, -r skips files that have that one.
        #expect(try dir.run("-r", "-S", ".z", "top/sub").status == 0)
        #expect(try tree(dir, "top/sub") == ["b", "b.fz", "b.fz.z", "deeper/c", "deeper/c.fz", "deeper/c.fz.z", "deeper/c.z", "b.z"].sorted())
        // -r with -o is a usage error.
        #expect(try dir.run("-r", "-o", "x", "top").status == 2)
    }

    /// The files under `folder`, as paths relative to it, sorted.
    func tree(_ dir: Scratch, _ folder: String) throws -> [String] {
        let root = dir.file(folder).path
        let found = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
        return found.filter { !isFolder(root + "/" + $0) }.sorted()
    }

    func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}
