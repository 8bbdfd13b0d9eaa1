/// Compresses a stream of any length with bounded memory: chunks are read, coded (in parallel with
/// `threads`) and written in order, so memory stays near `threads × chunkSize × 3`.
///
/// ```swift
/// let compressor = Compressor(options: .init(threads: 2))
/// try compressor.compress(fromDescriptor: STDIN_FILENO, toDescriptor: STDOUT_FILENO)
/// ```
public struct Compressor: Sendable {
    /// The settings every chunk is coded with.
    public let options: FlowZip.Options
    /// Called after each batch of chunks with the number of input bytes consumed so far.
    public var progress: (@Sendable (UInt64) -> Void)?

    /// A compressor with these settings.
    public init(options: FlowZip.Options = FlowZip.Options()) {
        self.options = options
    }

    /// Compresses everything the open file descriptor `input` holds into `output` (a file, pipe or
    /// terminal; with Foundation, `handle.fileDescriptor`). `size`, when known, is recorded in the header
    /// and checked against what was read.
    @discardableResult
    public func compress(fromDescriptor input: Int32, toDescriptor output: Int32, size: UInt64? = nil) throws -> Summary {
        var source = FileDescriptorSource(descriptor: input)
        var sink = FileDescriptorSink(descriptor: output)
        return try compress(from: &source, to: &sink, size: size)
    }

    /// Compresses the pixels of the PNG or PNM `file` in pixel mode (`FlowZip.compressImage`) into
    /// the open file descriptor `output`; the whole image is held in memory.
    @discardableResult
    public func compressImage(_ file: [UInt8], toDescriptor output: Int32) throws -> Summary {
        let document = try PixelDocument(imageFile: file)
        var options = options
        options.pixelOutput = document.kind
        var source = ArraySource(document.serialized())
        var sink = FileDescriptorSink(descriptor: output)
        return try Compressor(options: options).compress(from: &source, to: &sink, size: UInt64(source.bytes.count))
    }

    @discardableResult
    func compress(from input: inout some ByteSource, to output: inout some ByteSink, size: UInt64?) throws -> Summary {
        let options = try options.validated()
        let coder = ChunkCoder(options: options)
        var source = PeekableSource(input)
        var planner = ChunkPlanner(prefix: try source.peek(ChunkPlanner.prefixLength), chunkSize: options.chunkSize,
                                   rawLayout: options.rawLayout, pixelDocument: options.pixelOutput != nil)
        let header = StreamHeader(modality: planner.modality, chunkSizeLog2: UInt8(options.chunkSize.trailingZeroBitCount),
                                  originalSize: size, modelID: Self.modelID(options, planner.modality),
                                  pixelOutput: options.pixelOutput)
        try output.write(header.serialized())
        var written = UInt64(Format.headerSize)
        var crc = CRC32()
        var total: UInt64 = 0
        var count: UInt32 = 0
        var sawPixels = false
        var finished = false
        while !finished {
            var batch: [(raw: [UInt8], kind: ChunkKind)] = []
            while batch.count < options.threads && !finished {
                let (length, planned) = planner.next()
                let raw = try source.read(upTo: length)
                finished = raw.count < length
                if raw.isEmpty { break }
                crc.update(raw)
                total += UInt64(raw.count)
                batch.append((raw, ChunkPlanner.kind(of: planned, plannedLength: length, actualLength: raw.count)))
            }
            sawPixels = sawPixels || batch.contains { $0.kind != .bytes }
            let shares = stripThreads(sizes: batch.map(\.raw.count), threads: options.threads)
            let jobs = batch.indices.map { (raw: batch[$0].raw, kind: batch[$0].kind, threads: shares[$0]) }
            let coded = try parallelMap(jobs, threads: options.threads) { try coder.encode($0.raw, kind: $0.kind, threads: $0.threads) }
            for (record, payload) in coded {
                guard count < UInt32.max else { throw FlowZipError.unsupported("input has too many chunks") }
                try output.write(record.serialized())
                try output.write(payload)
                written += UInt64(Format.recordSize + payload.count)
                count += 1
            }
            progress?(total)
        }
        if options.method == .flow && !sawPixels {
            throw FlowZipError.unsupported("the flow method codes images (binary PNM or PNG) and audio (PCM WAV, NPY) only")
        }
        if let size, size != total {
            throw FlowZipError.io("input changed while being read: expected \(size) bytes, read \(total)")
        }
        try output.write(StreamTrailer(chunkCount: count, originalSize: total, originalCRC: crc.value).serialized())
        written += UInt64(Format.trailerSize)
        return Summary(originalSize: total, compressedSize: written, chunkCount: Int(count))
    }

    /// The header's model id: the model's, when flow chunks of an image may use it; else 0.
    static func modelID(_ options: FlowZip.Options, _ modality: Modality) -> UInt64 {
        guard let model = options.model, modality == .image, options.method == .auto || options.method == .flow else { return 0 }
        return model.id
    }

    /// What a compression run produced.
    public struct Summary: Sendable, Equatable {
        /// Bytes read.
        public var originalSize: UInt64
        /// Bytes written, container included.
        public var compressedSize: UInt64
        /// Chunks in the stream.
        public var chunkCount: Int
    }
}
