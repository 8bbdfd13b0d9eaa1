/// Decompresses a FlowZip stream with bounded memory. Every chunk is checked against its CRC-32 before
/// it is written, so damaged data is never emitted; the trailer's size and CRC of the whole original are
/// checked at the end. For a stream held in memory, ``FlowZip/decompress(_:threads:models:progress:)-5u1nr`` is simpler.
///
/// ```swift
/// var input = FlowZip.FileDescriptorSource(STDIN_FILENO)
/// var output = FlowZip.FileDescriptorSink(STDOUT_FILENO)
/// try Decompressor(threads: 2).decompress(from: &input, to: &output)
/// ```
public struct Decompressor: Sendable {
    /// Chunks decoded in parallel.
    public let threads: Int
    /// Models the stream may name, besides the built-in one.
    public let models: [FlowModel]
    /// Called before any work, after each batch of chunks and at the end (``FlowZip/Progress``: bytes
    /// of the stream read, original bytes written); throwing from it stops the decompression with
    /// ``FlowZipError/Code/cancelled``.
    public var progress: (@Sendable (FlowZip.Progress) throws -> Void)?

    /// A decompressor using `threads` threads and, for streams coded with a learned prior, `models`
    /// (the built-in model is always available).
    public init(threads: Int = 1, models: [FlowModel] = []) {
        self.threads = max(1, threads)
        self.models = models
    }

    /// Decompresses the stream `source` holds (exactly one stream: data after its end is an error)
    /// into `sink`; returns the number of bytes written. `size`, the stream's length if known, is only
    /// the progress handler's total.
    ///
    /// When it throws, `sink` holds the chunks written before the error: a prefix of the original,
    /// every chunk of it checked. A pixel-mode stream (``FlowZip/compressImage(_:options:progress:)-93p0l``)
    /// is decoded whole and checked before its image file is written, so for it the sink holds nothing.
    @discardableResult
    public func decompress(from source: inout some FlowZip.ByteSource, to sink: inout some FlowZip.ByteSink,
                           size: UInt64? = nil) throws -> UInt64 {
        try decompress(from: &source, to: &sink, size: size, progress: progress)
    }

    /// Decompresses the stream the open file descriptor `input` holds into `output` (with Foundation,
    /// `handle.fileDescriptor`), as ``decompress(from:to:size:)`` does; returns the number of bytes written.
    @discardableResult
    public func decompress(fromDescriptor input: Int32, toDescriptor output: Int32) throws -> UInt64 {
        var source = FlowZip.FileDescriptorSource(input)
        var sink = FlowZip.FileDescriptorSink(output)
        return try decompress(from: &source, to: &sink)
    }

    /// Decompresses the first stream `source` holds into `sink` and stops at its end, where the other
    /// calls require the source to end there too: for input that may hold several streams one after
    /// another (`cat a.fz b.fz`). Returns the bytes written and the bytes read past the stream's end
    /// (look-ahead): what follows the stream is `following`, then whatever `source` still holds.
    public func decompressFirstStream(from source: inout some FlowZip.ByteSource, to sink: inout some FlowZip.ByteSink)
        throws -> (written: UInt64, following: [UInt8]) {
        try decompressStream(from: &source, to: &sink, size: nil, alone: false, progress: progress)
    }

    /// Decompresses into `output`; returns the bytes written. A pixel-mode stream's document is decoded
    /// and checked whole, then written out as the image file it describes.
    @discardableResult
    func decompress(from source: inout some ByteSource, to output: inout some ByteSink, size: UInt64?,
                    progress handler: ((FlowZip.Progress) throws -> Void)?) throws -> UInt64 {
        try decompressStream(from: &source, to: &output, size: size, alone: true, progress: handler).written
    }

    /// Decompresses one stream into `output`; returns the bytes written and the look-ahead read past the
    /// stream's end. `alone`: the source must end with the stream (data after it is an error).
    private func decompressStream(from source: inout some ByteSource, to output: inout some ByteSink, size: UInt64?,
                                  alone: Bool, progress handler: ((FlowZip.Progress) throws -> Void)?)
        throws -> (written: UInt64, following: [UInt8]) {
        let progress = ProgressReporter(total: size, handler: handler)
        try progress.report(read: 0, written: 0)
        var reader = StreamReader(source: source)
        defer { source = reader.base }
        let header = try reader.readHeader()
        guard let kind = header.pixelOutput else {
            let written = try decodeChunks(&reader, to: &output, progress: progress, toCaller: true, alone: alone)
            return (written, reader.lookahead)
        }
        guard let size = header.originalSize, size <= UInt64(PixelDocument.maxPixelBytes + (1 << 16)) else {
            throw FlowZipError.corrupt("stream header: pixel document without a size, or too large").at(offset: 0)
        }
        var document: [UInt8] = []
        try decodeChunks(&reader, to: &document, progress: progress, toCaller: false, alone: alone)
        let file = try PixelDocument(parsing: document, kind: kind).imageFile()
        try output.write(bytes: file)
        progress.finish(read: reader.bytesRead, written: UInt64(file.count))
        return (UInt64(file.count), reader.lookahead)
    }

    /// Decodes every chunk and the trailer, writing each chunk once its CRC matched. `toCaller`: the
    /// output is the caller's sink, so its bytes count as written (else the progress reports none).
    /// `alone`: nothing may follow the trailer.
    @discardableResult
    private func decodeChunks<S: ByteSource>(_ reader: inout StreamReader<S>, to output: inout some ByteSink,
                                             progress: ProgressReporter, toCaller: Bool, alone: Bool) throws -> UInt64 {
        var crc = CRC32()
        var total: UInt64 = 0
        let id = try reader.readHeader().modelID
        // The built-in model is parsed and hashed on first use: only a stream naming a model pays for it.
        let resolution = id == 0 ? ModelResolution.none
            : ModelResolution(id: id, available: models + (FlowModel.builtIn.map { [$0] } ?? []))
        while true {
            var batch: [StreamChunk] = []
            while batch.count < threads, let chunk = try reader.nextChunk() { batch.append(chunk) }
            if batch.isEmpty { break }
            let shares = stripThreads(sizes: batch.map(\.record.rawLength), threads: threads)
            let jobs = batch.indices.map { (chunk: batch[$0], threads: shares[$0]) }
            let decoded = try parallelMap(jobs, threads: threads) { job in
                do {
                    return try ChunkCoder.decode(job.chunk.payload, record: job.chunk.record, index: job.chunk.index + 1,
                                                 models: resolution, threads: job.threads)
                } catch let error as FlowZipError {
                    throw error.at(offset: job.chunk.payloadOffset)
                }
            }
            // Checked before writing: a stop leaves the sink with whole chunks only.
            try progress.report(read: reader.bytesRead, written: toCaller ? total : 0)
            for raw in decoded {
                crc.update(raw)
                total += UInt64(raw.count)
                try output.write(bytes: raw)
            }
        }
        try reader.finish(chunkCount: reader.chunksRead, originalSize: total, originalCRC: crc.value, alone: alone)
        if toCaller { progress.finish(read: reader.bytesRead, written: total) }
        return total
    }
}
