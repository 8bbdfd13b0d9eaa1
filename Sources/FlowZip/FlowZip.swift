/// FlowZip's in-memory entry points, its settings and its streaming protocols: lossless compression
/// whose model for images and audio is an integer normalizing flow, with zstd and zlib for everything else.
///
/// ```swift
/// import FlowZip
/// let packed = try FlowZip.compress(bytes)
/// let unpacked = try FlowZip.decompress(packed)
/// assert(unpacked == bytes)
/// ```
public enum FlowZip {
    /// How a chunk is coded.
    public enum Method: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Try every method that fits each chunk and keep the smallest (the default).
        case auto
        /// No compression.
        case store
        /// zlib (deflate).
        case zlib
        /// Zstandard.
        case zstd
        /// The integer flow (images); other chunks of the same file use the generic methods.
        case flow

        /// The method's name, as `--method` takes it.
        public var description: String { rawValue }
    }

    /// The layout of a headerless file of numbers (`flowzip compress --dtype`), so that its samples go
    /// through the 1-D flow. Files with a WAV, NPY or PNM header are read from their header instead.
    public struct RawLayout: Sendable, Equatable {
        /// Element types: little-endian.
        public enum SampleType: String, Sendable, CaseIterable {
            /// Signed 16-bit integers.
            case int16
            /// Unsigned 16-bit integers.
            case uint16
            /// Signed 32-bit integers.
            case int32
            /// IEEE 754 single-precision floats (coded losslessly, bit for bit).
            case float32
        }
        /// The element type.
        public var type: SampleType
        /// Interleaved channels, 1...8.
        public var channels: Int

        /// A layout of `channels` interleaved channels of `type`.
        public init(type: SampleType, channels: Int = 1) {
            self.type = type
            self.channels = channels
        }

        var geometry: AudioGeometry {
            switch type {
            case .int16: return AudioGeometry(channels: channels, sampleBytes: 2, encoding: .signed)
            case .uint16: return AudioGeometry(channels: channels, sampleBytes: 2, encoding: .unsigned)
            case .int32: return AudioGeometry(channels: channels, sampleBytes: 4, encoding: .signed)
            case .float32: return AudioGeometry(channels: channels, sampleBytes: 4, encoding: .float)
            }
        }
    }

    /// Compression settings.
    public struct Options: Sendable, Equatable {
        /// The method; `.auto` keeps the smallest of the methods that fit each chunk.
        public var method: Method
        /// zstd level (1...22, default 19); zlib uses `min(level, 9)` (default 9).
        public var level: Int?
        /// The level of the generic methods for chunks of pixels, audio samples and PNG rows, where
        /// they compete with the flow (screenshots and synthetic images often go to zstd); nil: `level`.
        /// The command line keeps these at 19 when its ordinary default is the faster 3.
        public var mediaLevel: Int? = nil
        /// Chunks or tiles coded in parallel. The output is identical for every value.
        public var threads: Int
        /// Bytes per chunk: a power of two from 64 KiB to 64 MiB. Chunks are coded independently, so this
        /// bounds memory and sets the grain of parallelism; the default, 16 MiB, is twice zstd -19's window,
        /// which keeps large files within about 1.5 % of a single zstd -19 frame (4 MiB chunks lost 5 %).
        public var chunkSize: Int
        /// How to read a headerless file of numbers; nil: sniff the input (the default).
        public var rawLayout: RawLayout?

        /// The learned image prior for flow chunks of 8-bit images; nil codes with the hand-made
        /// prior only. The stream header records its id; decoding needs the same model.
        public var model: FlowModel?
        /// Code 8-bit images with `model` even where the hand-made prior alone is smaller (tests
        /// and measurements of the learned prior itself).
        var alwaysUseModel = false
        /// Set by `compressImage`: the input is a `PixelDocument` that decompresses to this file type.
        var pixelOutput: ImageFileKind? = nil

        /// The model used when none is named: the built-in one (`FlowModel.builtIn`).
        public static let defaultModel: FlowModel? = FlowModel.builtIn

        /// 16 MiB: see `chunkSize`.
        public static let defaultChunkSize = 1 << 24

        /// Settings with FlowZip's defaults for whatever is not given.
        public init(method: Method = .auto, level: Int? = nil, threads: Int = 1, chunkSize: Int = Options.defaultChunkSize,
                    rawLayout: RawLayout? = nil, model: FlowModel? = Options.defaultModel) {
            self.method = method
            self.model = model
            self.level = level
            self.threads = threads
            self.chunkSize = chunkSize
            self.rawLayout = rawLayout
        }

        /// Checks the settings; every public entry point calls this first.
        func validated() throws -> Options {
            for l in [level, mediaLevel].compactMap({ $0 }) where !ZstdMethod.levels.contains(l) {
                throw FlowZipError.invalidArgument("level \(l) is outside \(ZstdMethod.levels)")
            }
            guard threads >= 1 && threads <= 256 else {
                throw FlowZipError.invalidArgument("threads must be 1...256, not \(threads)")
            }
            guard chunkSize.nonzeroBitCount == 1,
                  Format.chunkSizeLog2Range.contains(UInt8(clamping: chunkSize.trailingZeroBitCount)) else {
                throw FlowZipError.invalidArgument("chunk size must be a power of two from 64 KiB to 64 MiB")
            }
            if let rawLayout, !(1...8).contains(rawLayout.channels) {
                throw FlowZipError.invalidArgument("raw samples need 1...8 channels, not \(rawLayout.channels)")
            }
            return self
        }
    }

    /// Compresses `data` into a FlowZip stream.
    ///
    /// `progress`, if given, is called before any work, after each batch of chunks and at the end
    /// (``Progress``); throwing from it stops the work with ``FlowZipError/Code/cancelled``.
    public static func compress(_ data: some Collection<UInt8>, options: Options = Options(),
                                progress: ((Progress) throws -> Void)? = nil) throws -> [UInt8] {
        var source = MemorySource(data)
        var sink: [UInt8] = []
        try Compressor(options: options).compress(from: &source, to: &sink, size: UInt64(source.bytes.count),
                                                  progress: progress)
        return sink
    }

    /// Compresses the pixels of a PNG (any colour type, depth and interlacing, decoded with libpng) or
    /// binary PNM file (`flowzip compress --image`): decompressing gives a file of the same type whose
    /// pixels are identical (a PNG written by libpng; a PNM with a canonical header), not the same bytes.
    /// Ancillary PNG chunks (gamma, text, ...) are not kept.
    ///
    /// ```swift
    /// let packed = try FlowZip.compressImage(pngFile)
    /// let png = try FlowZip.decompress(packed)   // same pixels, palette and transparency as pngFile
    /// ```
    public static func compressImage(_ file: some Collection<UInt8>, options: Options = Options(),
                                     progress: ((Progress) throws -> Void)? = nil) throws -> [UInt8] {
        let document = try PixelDocument(imageFile: Array(file))
        var options = options
        options.pixelOutput = document.kind
        return try compress(document.serialized(), options: options, progress: progress)
    }

    /// Decompresses a whole FlowZip stream (for a pixel-mode stream, the image file); throws a
    /// ``FlowZipError`` whose ``FlowZipError/code`` says what is wrong if it is damaged.
    /// `models` are the model files the stream may name besides the built-in one; a stream that
    /// needs another throws ``FlowZipError/Code/missingModel`` with its id. `progress` works as for
    /// ``compress(_:options:progress:)-4t7b9``.
    public static func decompress(_ stream: some Collection<UInt8>, threads: Int = 1, models: [FlowModel] = [],
                                  progress: ((Progress) throws -> Void)? = nil) throws -> [UInt8] {
        var source = MemorySource(stream)
        var sink: [UInt8] = []
        try Decompressor(threads: threads, models: models).decompress(from: &source, to: &sink,
                                                                      size: UInt64(source.bytes.count), progress: progress)
        return sink
    }

    /// Describes a stream (header and every chunk record) without decoding its payloads.
    public static func inspect(_ stream: some Collection<UInt8>) throws -> StreamInfo {
        try StreamInfo.read(from: MemorySource(stream))
    }

    /// Describes the stream `source` holds, reading it to its end without decoding its payloads
    /// (memory stays bounded by one chunk).
    public static func inspect(from source: inout some ByteSource) throws -> StreamInfo {
        var reader = StreamReader(source: source)
        defer { source = reader.base }
        return try StreamInfo.read(from: &reader)
    }
}
