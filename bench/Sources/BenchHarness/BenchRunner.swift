import Foundation

/// Runs every applicable codec on every file and collects the rows.
///
/// ```swift
/// let runner = try BenchRunner(codecs: BenchRunner.defaultCodecs(scratch: dir).codecs)
/// let rows = try runner.run(on: CorpusFile.discover(["corpora/sample"]))
/// print(MarkdownReport.table(for: "general", rows: rows))
/// ```
public struct BenchRunner: Sendable {
    /// The codecs compared, in table order.
    public var codecs: [any BenchCodec]
    public var timing: TimingPolicy
    /// Called before each codec run with (runs done, runs in all, file, codec), for progress output.
    public var progress: (@Sendable (Int, Int, CorpusFile, String) -> Void)?

    /// A runner for `codecs`.
    public init(codecs: [any BenchCodec], timing: TimingPolicy = TimingPolicy(minSeconds: 0.2),
                progress: (@Sendable (Int, Int, CorpusFile, String) -> Void)? = nil) {
        self.codecs = codecs
        self.timing = timing
        self.progress = progress
    }

    /// The names of the codecs the benchmark knows, for `--codecs`.
    public static func defaultCodecs(scratch: String) -> (codecs: [any BenchCodec], skipped: [String]) {
        let inProcess: [any BenchCodec] = FlowZipCodec.all + [
            LibraryCodecs.zstd(level: 3), LibraryCodecs.zstd(level: 19),
            LibraryCodecs.zlib(level: 6), LibraryCodecs.zlib(level: 9),
        ]
        let peers = PeerCodecs.available(scratch: scratch)
        return (inProcess + peers.codecs, peers.skipped)
    }

    /// One row per (file, applicable codec), files in the given order.
    public func run(on files: [CorpusFile]) throws -> [BenchRow] {
        let total = files.reduce(0) { sum, file in sum + codecs.filter { $0.applies(to: file) }.count }
        var rows: [BenchRow] = []
        for file in files {
            let bytes = try readBytes(file.path)
            for codec in codecs where codec.applies(to: file) {
                progress?(rows.count, total, file, codec.name)
                let status: BenchRow.Status
                do {
                    status = .ran(try codec.run(bytes, file: file, timing: timing))
                } catch let reason as NotApplicable {
                    status = .notApplicable(reason.description)
                } catch {
                    status = .failed("\(error)")
                }
                rows.append(BenchRow(corpus: file.corpus, file: file.name, modality: file.shape.modality,
                                     codec: codec.name, originalSize: file.size, units: file.shape.units,
                                     status: status))
            }
        }
        return rows
    }
}
