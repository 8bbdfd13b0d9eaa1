/// One codec on one file: the unit of every table, CSV line and plot point.
public struct BenchRow: Sendable {
    /// How the run ended.
    public enum Status: Sendable, Equatable {
        /// Compressed and decompressed; see `run.exact` for the round trip.
        case ran(CodecRun)
        /// The codec does not handle this file (reported as "n/a").
        case notApplicable(String)
        /// The codec failed (an error, not a lossy round trip).
        case failed(String)
    }

    public var corpus: String
    public var file: String
    public var modality: Modality
    public var codec: String
    /// Size of the input in bytes.
    public var originalSize: Int
    /// Sub-pixels, samples or bytes in the input.
    public var units: Int
    public var status: Status

    /// The measurements, if the codec ran.
    public var run: CodecRun? {
        if case .ran(let run) = status { return run }
        return nil
    }

    /// Compressed bits per unit (sub-pixel, sample or byte).
    public var bitsPerUnit: Double? { run.map { Double($0.compressedSize * 8) / Double(max(units, 1)) } }
    /// Original size over compressed size.
    public var ratio: Double? { run.map { Double(originalSize) / Double(max($0.compressedSize, 1)) } }
    /// Encode speed in MB/s (10^6 bytes of input per second).
    public var encodeMBps: Double? { run.map { Double(originalSize) / 1e6 / max($0.encodeSeconds, 1e-9) } }
    /// Decode speed in MB/s of reconstructed output.
    public var decodeMBps: Double? { run.map { Double(originalSize) / 1e6 / max($0.decodeSeconds, 1e-9) } }
}
