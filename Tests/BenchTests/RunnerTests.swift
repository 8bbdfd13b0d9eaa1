import Testing
@testable import BenchHarness

/// A codec whose behaviour the test chooses, to check how the runner reports each outcome.
private struct ScriptedCodec: BenchCodec {
    enum Behaviour { case exact, corrupting, unsupported, failing }
    let name: String
    let behaviour: Behaviour

    func applies(to file: CorpusFile) -> Bool { true }

    func run(_ bytes: [UInt8], file: CorpusFile, timing: TimingPolicy) throws -> CodecRun {
        switch behaviour {
        case .unsupported: throw NotApplicable("not for this file")
        case .failing: throw BenchError.codecFailed("scripted failure")
        case .exact, .corrupting:
            return CodecRun(compressedSize: bytes.count / 2, encodeSeconds: 0.5, decodeSeconds: 0.25,
                            exact: behaviour == .exact)
        }
    }
}

@Suite struct RunnerTests {
    @Test func reportsEachOutcomeForWhatItIs() throws {
        let codecs: [any BenchCodec] = [ScriptedCodec(name: "good", behaviour: .exact),
                                        ScriptedCodec(name: "lossy", behaviour: .corrupting),
                                        ScriptedCodec(name: "other", behaviour: .unsupported),
                                        ScriptedCodec(name: "broken", behaviour: .failing)]
        let file = try CorpusFile(path: SampleCorpus.path("alice29.txt"), name: "alice29.txt")
        let rows = try BenchRunner(codecs: codecs).run(on: [file])
        #expect(rows.map(\.codec) == ["good", "lossy", "other", "broken"])
        #expect(rows[0].run?.exact == true && rows[1].run?.exact == false)
        #expect(rows[2].status == .notApplicable("not for this file"))
        #expect(rows[3].status == .failed("scripted failure"))
        #expect(abs(rows[0].bitsPerUnit! - 4) < 0.001 && abs(rows[0].ratio! - 2) < 0.001)

        let table = MarkdownReport.summaryTable(rows)
        #expect(table.contains("| good | 1/1 | 4.000 |"))
        #expect(table.contains("1 NOT exact"))
        #expect(table.contains("| other | 0/1 (1 n/a) |"))
        #expect(table.contains("1 failed"))
        let section = MarkdownReport.section(corpus: "general", rows: rows)
        #expect(section.contains("broken on alice29.txt: failed: scripted failure"))
    }

    @Test func summaryTotalsAreSumsNotMeansOfRatios() throws {
        let rows = [row("a", original: 100, compressed: 10, units: 100), row("b", original: 300, compressed: 290, units: 300)]
        let summary = try #require(CodecSummary.summarize(rows).first)
        #expect(summary.ratio == 400.0 / 300.0)
        #expect(summary.bitsPerUnit == 300.0 * 8 / 400.0)
        #expect(summary.meanBitsPerUnit == (0.8 + 290.0 * 8 / 300.0) / 2)
    }

    private func row(_ file: String, original: Int, compressed: Int, units: Int) -> BenchRow {
        BenchRow(corpus: "general", file: file, modality: .general, codec: "c", originalSize: original, units: units,
                 status: .ran(CodecRun(compressedSize: compressed, encodeSeconds: 1, decodeSeconds: 1, exact: true)))
    }
}
