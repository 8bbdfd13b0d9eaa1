/// One codec's totals over one corpus: what a row of the Markdown table shows.
public struct CodecSummary: Sendable {
    public var codec: String
    /// Files the codec applies to.
    public var applicable = 0
    /// Files it ran on (the totals below are over these only).
    public var ran = 0
    public var notApplicable = 0
    public var failed = 0
    /// Runs whose round trip was not exact.
    public var inexact = 0
    public var originalBytes = 0
    public var compressedBytes = 0
    public var units = 0
    public var encodeSeconds = 0.0
    public var decodeSeconds = 0.0
    /// Largest peak memory of any encode or decode, in bytes; nil if none was measured.
    public var peakBytes: Int?
    /// Sum of per-file bits per unit, for the mean.
    private var bitsPerUnitSum = 0.0

    public init(codec: String) { self.codec = codec }

    /// Bits per unit over the whole corpus (total compressed bits / total units).
    public var bitsPerUnit: Double? { ran > 0 ? Double(compressedBytes * 8) / Double(max(units, 1)) : nil }
    /// Unweighted mean of the per-file bits per unit.
    public var meanBitsPerUnit: Double? { ran > 0 ? bitsPerUnitSum / Double(ran) : nil }
    /// Total original bytes over total compressed bytes.
    public var ratio: Double? { ran > 0 ? Double(originalBytes) / Double(max(compressedBytes, 1)) : nil }
    /// Total MB (10^6 bytes) over total encode seconds.
    public var encodeMBps: Double? { ran > 0 ? Double(originalBytes) / 1e6 / max(encodeSeconds, 1e-9) : nil }
    /// Total MB over total decode seconds.
    public var decodeMBps: Double? { ran > 0 ? Double(originalBytes) / 1e6 / max(decodeSeconds, 1e-9) : nil }

    mutating func add(_ row: BenchRow) {
        applicable += 1
        switch row.status {
        case .notApplicable: notApplicable += 1
        case .failed: failed += 1
        case .ran(let run):
            ran += 1
            if !run.exact { inexact += 1 }
            originalBytes += row.originalSize
            compressedBytes += run.compressedSize
            units += row.units
            encodeSeconds += run.encodeSeconds
            decodeSeconds += run.decodeSeconds
            bitsPerUnitSum += row.bitsPerUnit ?? 0
            let peaks = [run.encodePeakBytes, run.decodePeakBytes].compactMap { $0 } + (peakBytes.map { [$0] } ?? [])
            peakBytes = peaks.max()
        }
    }

    /// Per-codec summaries of `rows`, best (fewest bits per unit) first, codecs that never ran last.
    public static func summarize(_ rows: [BenchRow]) -> [CodecSummary] {
        var order: [String] = []
        var byCodec: [String: CodecSummary] = [:]
        for row in rows {
            if byCodec[row.codec] == nil {
                order.append(row.codec)
                byCodec[row.codec] = CodecSummary(codec: row.codec)
            }
            byCodec[row.codec]!.add(row)
        }
        let summaries = order.map { byCodec[$0]! }
        return summaries.enumerated().sorted { a, b in
            switch (a.element.bitsPerUnit, b.element.bitsPerUnit) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}

/// Groups rows by corpus, in the order images, png, audio, general, the 16-bit images, then any other.
public func rowsByCorpus(_ rows: [BenchRow]) -> [(corpus: String, rows: [BenchRow])] {
    let known = ["images", "png", "audio", "general", "images-16bit", "png-16bit"]
    let names = Set(rows.map(\.corpus)).sorted { a, b in
        (known.firstIndex(of: a) ?? known.count, a) < (known.firstIndex(of: b) ?? known.count, b)
    }
    return names.map { name in (name, rows.filter { $0.corpus == name }) }
}
