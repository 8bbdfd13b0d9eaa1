/// One codec's measurements on one file.
public struct CodecRun: Sendable, Equatable {
    /// Bytes of the compressed output.
    public var compressedSize: Int
    /// Best encode time in seconds (peers: one run, including process start-up).
    public var encodeSeconds: Double
    /// Best decode time in seconds.
    public var decodeSeconds: Double
    /// Peak memory of the encoder in bytes: a peer process's max RSS, or the resident memory an
    /// in-process encode added at its peak. Nil where not measurable.
    public var encodePeakBytes: Int?
    /// Peak memory of the decoder in bytes, measured the same way.
    public var decodePeakBytes: Int?
    /// Whether decoding gave back exactly the input: the bytes, or for image and audio peers whose
    /// output container differs, exactly the pixels or samples.
    public var exact: Bool
    /// What else is worth knowing (the chunk methods FlowZip chose, why a round trip differed).
    public var note: String = ""
}

/// How a codec run is timed.
public struct TimingPolicy: Sendable {
    /// In-process codecs repeat until this many seconds have passed (best time kept).
    public var minSeconds: Double

    public init(minSeconds: Double) { self.minSeconds = minSeconds }
}

/// A codec the benchmark compares: FlowZip, a library linked in process, or a command-line peer.
public protocol BenchCodec: Sendable {
    /// Name in the tables, such as `zstd-19` or `cjxl-e7`.
    var name: String { get }
    /// Whether this codec is meant for `file` (image codecs for images, and so on).
    func applies(to file: CorpusFile) -> Bool
    /// Compresses and decompresses `bytes` (the content of `file`), checking the round trip.
    /// Throws `NotApplicable` when the codec cannot handle this particular file, any other error
    /// when it fails.
    func run(_ bytes: [UInt8], file: CorpusFile, timing: TimingPolicy) throws -> CodecRun
}

/// Thrown by a codec that does not handle a file (reported as "n/a", not as a failure).
public struct NotApplicable: Error, CustomStringConvertible {
    public var description: String

    public init(_ reason: String) { description = reason }
}
