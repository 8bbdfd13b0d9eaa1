import Foundation
import Testing

/// What flowzip reports about its work (issue 16): `-l` and `-lv`, `-v` with true sizes and a total
/// line, through the real process.
@Suite struct ReportingTests {
    /// `-l` lists one line per stream (gzip -l's table) with a total after several; `-lv` and `-l -v`
    /// give the chunk-by-chunk description that `flowzip info` gives.
    @Test func listIsATableAndListVerboseTheDetails() throws {
        let dir = try Scratch()
        try dir.write("a", text)
        try dir.write("b", text + text)
        #expect(try dir.run("a", "b").status == 0)
        let (a, b) = (try dir.read("a.fz").count, try dir.read("b.fz").count)
        let list = try dir.run("-l", "a.fz", "b.fz")
        #expect(list.status == 0, "\(list.stderr)")
        let rows = String(decoding: list.stdout, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 4)
        #expect(rows.dropFirst().first == ["\(a)", "\(text.count)", ratio(a, text.count), "zstd", "a.fz"])
        #expect(rows.dropFirst(2).first == ["\(b)", "\(2 * text.count)", ratio(b, 2 * text.count), "zstd", "b.fz"])
        #expect(rows.last == ["\(a + b)", "\(3 * text.count)", ratio(a + b, 3 * text.count), "(total)"])

        let details = try dir.run("info", "a.fz")
        #expect(String(decoding: details.stdout, as: UTF8.self).contains("chunk  method"))
        for line in [["-lv", "a.fz"], ["-l", "-v", "a.fz"], ["-vl", "a.fz"], ["--list", "--verbose", "a.fz"]] {
            let verbose = try FlowZipProcess.run(line, in: dir.url)
            #expect(verbose.status == 0, "\(line): \(verbose.stderr)")
            #expect(same(verbose.stdout, details.stdout), "\(line)")
        }
    }

    /// `-v` reports the bytes read and written as they are on disk, also in pixel mode (where the
    /// library codes a pixel document of another size), and a total line after several files.
    @Test func verboseReportsTrueSizesAndATotal() throws {
        let dir = try Scratch()
        let png = try Data(contentsOf: ImageModeCLITests.png)
        try dir.write("icon.png", png)
        let image = try dir.run("-v", "--image", "icon.png")
        #expect(image.status == 0)
        let coded = try dir.read("icon.png.fz").count
        #expect(image.stderr == "flowzip: icon.png: \(png.count) -> \(coded) bytes (\(ratio(coded, png.count)))\n")

        try dir.write("a", text)
        try dir.write("b", text + text)
        let both = try dir.run("-v", "a", "b")
        let (a, b) = (try dir.read("a.fz").count, try dir.read("b.fz").count)
        #expect(both.stderr == """
            flowzip: a: \(text.count) -> \(a) bytes (\(ratio(a, text.count)))
            flowzip: b: \(2 * text.count) -> \(b) bytes (\(ratio(b, 2 * text.count)))
            flowzip: total: \(3 * text.count) -> \(a + b) bytes (\(ratio(a + b, 3 * text.count))) in 2 files

            """)
        let back = try dir.run("-dcv", "a.fz", "b.fz")
        #expect(back.stderr == """
            flowzip: a.fz: \(a) -> \(text.count) bytes (\(ratio(a, text.count)))
            flowzip: b.fz: \(b) -> \(2 * text.count) bytes (\(ratio(b, 2 * text.count)))
            flowzip: total: \(a + b) -> \(3 * text.count) bytes (\(ratio(a + b, 3 * text.count))) in 2 files

            """)
        // One file: no total.
        #expect(try dir.run("-dcv", "a.fz").stderr == "flowzip: a.fz: \(a) -> \(text.count) bytes (\(ratio(a, text.count)))\n")
    }

    /// `compressed / original` as flowzip prints it: `12.58%`.
    func ratio(_ compressed: Int, _ original: Int) -> String {
        String(format: "%.2f%%", 100 * Double(compressed) / Double(original))
    }
}
