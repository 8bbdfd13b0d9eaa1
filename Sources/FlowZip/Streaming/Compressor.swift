/// Compresses a stream of any length with bounded memory: chunks are read, coded (in parallel with
/// `threads`) and written in order, so memory stays near `threads × chunkSize × 3`.
///
/// ```swift
/// var compressor = Compressor(options: .init(threads: 2))
/// compressor.progress = { print($0.bytesRead) }
/// var input = FlowZip.FileDescriptorSource(STDIN_FILENO)
/// var output = FlowZip.FileDescriptorSink(STDOUT_FILENO)
/// try compressor.compress(from: &input, to: &output)
/// ```
///
/// The output depends only on the input and the options, never on `threads` or on how the source
/// delivers its bytes.
public struct Compressor: Sendable {
    /// The settings every chunk is coded with.
    public let options: FlowZip.Options
    /// Called before any work, after each batch of chunks and at the end (``FlowZip/Progress``);
    /// throwing from it stops the compression with ``FlowZipError/Code/cancelled``.
    public var progress: (@Sendable (FlowZip.Progress) throws -> Void)?

    /// A compressor with these settings.
    public init(options: FlowZip.Options = FlowZip.Options()) {
        self.options = options
    }

    /// Compresses everything `source` holds into `sink`. `size`, when known, is recorded in the header,
    /// checked against what was read, and is the progress handler's total.
    ///
    /// When it throws (bad options, a read or write error, ``FlowZipError/Code/cancelled``), `sink` holds
    /// what was written until then, which is not a complete stream: discard it. Nothing is written
    /// before the first chunk is coded.
    @discardableResult
    public func compress(from source: inout some FlowZip.ByteSource, to sink: inout some FlowZip.ByteSink,
                         size: UInt64? = nil) throws -> Summary {
        try compress(from: &source, to: &sink, size: size, progress: progress)
    }

    /// Compresses everything the open file descriptor `input` holds into `output` (a file, pipe or
    /// terminal; with Foundation, `handle.fileDescriptor`), as ``compress(from:to:size:)`` does.
    @discardableResult
    public func compress(fromDescriptor input: Int32, toDescriptor output: Int32, size: UInt64? = nil) throws -> Summary {
        var source = FlowZip.FileDescriptorSource(input)
        var sink = FlowZip.FileDescriptorSink(output)
        return try compress(from: &source, to: &sink, size: size)
    }

    /// Compresses the pixels of the PNG or PNM `file` in pixel mode (``FlowZip/compressImage(_:options:progress:)-93p0l``)
    /// into `sink`; the whole image is held in memory.
    @discardableResult
    public func compressImage(_ file: some Collection<UInt8>, to sink: inout some FlowZip.ByteSink) throws -> Summary {
        let document = try PixelDocument(imageFile: Array(file))
        var options = options
        options.pixelOutput = document.kind
        var source = FlowZip.MemorySource(document.serialized())
        return try Compressor(options: options).compress(from: &source, to: &sink, size: UInt64(source.bytes.count),
                                                         progress: progress)
    }

    /// Compresses the pixels of the PNG or PNM `file` in pixel mode into the open file descriptor `output`.
    @discardableResult
    public func compressImage(_ file: some Collection<UInt8>, toDescriptor output: Int32) throws -> Summary {
        var sink = FlowZip.FileDescriptorSink(output)
        return try compressImage(file, to: &sink)
    }

    /// Writes container version 2. Nothing is written before up to one chunk size of input is coded:
    /// when the input turns out to be one chunk, the stream takes the one-chunk form (its record in the
    /// header, no trailer), the same whether the input came from a file or a pipe; and when the input
    /// ended there and no chunk uses the model, the header leaves out its id. Both depend only on the
    /// input, never on the thread count.
    /// `progress` is called before any work, after each batch and at the end.
    @discardableResult
    func compress(from input: inout some ByteSource, to output: inout some ByteSink, size: UInt64?,
                  progress handler: ((FlowZip.Progress) throws -> Void)?) throws -> Summary {
        let options = try options.validated()
        let coder = ChunkCoder(options: options)
        let progress = ProgressReporter(total: size, handler: handler)
        try progress.report(read: 0, written: 0)
        var source = PeekableSource(input)
        // The caller's source has advanced by what was read (on success, to its end).
        defer { input = source.base }
        var planner = ChunkPlanner(prefix: try source.peek(ChunkPlanner.prefixLength), chunkSize: options.chunkSize,
                                   rawLayout: options.rawLayout, pixelDocument: options.pixelOutput != nil)
        var header = StreamHeader(modality: planner.modality, chunkSizeLog2: UInt8(options.chunkSize.trailingZeroBitCount),
                                  originalSize: size, modelID: Self.modelID(options, planner.modality),
                                  pixelOutput: options.pixelOutput)
        var crc = CRC32()
        var total: UInt64 = 0
        var sawPixels = false
        var finished = false
        var written: UInt64 = 0

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
                var start = 0
                for piece in ChunkPlanner.pieces(of: planned, plannedLength: length, actualLength: raw.count) {
                    batch.append((piece.length == raw.count ? raw : Array(raw[start..<(start + piece.length)]), piece.kind))
                    start += piece.length
                }
            }
            sawPixels = sawPixels || batch.contains { $0.kind != .bytes }
            let shares = stripThreads(sizes: batch.map(\.raw.count), threads: options.threads)
            let jobs = batch.indices.map { (raw: batch[$0].raw, kind: batch[$0].kind, threads: shares[$0]) }
            let coded = try parallelMap(jobs, threads: options.threads) { try coder.encode($0.raw, kind: $0.kind, threads: $0.threads) }
            try progress.report(read: total, written: written)
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
            try output.write(bytes: head)
            try output.write(bytes: payload)
            written = UInt64(head.count + payload.count)
            progress.finish(read: total, written: written)
            return Summary(originalSize: total, compressedSize: written, chunkCount: 1)
        }
        let head = ContainerV2.header(header)
        try output.write(bytes: head)
        written = UInt64(head.count)
        var count: UInt64 = 0
        while !batch.isEmpty {
            for (record, payload) in batch {
                guard count < UInt32.max else { throw FlowZipError.unsupported("input has too many chunks") }
                let bytes = ContainerV2.record(record)
                try output.write(bytes: bytes)
                try output.write(bytes: payload)
                written += UInt64(bytes.count + payload.count)
                count += 1
            }
            batch = finished ? [] : try nextBatch()
        }
        try checkInput()
        let trailer = ContainerV2.trailer(StreamTrailer(chunkCount: count, originalSize: total, originalCRC: crc.value))
        try output.write(bytes: trailer)
        written += UInt64(trailer.count)
        progress.finish(read: total, written: written)
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
