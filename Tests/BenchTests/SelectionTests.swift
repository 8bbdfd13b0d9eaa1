import Foundation
import Testing
@testable import BenchHarness

/// Which files a run takes: everything found, one split of the manifest, or the quick subset.
@Suite struct SelectionTests {
    /// A throw-away corpora/ folder: data/general/{a,b,c,d}.txt of growing size, and a MANIFEST.
    private func makeCorpora() throws -> String {
        let root = NSTemporaryDirectory() + "flowzip-bench-selection-\(UUID().uuidString)"
        let general = root + "/data/general"
        try FileManager.default.createDirectory(atPath: general, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/data/.cache", withIntermediateDirectories: true)
        for (i, name) in ["a", "b", "c", "d"].enumerated() {
            try Data(repeating: 65, count: 10 * (i + 1)).write(to: URL(fileURLWithPath: "\(general)/\(name).txt"))
        }
        try Data("hidden".utf8).write(to: URL(fileURLWithPath: root + "/data/.cache/x.txt"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: general + "/e.txt.tmp"))
        let manifest = """
        # sha256 size split path
        0 10 test general/a.txt
        0 20 train general/b.txt
        0 30 test general/c.txt
        0 40 validation general/d.txt
        """
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: root + "/MANIFEST"))
        return root
    }

    @Test func findsEveryFileButHiddenAndTemporaryOnes() throws {
        let root = try makeCorpora()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = try CorpusBench.selectFiles(BenchOptions(parsing: [root + "/data"]))
        #expect(files.map(\.name) == ["general/a.txt", "general/b.txt", "general/c.txt", "general/d.txt"])
    }

    @Test func splitTakesOnlyThatSplitOfTheManifest() throws {
        let root = try makeCorpora()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = try CorpusBench.selectFiles(BenchOptions(parsing: ["--split", "test", root + "/data"]))
        #expect(files.map(\.name) == ["general/a.txt", "general/c.txt"])
    }

    @Test func splitWithoutManifestIsAnError() throws {
        let root = try makeCorpora()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: BenchError.self) {
            try CorpusBench.selectFiles(BenchOptions(parsing: ["--split", "test", root + "/data/general"]))
        }
    }

    @Test func quickTakesTheThreeSmallestOfEachCorpus() throws {
        let root = try makeCorpora()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = try CorpusBench.selectFiles(BenchOptions(parsing: ["--quick", root + "/data"]))
        #expect(files.map(\.name) == ["general/a.txt", "general/b.txt", "general/c.txt"])
    }
}
