/// What `flowzip info` shows: the header and every chunk record of a stream, read without decoding
/// (``FlowZip/inspect(_:)``).
public struct StreamInfo: Sendable {
    /// One chunk's record.
    public struct Chunk: Sendable, Equatable {
        /// How a chunk was coded. The raw values are the method ids of the stream format.
        public enum Method: UInt8, Sendable, CaseIterable, CustomStringConvertible {
            /// Kept as it was (nothing smaller was found).
            case store = 0
            /// zlib (deflate).
            case zlib = 1
            /// Zstandard.
            case zstd = 2
            /// Image pixels through the integer flow and rANS.
            case flow = 3
            /// Audio or numeric samples through the 1-D integer flow and rANS.
            case flowAudio = 4
            /// A PNG file rebuilt byte for byte from its pixels (themselves coded by the flow or zstd).
            case png = 5

            /// The method's name, as `flowzip info` prints it: `store`, `zlib`, `zstd`, `flow`, `flowAudio`, `png`.
            public var description: String {
                switch self {
                case .store: "store"
                case .zlib: "zlib"
                case .zstd: "zstd"
                case .flow: "flow"
                case .flowAudio: "flowAudio"
                case .png: "png"
                }
            }
        }

        /// How the chunk was coded.
        public var method: Method
        /// What the chunk holds.
        public var modality: Modality
        /// Bytes per sample (1 for plain bytes).
        public var sampleBytes: Int
        /// Original bytes.
        public var rawLength: Int
        /// Payload bytes.
        public var codedLength: Int

        /// Coded bits per unit: per sub-pixel for images, per sample for audio, per byte otherwise.
        public var bitsPerUnit: Double {
            Double(codedLength * 8) / Double(rawLength / sampleBytes)
        }
    }

    /// The container format version (1 or 2).
    public var formatVersion: Int
    /// Modality found when compressing.
    public var modality: Modality
    /// Chunk size the stream was cut with.
    public var chunkSize: Int
    /// Original size recorded in the header, if the compressor knew it.
    public var declaredSize: UInt64?
    /// Hash of the model the flow chunks need (0: none).
    public var modelID: UInt64
    /// Pixel mode (`--image`): decompressing writes a file of this type with the original's pixels;
    /// nil for a byte-exact stream.
    public var pixelOutput: ImageFileKind?
    /// Every chunk, in order.
    public var chunks: [Chunk]
    /// Original size, from the trailer.
    public var originalSize: UInt64
    /// Size of the whole stream.
    public var compressedSize: UInt64

    static func read(from source: some ByteSource) throws -> StreamInfo {
        var reader = StreamReader(source: source)
        return try read(from: &reader)
    }

    static func read(from reader: inout StreamReader<some ByteSource>) throws -> StreamInfo {
        let header = try reader.readHeader()
        var chunks: [Chunk] = []
        var total: UInt64 = 0
        while let record = try reader.nextChunk()?.record {
            chunks.append(Chunk(method: record.method, modality: record.modality,
                                sampleBytes: Int(record.sampleBytes), rawLength: record.rawLength,
                                codedLength: record.codedLength))
            total += UInt64(record.rawLength)
        }
        try reader.finish(chunkCount: chunks.count, originalSize: total, originalCRC: nil)
        return StreamInfo(formatVersion: Int(header.version), modality: header.modality, chunkSize: header.chunkSize, declaredSize: header.originalSize,
                          modelID: header.modelID, pixelOutput: header.pixelOutput, chunks: chunks, originalSize: total,
                          compressedSize: reader.bytesRead)
    }
}
