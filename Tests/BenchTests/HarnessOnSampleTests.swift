import Foundation
import Testing
@testable import BenchHarness

/// The whole harness on corpora/sample: every codec that applies, real files, real round trips.
@Suite struct HarnessOnSampleTests {
    static let rows: [BenchRow] = {
        let scratch = NSTemporaryDirectory() + "flowzip-bench-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let codecs = BenchRunner.defaultCodecs(scratch: scratch).codecs
        let runner = BenchRunner(codecs: codecs, timing: TimingPolicy(minSeconds: 0))
        return (try? runner.run(on: CorpusFile.discover([SampleCorpus.directory]))) ?? []
    }()

    @Test func runsOnEverySampleFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SampleCorpus.directory).filter { !$0.hasPrefix(".") }
        #expect(files.count >= 6)
        #expect(Set(Self.rows.map(\.file)) == Set(files))
        #expect(Set(Self.rows.map(\.corpus)) == ["images", "png", "audio", "general"])
    }

    @Test func everyRoundTripIsExactAndNothingFails() {
        #expect(!Self.rows.isEmpty)
        for row in Self.rows {
            switch row.status {
            case .ran(let run): #expect(run.exact, "\(row.codec) on \(row.file): \(run.note)")
            case .failed(let why): Issue.record("\(row.codec) on \(row.file) failed: \(why)")
            case .notApplicable: #expect(row.codec == "flowzip-flow", "only the flow may be n/a, not \(row.codec)")
            }
        }
    }

    @Test func zstdAndZlibRunOnEveryFileAndAppearInEveryTable() {
        for codec in ["zstd-3", "zstd-19", "zlib-6", "zlib-9", "flowzip-auto", "flowzip-store"] {
            let ran = Self.rows.filter { $0.codec == codec && $0.run != nil }
            #expect(ran.count == Set(Self.rows.map(\.file)).count, "\(codec) ran on \(ran.count) files")
        }
        for (corpus, rows) in rowsByCorpus(Self.rows) {
            let table = MarkdownReport.summaryTable(rows)
            for codec in ["zstd-3", "zstd-19", "zlib-6", "zlib-9"] {
                #expect(table.contains("| \(codec) |"), "\(corpus) table lacks \(codec)")
            }
        }
    }

    @Test func compressedSizesAreRealMeasurements() throws {
        // zstd-19 on the text must beat 4 bits/byte, and nothing compresses random bytes.
        let text = try #require(Self.rows.first { $0.file == "alice29.txt" && $0.codec == "zstd-19" }?.bitsPerUnit)
        #expect(text < 4)
        let random = Self.rows.filter { $0.file == "random_org_10k.bin" }.compactMap(\.bitsPerUnit)
        #expect(!random.isEmpty && random.allSatisfy { $0 > 7.9 })
        // Store adds only the container: within 1 % plus a few hundred bytes of the input.
        for row in Self.rows where row.codec == "flowzip-store" {
            let size = try #require(row.run?.compressedSize)
            #expect(size >= row.originalSize && size < row.originalSize + row.originalSize / 100 + 400)
        }
    }

    @Test func speedsAndUnitsAreReported() {
        for row in Self.rows where row.run != nil {
            #expect((row.encodeMBps ?? 0) > 0 && (row.decodeMBps ?? 0) > 0)
            #expect(row.units > 0)
        }
        let wav = Self.rows.first { $0.file == "guit_harmonics-0.5s.wav" }
        #expect(wav?.units == 22050)
        let ppm = Self.rows.first { $0.file == "astronaut-face.ppm" }
        #expect(ppm?.units == 128 * 128 * 3)
    }

    @Test func writesEveryReport() throws {
        let directory = NSTemporaryDirectory() + "flowzip-bench-report-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let context = ReportContext(options: BenchOptions(), files: [], skippedPeers: [])
        try ReportWriter.write(Self.rows, context: context, to: directory)
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        for corpus in ["images", "png", "audio", "general"] {
            for suffix in ["csv", "md", "svg"] { #expect(written.contains("\(corpus).\(suffix)")) }
        }
        #expect(written.contains("summary.md"))
        let csv = try String(contentsOfFile: directory + "/general.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + Self.rows.filter { $0.corpus == "general" }.count)
    }
}
