import Foundation

/// What the reports say about the run itself: when, where, on what, with which tools.
struct ReportContext {
    var options: BenchOptions
    var files: [CorpusFile]
    var skippedPeers: [String]

    /// A few lines for the head of summary.md.
    var description: String {
        let date = ISO8601DateFormatter().string(from: Date())
        var lines = [
            "- date: \(date)",
            "- machine: \(Machine.cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Machine.kernel)",
            "- command: `flowzip-bench \(options.argumentsDescription)` at commit \(Machine.commit)",
            "- files: \(files.count) (\(options.split.map { "split \($0)" } ?? "all splits")\(options.quick ? ", quick subset" : ""))",
            "- FlowZip runs single-threaded (`threads: 1`); peers run with their defaults (cjxl/djxl may use every core).",
            "- in-process codecs: best of repeated runs (≥ \(options.minSeconds) s); peers: one run, process start-up included.",
            "- peak MiB: peers, the child's max RSS (GNU time); in-process, the resident memory a run added at its peak.",
        ]
        if !skippedPeers.isEmpty { lines.append("- skipped (tool not installed): " + skippedPeers.joined(separator: "; ")) }
        return lines.joined(separator: "\n")
    }
}

extension BenchOptions {
    /// The options as a command line, for the record.
    var argumentsDescription: String {
        var parts: [String] = []
        if quick { parts.append("--quick") }
        if !codecPrefixes.isEmpty { parts.append("--codecs " + codecPrefixes.joined(separator: ",")) }
        if let split { parts.append("--split \(split)") }
        parts.append("--min-time \(minSeconds)")
        return (parts + inputs).joined(separator: " ")
    }
}

/// Facts about the machine, for the record.
enum Machine {
    static var cpu: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let name = line.split(separator: ":", maxSplits: 1).last else { return "unknown CPU" }
        return name.trimmingCharacters(in: .whitespaces)
    }

    static var kernel: String { ProcessInfo.processInfo.operatingSystemVersionString }

    /// `git describe --always --dirty` of the working directory, or "unknown".
    static var commit: String {
        guard let git = Subprocess.find("git") else { return "unknown" }
        let out = NSTemporaryDirectory() + "flowzip-bench-commit-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        guard let result = try? Subprocess.run(git, ["describe", "--always", "--dirty"], stdout: out,
                                               stderr: "/dev/null", measuringPeak: false),
              result.exitCode == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else { return "unknown" }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Writes summary.md and, per corpus, CORPUS.csv, CORPUS.md and CORPUS.svg.
enum ReportWriter {
    static func write(_ rows: [BenchRow], context: ReportContext, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BenchError.unwritable(directory)
        }
        var summary = "# FlowZip benchmark\n\n" + context.description + "\n"
        for (corpus, corpusRows) in rowsByCorpus(rows) {
            summary += "\n## \(corpus) ([per file](\(corpus).md), [CSV](\(corpus).csv), [plot](\(corpus).svg))\n\n"
            summary += MarkdownReport.summaryTable(corpusRows) + "\n"
            try save(CSVReport.render(corpusRows), "\(directory)/\(corpus).csv")
            try save("# FlowZip benchmark: \(corpus)\n\n" + context.description + "\n\n"
                     + MarkdownReport.section(corpus: corpus, rows: corpusRows), "\(directory)/\(corpus).md")
            try save(SVGPlot.render(corpus: corpus, rows: corpusRows), "\(directory)/\(corpus).svg")
        }
        try save(summary, "\(directory)/summary.md")
    }

    private static func save(_ text: String, _ path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BenchError.unwritable(path)
        }
    }
}
