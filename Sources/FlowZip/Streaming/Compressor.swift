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

    /// Writes container version 2. Nothing is written before up to one chunk size of input is coded:
    /// when the input turns out to be one chunk, the stream takes the one-chunk form (its record in the
    /// header, no trailer), the same whether the input came from a file or a pipe; and when the input
    /// ended there and no chunk uses the model, the header leaves out its id. Both depend only on the
    /// input, never on the thread count.
    @discardableResult
    func compress(from input: inout some ByteSource, to output: inout some ByteSink, size: UInt64?) throws -> Summary {
        let options = try options.validated()
        let coder = ChunkCoder(options: options)
        var source = PeekableSource(input)
        var planner = ChunkPlanner(prefix: try source.peek(ChunkPlanner.prefixLength), chunkSize: options.chunkSize,
                                   rawLayout: options.rawLayout, pixelDocument: options.pixelOutput != nil)
        var header = StreamHeader(modality: planner.modality, chunkSizeLog2: UInt8(options.chunkSize.trailingZeroBitCount),
                                  originalSize: size, modelID: Self.modelID(options, planner.modality),
                                  pixelOutput: options.pixelOutput)
        var crc = CRC32()
        var total: UInt64 = 0
        var sawPixels = false
        var finished = false

        /// Reads up to `threads` chunks and codes them in parallel; empty once the input is exhausted.
        func nextBatch() throws -> [(record: ChunkRecord, payload: [UInt8])] {
            var batch: [(raw: [UInt8], kind: ChunkKind)] = []
            while batch.count < options.threads && !finished {
                let (length, planned) = planner.next()
                let raw = try source.read(upTo: length)
                // Looking one byte ahead tells a lone chunk from the first of several.
                finished = try raw.count < length || source.peek(1).isEmpty
                if raw.isEmpty { break }
                crc.update(raw)
                total += UInt64(raw.count)
                batch.append((raw, ChunkPlanner.kind(of: planned, plannedLength: length, actualLength: raw.count)))
            }
            sawPixels = sawPixels || batch.contains { $0.kind != .bytes }
            let shares = stripThreads(sizes: batch.map(\.raw.count), threads: options.threads)
            let jobs = batch.indices.map { (raw: batch[$0].raw, kind: batch[$0].kind, threads: shares[$0]) }
            let coded = try parallelMap(jobs, threads: options.threads) { try coder.encode($0.raw, kind: $0.kind, threads: $0.threads) }
            progress?(total)
            return coded
        }
        /// Checks made once the whole input was read, before the stream is completed.
        func checkInput() throws {
            if options.method == .flow && !sawPixels {
                throw FlowZipError.unsupported("the flow method codes images (binary PNM or PNG) and audio (PCM WAV, NPY) only")
            }
            if let size, size != total {
                throw FlowZipError.io("input changed while being read: expected \(size) bytes, read \(total)")
            }
        }

        var batch = try nextBatch()
        while !finished && total <= UInt64(options.chunkSize) { batch += try nextBatch() }
        if finished, total <= UInt64(options.chunkSize),
           !batch.contains(where: { ModelUse.needsModel($0.payload, method: $0.record.method) }) {
            header.modelID = 0
        }
        if finished, batch.count == 1, let (record, payload) = batch.first {
            try checkInput()
            let head = ContainerV2.oneChunkHeader(header, record: record)
            try output.write(head)
            try output.write(payload)
            return Summary(originalSize: total, compressedSize: UInt64(head.count + payload.count), chunkCount: 1)
        }
        let head = ContainerV2.header(header)
        try output.write(head)
        var written = UInt64(head.count)
        var count: UInt64 = 0
        while !batch.isEmpty {
            for (record, payload) in batch {
                guard count < UInt32.max else { throw FlowZipError.unsupported("input has too many chunks") }
                let bytes = ContainerV2.record(record)
                try output.write(bytes)
                try output.write(payload)
                written += UInt64(bytes.count + payload.count)
                count += 1
            }
            batch = finished ? [] : try nextBatch()
        }
        try checkInput()
        let trailer = ContainerV2.trailer(StreamTrailer(chunkCount: count, originalSize: total, originalCRC: crc.value))
        try output.write(trailer)
        written += UInt64(trailer.count)
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
