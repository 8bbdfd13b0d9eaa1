/// Renders the Markdown tables: per corpus a summary (one row per codec) and a matrix of bits per
/// unit (one row per file, one column per codec).
public enum MarkdownReport {
    /// The per-codec summary table of one corpus.
    public static func summaryTable(_ rows: [BenchRow]) -> String {
        let unit = rows.first?.modality.unitName ?? "unit"
        var lines = [
            "| codec | files | bits/\(unit) | mean bits/\(unit) | ratio | encode MB/s | decode MB/s | peak MiB | round trip |",
            "|---|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        for s in CodecSummary.summarize(rows) {
            var files = "\(s.ran)/\(s.applicable)"
            if s.notApplicable > 0 { files += " (\(s.notApplicable) n/a)" }
            let trip: String
            if s.ran == 0 {
                trip = s.failed > 0 ? "\(s.failed) failed" : "n/a"
            } else if s.inexact == 0 && s.failed == 0 {
                trip = "exact"
            } else {
                trip = [s.inexact > 0 ? "\(s.inexact) NOT exact" : nil, s.failed > 0 ? "\(s.failed) failed" : nil]
                    .compactMap { $0 }.joined(separator: ", ")
            }
            lines.append("| \(s.codec) | \(files) | \(Format.fixed(s.bitsPerUnit, 3)) | \(Format.fixed(s.meanBitsPerUnit, 3)) | "
                         + "\(Format.fixed(s.ratio, 3)) | \(Format.short(s.encodeMBps)) | \(Format.short(s.decodeMBps)) | "
                         + "\(Format.mebibytes(s.peakBytes)) | \(trip) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Bits per unit of every file under every codec ("n/a", "fail", or a value marked "!" when
    /// the round trip was not exact).
    public static func fileMatrix(_ rows: [BenchRow]) -> String {
        let codecs = CodecSummary.summarize(rows).map(\.codec)
        var files: [String] = []
        for row in rows where !files.contains(row.file) { files.append(row.file) }
        var lines = ["| file | " + codecs.joined(separator: " | ") + " |",
                     "|---|" + String(repeating: "--:|", count: codecs.count)]
        for file in files {
            let cells = codecs.map { codec -> String in
                guard let row = rows.first(where: { $0.file == file && $0.codec == codec }) else { return "" }
                switch row.status {
                case .notApplicable: return "n/a"
                case .failed: return "fail"
                case .ran(let run): return Format.fixed(row.bitsPerUnit, 3) + (run.exact ? "" : "!")
                }
            }
            lines.append("| \(file) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// Why codecs were "n/a": each distinct reason once, with the number of files.
    static func notApplicableNotes(_ rows: [BenchRow]) -> String {
        let reasons = countedInOrder(rows.compactMap { row in
            if case .notApplicable(let why) = row.status { return "\(row.codec): \(why)" }
            return nil
        })
        guard !reasons.isEmpty else { return "" }
        return "\n### Not applicable\n\n" + reasons.map { "- \($0.value) (\($0.count) files)" }.joined(separator: "\n") + "\n"
    }

    /// A whole corpus section: heading, what was measured, the summary and the matrix.
    public static func section(corpus: String, rows: [BenchRow]) -> String {
        let files = Set(rows.map(\.file)).count
        let bytes = Dictionary(rows.map { ($0.file, $0.originalSize) }, uniquingKeysWith: { a, _ in a }).values.reduce(0, +)
        let unit = rows.first?.modality.unitName ?? "unit"
        var text = "## \(corpus): \(files) files, \(Format.short(Double(bytes) / 1e6)) MB\n\n"
        text += "Bits per \(unit) = compressed bits / \(unit)s (lower is better); ratio = original / compressed; "
        text += "totals are over the files each codec ran on. Speeds in MB/s of original data.\n\n"
        text += summaryTable(rows) + "\n\n"
        text += "### Bits per \(unit), per file\n\n" + fileMatrix(rows) + "\n"
        let problems = rows.compactMap { row -> String? in
            switch row.status {
            case .failed(let why): return "- \(row.codec) on \(row.file): failed: \(why)"
            case .ran(let run) where !run.exact: return "- \(row.codec) on \(row.file): \(run.note)"
            default: return nil
            }
        }
        if !problems.isEmpty { text += "\n### Failures and inexact round trips\n\n" + problems.joined(separator: "\n") + "\n" }
        text += notApplicableNotes(rows)
        return text
    }
}
