import Foundation
import Testing
@testable import BenchHarness

@Suite struct OptionsTests {
    @Test func defaultsRunTheFetchedCorpora() throws {
        let options = try BenchOptions(parsing: [])
        #expect(options.inputs == ["corpora/data"] && options.outputDirectory == nil && !options.quick)
    }

    /// Without --out the results go to a new, empty scratch folder, never the committed bench/results.
    @Test func resultsGoToAScratchFolderUnlessOutNamesOne() throws {
        let options = try BenchOptions(parsing: ["--quick"])
        let first = try options.resultsFolder(), second = try options.resultsFolder()
        defer { for folder in [first, second] { try? FileManager.default.removeItem(atPath: folder) } }
        #expect(first != second && !first.contains("bench/results"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: first).isEmpty)
        #expect(try BenchOptions(parsing: ["--out", "bench/results"]).resultsFolder() == "bench/results")
    }

    @Test func parsesEveryOption() throws {
        let options = try BenchOptions(parsing: ["--quick", "--out", "r", "--codecs", "zstd,cjxl", "--split", "test",
                                                 "--min-time", "0.5", "a", "b"])
        #expect(options.quick && options.outputDirectory == "r" && options.codecPrefixes == ["zstd", "cjxl"])
        #expect(options.split == "test" && options.minSeconds == 0.5 && options.inputs == ["a", "b"])
    }

    @Test func rejectsBadCommandLines() {
        #expect(throws: BenchError.self) { try BenchOptions(parsing: ["--fast"]) }
        #expect(throws: BenchError.self) { try BenchOptions(parsing: ["--out"]) }
        #expect(throws: BenchError.self) { try BenchOptions(parsing: ["--min-time", "-1"]) }
    }

    @Test func missingInputIsAnError() {
        #expect(throws: BenchError.missingInput("/no/such/dir")) { try CorpusFile.discover(["/no/such/dir"]) }
    }

    @Test func manifestSplitPutsPhotosFromBothSourcesInTest() throws {
        let manifest = try Manifest(text: String(contentsOfFile: SampleCorpus.manifest, encoding: .utf8))
        let test = Set(manifest.splits.filter { $0.value == "test" }.keys)
        // libjxl-testdata photos and scikit-image photos (corpora/README.md names the sources).
        #expect(!test.isDisjoint(with: ["images/flower.ppm", "images/u76c0g_bliznaca.ppm"]))
        #expect(!test.isDisjoint(with: ["images/astronaut.ppm", "images/coffee.ppm", "images/camera.pgm"]))
        #expect(Set(manifest.splits.values) == ["train", "validation", "test"])
        for modality in ["images/", "audio/", "general/"] {
            #expect(test.contains { $0.hasPrefix(modality) }, "no \(modality) file in test")
        }
    }

    @Test func malformedManifestLineIsAnError() {
        #expect(throws: BenchError.self) { try Manifest(text: "# comment\nabc 12 train\n") }
    }
}
