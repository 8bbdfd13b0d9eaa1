/// Decompresses a FlowZip stream with bounded memory. Every chunk is checked against its CRC-32 before
/// it is written, so damaged data is never emitted; the trailer's size and CRC of the whole original are
/// checked at the end.
public struct Decompressor: Sendable {
    /// Chunks decoded in parallel.
    public let threads: Int
    /// Models the stream may name, besides the built-in one.
    public let models: [FlowModel]

    /// A decompressor using `threads` threads and, for streams coded with a learned prior, `models`
    /// (the built-in model is always available).
    public init(threads: Int = 1, models: [FlowModel] = []) {
        self.threads = max(1, threads)
        self.models = models
    }

    /// Decompresses the stream the open file descriptor `input` holds into `output` (with Foundation,
    /// `handle.fileDescriptor`); returns the number of bytes written.
    @discardableResult
    public func decompress(fromDescriptor input: Int32, toDescriptor output: Int32) throws -> UInt64 {
        var source = FileDescriptorSource(descriptor: input)
        var sink = FileDescriptorSink(descriptor: output)
        return try decompress(from: &source, to: &sink)
    }

    /// Decompresses into `output`; returns the bytes written. A pixel-mode stream's document is decoded
    /// and checked whole, then written out as the image file it describes.
    @discardableResult
    func decompress(from source: inout some ByteSource, to output: inout some ByteSink) throws -> UInt64 {
        var reader = StreamReader(source: source)
        let header = try reader.readHeader()
        guard let kind = header.pixelOutput else { return try decodeChunks(&reader, to: &output) }
        guard let size = header.originalSize, size <= UInt64(PixelDocument.maxPixelBytes + (1 << 16)) else {
            throw FlowZipError.corrupt("stream header: pixel document without a size, or too large")
        }
        var document = ArraySink()
        try decodeChunks(&reader, to: &document)
        let file = try PixelDocument(parsing: document.bytes, kind: kind).imageFile()
        try output.write(file)
        return UInt64(file.count)
    }

    /// Decodes every chunk and the trailer, writing each chunk once its CRC matched.
    @discardableResult
    private func decodeChunks<S: ByteSource>(_ reader: inout StreamReader<S>, to output: inout some ByteSink) throws -> UInt64 {
        var crc = CRC32()
        var total: UInt64 = 0
        var index = 0
        let id = try reader.readHeader().modelID
        // The built-in model is parsed and hashed on first use: only a stream naming a model pays for it.
        let resolution = id == 0 ? ModelResolution.none
            : ModelResolution(id: id, available: models + (FlowModel.builtIn.map { [$0] } ?? []))
        while true {
            var batch: [(record: ChunkRecord, payload: [UInt8], index: Int)] = []
            while batch.count < threads, let (record, payload) = try reader.nextChunk() {
                index += 1
                batch.append((record, payload, index))
            }
            if batch.isEmpty { break }
            let shares = stripThreads(sizes: batch.map(\.record.rawLength), threads: threads)
            let jobs = batch.indices.map { (chunk: batch[$0], threads: shares[$0]) }
            let decoded = try parallelMap(jobs, threads: threads) {
                try ChunkCoder.decode($0.chunk.payload, record: $0.chunk.record, index: $0.chunk.index, models: resolution,
                                      threads: $0.threads)
            }
            for raw in decoded {
                crc.update(raw)
                total += UInt64(raw.count)
                try output.write(raw)
            }
        }
        try reader.finish(chunkCount: index, originalSize: total, originalCRC: crc.value)
        return total
    }
}
