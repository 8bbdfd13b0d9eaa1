@testable import FlowZip

/// Where the parts of a stream lie (either container version), for tests that damage or compare parts:
/// each chunk's record and payload range, and which bytes belong to the container itself.
struct ContainerWalk {
    var version: Int
    /// The header's length (in version 2's one-chunk form, with the record it holds).
    var headerLength: Int
    /// Each chunk's record, where its record bytes lie (empty for the one-chunk form's) and its payload.
    var chunks: [(record: ChunkRecord, recordBytes: Range<Int>, payload: Range<Int>)] = []
    var count: Int

    init(_ stream: [UInt8]) throws {
        var reader = StreamReader(source: FlowZip.MemorySource(stream))
        version = Int(try reader.readHeader().version)
        headerLength = Int(reader.bytesRead)
        var previous = headerLength
        while let chunk = try reader.nextChunk() {
            let end = Int(reader.bytesRead)
            let payload = chunk.payload
            chunks.append((chunk.record, previous..<(end - payload.count), (end - payload.count)..<end))
            previous = end
        }
        count = stream.count
    }

    /// Offsets of the header, records and trailer: every byte outside the payloads.
    var containerOffsets: Set<Int> {
        var offsets = Set(0..<count)
        for chunk in chunks { offsets.subtract(chunk.payload) }
        return offsets
    }

    /// Bytes the container adds to the payloads.
    var overhead: Int { count - chunks.reduce(0) { $0 + $1.payload.count } }

    /// The records and payload bytes of `stream`, which two streams share when they code the same
    /// chunks the same way whatever their container version.
    static func codedChunks(_ stream: [UInt8]) throws -> [(ChunkRecord, ArraySlice<UInt8>)] {
        try ContainerWalk(stream).chunks.map { ($0.record, stream[$0.payload]) }
    }

    /// Whether `a` and `b` hold the same chunks (records and payloads), in any container versions.
    static func sameChunks(_ a: [UInt8], _ b: [UInt8]) throws -> Bool {
        let (x, y) = (try codedChunks(a), try codedChunks(b))
        return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
