import Testing
@testable import BenchHarness

@Suite struct ReportTests {
    private let rows = [
        BenchRow(corpus: "images", file: "a,b.ppm", modality: .image, codec: "x<&>", originalSize: 300, units: 300,
                 status: .ran(CodecRun(compressedSize: 100, encodeSeconds: 0.001, decodeSeconds: 0.0001,
                                       encodePeakBytes: 1 << 20, exact: true, note: "say \"hi\""))),
        BenchRow(corpus: "images", file: "a,b.ppm", modality: .image, codec: "flowzip-flow", originalSize: 300,
                 units: 300, status: .notApplicable("not built")),
    ]

    @Test func csvQuotesFieldsAndKeepsEveryColumn() {
        let lines = CSVReport.render(rows).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].split(separator: ",").count == CSVReport.header.count)
        #expect(lines[1].hasPrefix("images,\"a,b.ppm\",x<&>,ok,300,300,100,2.66667,3.00000,"))
        #expect(lines[1].hasSuffix(",1048576,,yes,\"say \"\"hi\"\"\""))
        #expect(lines[2].contains(",n/a,") && lines[2].hasSuffix("not built"))
    }

    @Test func svgNamesEveryCodecThatRanAndEscapesText() {
        let svg = SVGPlot.render(corpus: "images", rows: rows)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("x&lt;&amp;&gt;"))
        #expect(!svg.contains("flowzip-flow"))  // n/a everywhere: no point to plot
    }

    /// Each codec that ran is plotted twice: against its encode speed in the left panel and its
    /// decode speed in the right one (here 0.3 and 3 MB/s, so it sits further right in the second).
    @Test func svgPlotsEncodeSpeedBesideDecodeSpeed() throws {
        let svg = SVGPlot.render(corpus: "images", rows: rows)
        #expect(svg.contains("encode speed, MB/s"))
        #expect(svg.contains("decode speed, MB/s"))
        func number(_ s: Substring) -> Double { Double(String(s))! }
        let panels = svg.matches(of: /<rect x="([0-9.]+)" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+" fill="none"/)
            .map { number($0.1) }
        let labels = svg.matches(of: /<text x="([0-9.]+)" y="[0-9.]+" text-anchor="start">x&lt;&amp;&gt;<\/text>/)
            .map { number($0.1) }
        try #require(panels.count == 2 && labels.count == 2)
        #expect(labels[0] > panels[0] && labels[0] < panels[1])
        #expect(labels[1] - panels[1] > labels[0] - panels[0] + 100)
    }

    @Test func matrixMarksNotApplicable() {
        let matrix = MarkdownReport.fileMatrix(rows)
        #expect(matrix.contains("| a,b.ppm | 2.667 | n/a |"))
    }
}
