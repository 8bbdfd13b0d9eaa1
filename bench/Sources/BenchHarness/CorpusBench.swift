import Foundation

/// Runs every codec on every corpus file and writes tables and plots. (Issue 8.)
public enum CorpusBench {
    /// Entry point of `flowzip-bench` for anything but `coder`. Exits 2 on a usage error, 1 when a
    /// codec failed or a round trip was not exact, 0 otherwise.
    public static func main(_ arguments: [String]) {
        do {
            let options = try BenchOptions(parsing: arguments)
            if options.help {
                print(BenchOptions.usage)
                return
            }
            let rows = try run(options)
            let bad = rows.filter { row in
                if case .failed = row.status { return true }
                return row.run.map { !$0.exact } ?? false
            }
            if !bad.isEmpty {
                FileHandle.standardError.write(Data("flowzip-bench: \(bad.count) runs failed or were not exact (see the tables)\n".utf8))
                exit(1)
            }
        } catch let error as BenchError {
            FileHandle.standardError.write(Data("flowzip-bench: \(error)\n".utf8))
            if case .usage = error { exit(2) }
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("flowzip-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Runs the benchmark `options` describe, writes the reports, prints the summary tables, and
    /// returns the rows.
    public static func run(_ options: BenchOptions) throws -> [BenchRow] {
        let files = try selectFiles(options)
        guard !files.isEmpty else { throw BenchError.usage("no files to run on in \(options.inputs.joined(separator: " "))") }

        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var (codecs, skipped) = BenchRunner.defaultCodecs(scratch: scratch.path)
        if !options.codecPrefixes.isEmpty {
            codecs = codecs.filter { codec in options.codecPrefixes.contains { codec.name.hasPrefix($0) } }
        }
        for peer in skipped { log("skipping \(peer)") }

        let progress = ProgressLine()
        let runner = BenchRunner(codecs: codecs, timing: TimingPolicy(minSeconds: options.minSeconds),
                                 progress: { done, total, file, codec in progress.show(done, total, file.name, codec) })
        let rows = try runner.run(on: files)
        progress.finish()

        var context = ReportContext(options: options, files: files, skippedPeers: skipped)
        if options.split == nil {
            let manifests = try options.inputs.compactMap { try Manifest.beside(dataDirectory: $0) }
            let test = manifests.flatMap { $0.splits.filter { $0.value == "test" }.keys }
            if !test.isEmpty { context.testSplit = Set(test) }
        }
        let folder = try options.resultsFolder()
        try ReportWriter.write(rows, context: context, to: folder)
        for (corpus, corpusRows) in rowsByCorpus(rows) {
            print("\n## \(corpus)\n\n" + MarkdownReport.summaryTable(corpusRows))
        }
        print("\nWrote \(folder)/ (summary.md, and per corpus .csv, .md, .svg)"
              + (options.outputDirectory == nil ? "; --out bench/results would update the committed results" : ""))
        return rows
    }

    /// The files `options` ask for: all found under the inputs, or one split, or the quick subset.
    static func selectFiles(_ options: BenchOptions) throws -> [CorpusFile] {
        var files: [CorpusFile] = []
        for input in options.inputs {
            if input == BenchOptions().inputs.first, !FileManager.default.fileExists(atPath: input) {
                throw BenchError.usage("no \(input)/ here: run corpora/fetch.sh first (or name files or folders to run on)")
            }
            var found = try CorpusFile.discover([input])
            if let split = options.split {
                guard let manifest = try Manifest.beside(dataDirectory: input) else {
                    throw BenchError.usage("--split needs corpora/MANIFEST beside \(input) (give the corpora/data directory)")
                }
                found = found.filter { manifest.splits[$0.name] == split }
            }
            files += found
        }
        if options.quick {
            // The three smallest files of each corpus: every codec and modality, in about a minute.
            files = countedInOrder(files.map(\.corpus)).flatMap { corpus in
                files.filter { $0.corpus == corpus.value }.sorted { $0.size < $1.size }.prefix(3)
            }
        }
        return files
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("flowzip-bench: \(message)\n".utf8))
    }
}

/// A temporary directory for peer codecs' files, removed when the run ends.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "flowzip-bench-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BenchError.unwritable(path)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Progress on stderr: on a terminal one line rewritten in place (`[ 12/345] 40s  images/flower.ppm
/// cjxl-e7`); into a file or pipe, one line per corpus file.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let started = Measure.now()
    private let live = isatty(STDERR_FILENO) == 1
    private var lastFile = ""

    func show(_ done: Int, _ total: Int, _ file: String, _ codec: String) {
        lock.lock()
        defer { lock.unlock() }
        let width = String(total).count
        let count = String(repeating: " ", count: width - String(done + 1).count) + "\(done + 1)"
        let elapsed = Int(Measure.now() - started)
        if live {
            FileHandle.standardError.write(Data("\r\u{1B}[K[\(count)/\(total)] \(elapsed)s  \(file)  \(codec)".utf8))
        } else if file != lastFile {
            FileHandle.standardError.write(Data("[\(count)/\(total)] \(elapsed)s  \(file)\n".utf8))
        }
        lastFile = file
    }

    func finish() {
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
