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
        let available = models + (FlowModel.builtIn.map { [$0] } ?? [])
        let resolution = ModelResolution(id: try reader.readHeader().modelID, available: available)
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

/// Walks a stream: header, chunk records with their payloads, trailer; validates each before use.
struct StreamReader<Source: ByteSource> {
    var source: Source
    private(set) var header: StreamHeader?
    private(set) var trailer: StreamTrailer?
    private var chunksRead = 0

    init(source: Source) { self.source = source }

    /// Reads the header if it was not read yet.
    mutating func readHeader() throws -> StreamHeader {
        if let header { return header }
        let parsed = try StreamHeader.parse(try source.read(upTo: Format.headerSize))
        header = parsed
        return parsed
    }

    /// The next chunk, or nil once the trailer has been read.
    mutating func nextChunk() throws -> (ChunkRecord, [UInt8])? {
        let header = try readHeader()
        if trailer != nil { return nil }
        let tag = try source.read(upTo: 1)
        guard let first = tag.first else { throw FlowZipError.truncated("the stream ends before its trailer") }
        if first == Format.trailerTag {
            trailer = try StreamTrailer.parse(tag + (try source.read(upTo: Format.trailerSize - 1)))
            return nil
        }
        chunksRead += 1
        let recordBytes = tag + (try source.read(upTo: Format.recordSize - 1))
        let record = try ChunkRecord.parse(recordBytes, index: chunksRead, chunkSize: header.chunkSize)
        let payload = try source.read(upTo: record.codedLength)
        guard payload.count == record.codedLength else {
            throw FlowZipError.truncated("chunk \(chunksRead) payload")
        }
        return (record, payload)
    }

    /// Checks the trailer against what was decoded, and that nothing follows it.
    mutating func finish(chunkCount: Int, originalSize: UInt64, originalCRC: UInt32?) throws {
        guard let trailer else { throw FlowZipError.truncated("the stream ends before its trailer") }
        guard Int(trailer.chunkCount) == chunkCount else {
            throw FlowZipError.corrupt("trailer: \(trailer.chunkCount) chunks announced, \(chunkCount) found")
        }
        guard trailer.originalSize == originalSize else {
            throw FlowZipError.corrupt("trailer: size \(trailer.originalSize) announced, \(originalSize) decoded")
        }
        if let announced = header?.originalSize, announced != originalSize {
            throw FlowZipError.corrupt("stream header: size \(announced) announced, \(originalSize) decoded")
        }
        if let originalCRC, trailer.originalCRC != originalCRC {
            throw FlowZipError.corrupt("trailer: checksum of the whole original mismatch")
        }
        guard try source.read(upTo: 1).isEmpty else {
            throw FlowZipError.corrupt("unexpected data after the end of the stream")
        }
    }
}
