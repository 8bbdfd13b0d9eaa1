/// Walks a stream of either container version: header, chunk records with their payloads, trailer;
/// validates each before use. Version 2's records have variable lengths, so it looks ahead by the longest
/// encoding and consumes what the parser used. Its errors carry the offset of the part they are about
/// (and, for a chunk, its index).
struct StreamReader<Source: ByteSource> {
    typealias Chunk = StreamChunk

    private var source: PeekableSource<Source>
    private(set) var header: StreamHeader?
    private(set) var trailer: StreamTrailer?
    /// Version 2's one-chunk form: the record the header held, until its payload is read.
    private var onlyChunk: ChunkRecord?
    private(set) var chunksRead = 0
    /// Bytes of the stream consumed so far.
    private(set) var bytesRead: UInt64 = 0
    /// Where the trailer starts, once it was read (the end of the stream for the one-chunk form).
    private var trailerOffset = 0

    init(source: Source) { self.source = PeekableSource(source) }

    /// The source, advanced past what was read.
    var base: Source { source.base }

    /// Reads the header if it was not read yet.
    mutating func readHeader() throws -> StreamHeader {
        if let header { return header }
        let parsed: StreamHeader
        let length: Int
        do {
            let lookahead = try source.peek(max(ContainerV1.headerSize, ContainerV2.maxHeaderLength))
            if try Format.version(of: lookahead) == ContainerV1.version {
                (parsed, length) = (try ContainerV1.parseHeader(lookahead), ContainerV1.headerSize)
            } else {
                (parsed, onlyChunk, length) = try ContainerV2.parseHeader(lookahead)
            }
        } catch let error as FlowZipError {
            throw error.at(offset: 0)
        }
        try consume(length)
        header = parsed
        return parsed
    }

    /// The next chunk, or nil once the trailer has been read.
    mutating func nextChunk() throws -> Chunk? {
        let header = try readHeader()
        if trailer != nil { return nil }
        if let record = onlyChunk {
            onlyChunk = nil
            chunksRead = 1
            // One chunk: the whole original is this chunk, so its raw CRC is the whole's.
            trailer = StreamTrailer(chunkCount: 1, originalSize: UInt64(record.rawLength), originalCRC: record.rawCRC)
            let offset = Int(bytesRead)
            let chunk = Chunk(record: record, payload: try payload(record), index: 0, payloadOffset: offset)
            trailerOffset = Int(bytesRead)
            return chunk
        }
        let v1 = header.version == ContainerV1.version
        let start = Int(bytesRead)
        let lookahead = try source.peek(v1 ? ContainerV1.trailerSize : ContainerV2.maxRecordLength)
        guard let first = lookahead.first else {
            throw FlowZipError(.truncated, "the stream ends before its trailer", offset: start)
        }
        if first == Format.trailerTag {
            let length: Int
            do {
                (trailer, length) = v1 ? (try ContainerV1.parseTrailer(lookahead), ContainerV1.trailerSize)
                                       : try ContainerV2.parseTrailer(lookahead)
            } catch let error as FlowZipError {
                throw error.at(offset: start)
            }
            trailerOffset = start
            try consume(length)
            return nil
        }
        chunksRead += 1
        let record: ChunkRecord, length: Int
        do {
            (record, length) = v1
                ? (try ContainerV1.parseRecord(lookahead, index: chunksRead, chunkSize: header.chunkSize), ContainerV1.recordSize)
                : try ContainerV2.parseRecord(lookahead, index: chunksRead, chunkSize: header.chunkSize)
        } catch var error as FlowZipError {
            error.chunkIndex = chunksRead - 1
            throw error.at(offset: start)
        }
        try consume(length)
        let offset = Int(bytesRead)
        return Chunk(record: record, payload: try payload(record), index: chunksRead - 1, payloadOffset: offset)
    }

    /// Bytes read from the source past what the stream used so far (look-ahead), in order.
    var lookahead: [UInt8] { source.unread }

    /// Checks the trailer against what was decoded and, if `alone`, that nothing follows it.
    mutating func finish(chunkCount: Int, originalSize: UInt64, originalCRC: UInt32?, alone: Bool = true) throws {
        guard let trailer else {
            throw FlowZipError(.truncated, "the stream ends before its trailer", offset: Int(bytesRead))
        }
        func mismatch(_ code: FlowZipError.Code, _ message: String) -> FlowZipError {
            FlowZipError(code, message, offset: trailerOffset)
        }
        guard trailer.chunkCount == UInt64(chunkCount) else {
            throw mismatch(.corrupt, "trailer: \(trailer.chunkCount) chunks announced, \(chunkCount) found")
        }
        guard trailer.originalSize == originalSize else {
            throw mismatch(.corrupt, "trailer: size \(trailer.originalSize) announced, \(originalSize) decoded")
        }
        if let announced = header?.originalSize, announced != originalSize {
            throw FlowZipError(.corrupt, "stream header: size \(announced) announced, \(originalSize) decoded", offset: 0)
        }
        if let originalCRC, trailer.originalCRC != originalCRC {
            throw mismatch(.checksumMismatch, "trailer: checksum of the whole original mismatch")
        }
        guard try !alone || source.read(upTo: 1).isEmpty else {
            throw FlowZipError(.corrupt, "unexpected data after the end of the stream", offset: Int(bytesRead))
        }
    }

    private mutating func payload(_ record: ChunkRecord) throws -> [UInt8] {
        let start = Int(bytesRead)
        let payload = try source.read(upTo: record.codedLength)
        bytesRead += UInt64(payload.count)
        guard payload.count == record.codedLength else {
            throw FlowZipError(.truncated, "chunk \(max(1, chunksRead)) payload", chunkIndex: max(1, chunksRead) - 1,
                               offset: start)
        }
        return payload
    }

    /// Moves past `count` bytes that were looked at (they are in the look-ahead buffer).
    private mutating func consume(_ count: Int) throws {
        _ = try source.read(upTo: count)
        bytesRead += UInt64(count)
    }
}

/// A chunk as read: its record, its payload (not yet decoded), its index from 0, where its payload starts.
struct StreamChunk: Sendable {
    var record: ChunkRecord
    var payload: [UInt8]
    var index: Int
    var payloadOffset: Int
}
